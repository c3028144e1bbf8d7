// MT940 text cut into statements of tagged fields, each line keeping its number in the file.
// What real files put around and between the fields, and how it is read:
// - SWIFT blocks "{1:..}{2:..}{3:}{4:" open a message, "-}" or "-}{5:..}" closes it (ASN Bank,
//   Knab, the Indonesian samples); "-" alone (ABN AMRO, Knab exports), "-XXX" (ING) close it too.
// - Header lines before :20: are skipped: "ABNANL2A" and "940" (ABN AMRO), "0000 01INGBNL2AXXXX00001"
//   (ING), ":940:" (Rabobank), SOH/ETX control characters (mBank). A statement starts at :20:.
// - Every line indented alike (BRI indents the whole file): that indent is removed.
// - CRLF, LF or CR; blank lines anywhere (Polish banks put them between fields).
import { StatementImportError } from './statement-types';

export interface TextLine {
  text: string;
  /** 1-based line in the file */
  line: number;
}

export interface Mt940Field {
  /** 20, 25, 28C, 60F, 61, 86, NS ... */
  tag: string;
  line: number;
  /** The text after the tag, then each continuation line */
  lines: TextLine[];
}

export interface Mt940RawStatement {
  fields: Mt940Field[];
  /** The line that ended it: the message end, the next :20:, or the last line of the file */
  endLine: number;
}

const FIELD = /^:(\d{2}[A-Z]?|NS):(.*)$/;
const MESSAGE_END = /^-(\}.*|[A-Z]*\s*)$/;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

export function readMt940Statements(text: string): Mt940RawStatement[] {
  const lines = text.replace(CONTROL, '').split(/\r\n|\r|\n/);
  const indent = fileIndent(lines);
  const statements: Mt940RawStatement[] = [];
  let current: Mt940RawStatement | undefined;
  const close = (line: number) => {
    if (current) statements.push({ ...current, endLine: line });
    current = undefined;
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    const body = raw.startsWith(indent) ? raw.slice(indent.length) : raw.trimStart();
    for (const piece of splitBlocks(body)) {
      if (piece === END) close(line);
      else if (piece.trim() !== '') current = addLine(current, piece, line, close);
    }
  });
  close(lines.length);
  return statements;
}

const END = Symbol('end of message');

/** "{1:..}{2:..}{4:" opens a message and may carry the first field after it; "-}{5:}{1:..}{4:"
 * closes one and opens the next on the same line (files written without line breaks). */
function splitBlocks(body: string): (string | typeof END)[] {
  const trimmed = body.trim();
  if (MESSAGE_END.test(trimmed)) {
    const rest = trimmed.startsWith('-}') ? afterBlock4(trimmed) : undefined;
    return rest === undefined ? [END] : [END, rest];
  }
  if (trimmed.startsWith('{')) return [afterBlock4(trimmed) ?? ''];
  return [body];
}

function afterBlock4(text: string): string | undefined {
  const at = text.indexOf('{4:');
  return at < 0 ? undefined : text.slice(at + 3);
}

function addLine(
  current: Mt940RawStatement | undefined,
  body: string,
  line: number,
  close: (line: number) => void,
): Mt940RawStatement | undefined {
  const m = FIELD.exec(body.trimStart());
  if (m && m[1] === '20') {
    close(line - 1);
    return { fields: [{ tag: '20', line, lines: [{ text: m[2], line }] }], endLine: line };
  }
  if (!current) {
    // Header lines before a statement are the bank's wrapping; a statement field is not.
    if (m && m[1] !== 'NS') throw new StatementImportError(line, `field :${m[1]}: before any :20: statement reference`);
    return undefined;
  }
  if (m) current.fields.push({ tag: m[1], line, lines: [{ text: m[2], line }] });
  else current.fields[current.fields.length - 1].lines.push({ text: body, line });
  return current;
}

/** The indent of the first line that opens a message or a statement, when it is all blanks. */
function fileIndent(lines: string[]): string {
  const first = lines.find((l) => /^\s*(\{|:20:)/.test(l));
  return first ? /^\s*/.exec(first)![0] : '';
}
