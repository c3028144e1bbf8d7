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
  /** The SWIFT message being read: where it opened, and how many statements there were then */
  let message: { line: number; before: number } | undefined;
  const close = (line: number) => {
    if (current) statements.push({ ...current, endLine: line });
    current = undefined;
  };
  const endMessage = (line: number) => {
    close(line);
    // A message with no statement in it is the mark of a file cut right after its header.
    if (message && statements.length === message.before) {
      throw new StatementImportError(line, `the message opened at line ${message.line} holds no statement (:20:)`);
    }
    message = undefined;
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    const body = raw.startsWith(indent) ? raw.slice(indent.length) : raw.trimStart();
    for (const piece of splitBlocks(body, line)) {
      if (piece === END) endMessage(line);
      else if (piece === START) message = { line, before: statements.length + (current ? 1 : 0) };
      else if (piece.trim() !== '') current = addLine(current, piece, line, close);
    }
  });
  endMessage(lines.length);
  return statements;
}

const END = Symbol('end of message');
const START = Symbol('start of message');

/** "{1:..}{2:..}{4:" opens a message and may carry the first field after it; "-}{5:}{1:..}{4:"
 * closes one and opens the next on the same line (files written without line breaks). */
function splitBlocks(body: string, line: number): (string | typeof END | typeof START)[] {
  const trimmed = body.trim();
  if (MESSAGE_END.test(trimmed)) return [END, ...(trimmed.startsWith('-}') ? splitBlocks(trimmed.slice(2), line) : [])];
  if (!/^\{\d:/.test(trimmed)) return [body];
  const at = trimmed.indexOf('{4:');
  if (at >= 0) return [START, trimmed.slice(at + 3)];
  // {5:...} trailers stand alone; a {1:} header without its {4: text block was cut short.
  if (trimmed.startsWith('{1:')) throw new StatementImportError(line, 'a message header without its text block {4:');
  return [];
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
