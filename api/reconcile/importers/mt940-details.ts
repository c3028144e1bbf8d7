// Field :86: (information to the account owner), free text or structured:
// - German banks (DATEV/ZKA layout): a 3-digit business code, then subfields "?00" posting text,
//   "?10" primanota, "?20".."?29" and "?60".."?63" purpose, "?30" bank code, "?31" account,
//   "?32"/"?33" name. SEPA purpose text inside ?20.. carries "EREF+" (end-to-end id), "KREF+",
//   "MREF+", "SVWZ+" (remittance)...; ?xx markers may be split over two lines ("?2" / "2MTLG").
// - Polish banks write the same with ">" instead of "?" and no business code.
// - Free text (Dutch, Indonesian, Westpac): up to 6 lines of 65 characters.
import { normaliseSpace } from './statement-values';

export interface Field86 {
  description: string;
  details: Record<string, string>;
}

const STRUCTURED = /^\s*(\d{3})?([?>])\d{2}/;
const SEPA_KEYS = /(EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC)\+/g;
const FULL_LINE = 65;

export function readField86(lines: string[]): Field86 {
  const m = STRUCTURED.exec(lines[0] ?? '');
  return m ? structured(lines, m[2]) : { description: freeText(lines), details: {} };
}

/** A line of 65 characters was cut where it was full, possibly inside a word (ASN Bank: "Betaling
 * aan I" / "CS 99999999999"): it joins the next line directly. A shorter line ended on purpose,
 * so a space separates it from the next. */
function freeText(lines: string[]): string {
  let text = '';
  for (const l of lines) text += l + (l.length >= FULL_LINE ? '' : ' ');
  return normaliseSpace(text);
}

function structured(lines: string[], separator: string): Field86 {
  // In the structured layout a line break is never content: subfields say where text starts.
  const joined = lines
    .map((l) => l.trimEnd())
    .join('')
    .trim();
  const parts = joined.split(new RegExp(`\\${separator}(\\d{2})`));
  const details: Record<string, string> = {};
  if (parts[0].trim() !== '') details.code = parts[0].trim();
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i];
    details[key] = (details[key] ?? '') + parts[i + 1];
  }
  const purpose = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63']
    .map((k) => details[k] ?? '')
    .join('');
  if (purpose !== '') details.purpose = normaliseSpace(purpose);
  Object.assign(details, sepaKeys(purpose));
  const name = normaliseSpace(`${details['32'] ?? ''}${details['33'] ?? ''}`);
  const description = normaliseSpace([details['00'] ?? '', purpose, name].join(' '));
  return { description, details };
}

/** "EREF+TFNR 40005 00005SVWZ+Rechnung 4711" -> { EREF: "TFNR 40005 00005", SVWZ: "Rechnung 4711" } */
function sepaKeys(purpose: string): Record<string, string> {
  const found: Record<string, string> = {};
  const marks = [...purpose.matchAll(SEPA_KEYS)];
  marks.forEach((mark, i) => {
    const start = mark.index! + mark[0].length;
    const end = i + 1 < marks.length ? marks[i + 1].index! : purpose.length;
    const value = normaliseSpace(purpose.slice(start, end));
    if (value !== '' && !(mark[1] in found)) found[mark[1]] = value;
  });
  return found;
}
