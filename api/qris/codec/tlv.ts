// The EMVCo data-object layer: ID (2 digits) + LEN (2 decimal digits) + VALUE, where LEN counts
// characters. Templates carry the same layout inside their value. Nothing here knows QRIS
// semantics; qris-decode.ts does.
import { QrisDecodeError, QrisEncodeError } from './qris-errors';

export interface TlvField {
  /** Two-digit ID, e.g. "54". */
  tag: string;
  /** LEN as written: the number of characters in `value`. */
  length: number;
  value: string;
  /** Character offset of the ID in the whole payload (not in the enclosing template). */
  offset: number;
  /** The data objects inside a template's value; absent for primitive tags. */
  children?: TlvField[];
}

const TWO_DIGITS = /^[0-9]{2}$/;

/** Tags whose value is itself TLV: merchant accounts 26-51, additional data 62, language 64, 80-99. */
export function isTemplateTag(tag: string): boolean {
  const id = Number(tag);
  return (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;
}

/** Unreserved templates (80-99) are proprietary: real codes put non-TLV text there. */
function mustParseAsTemplate(tag: string): boolean {
  return Number(tag) < 80;
}

/**
 * Walks `chars[start, end)` as a list of data objects, in whatever order they come. Works on code
 * points so that a LEN counts characters even when tag 64 holds text outside the BMP.
 */
export function parseTlv(chars: readonly string[], start: number, end: number, parent?: string): TlvField[] {
  const fields: TlvField[] = [];
  const seen = new Set<string>();
  let at = start;
  while (at < end) {
    const field = readOne(chars, at, end, parent);
    const path = parent ? `${parent}.${field.tag}` : field.tag;
    if (seen.has(field.tag)) {
      throw new QrisDecodeError('duplicate-tag', `tag ${path} appears twice`, at, path);
    }
    seen.add(field.tag);
    fields.push(field);
    at += 4 + field.length;
  }
  return fields;
}

function readOne(chars: readonly string[], at: number, end: number, parent?: string): TlvField {
  const tag = chars.slice(at, at + 2).join('');
  const where = parent ? `in tag ${parent} ` : '';
  if (at + 2 > end || !TWO_DIGITS.test(tag)) {
    throw new QrisDecodeError('bad-tag', `${where}expected a two-digit ID at offset ${at}`, at, parent);
  }
  const path = parent ? `${parent}.${tag}` : tag;
  const lengthText = chars.slice(at + 2, at + 4).join('');
  if (at + 4 > end || !TWO_DIGITS.test(lengthText)) {
    throw new QrisDecodeError('bad-length', `tag ${path} has no two-digit length`, at, path);
  }
  const length = Number(lengthText);
  if (at + 4 + length > end) {
    throw new QrisDecodeError(
      'bad-length',
      `tag ${path} says ${length} characters but only ${end - at - 4} remain`,
      at,
      path,
    );
  }
  const value = chars.slice(at + 4, at + 4 + length).join('');
  // Templates are parsed one level deep only: sub-tags such as 62.98 and 62.99 hold acquirer data
  // that is opaque to us, and the conformance file lists them as raw text too.
  if (parent || !isTemplateTag(tag)) return { tag, length, value, offset: at };
  return { tag, length, value, offset: at, children: parseTemplate(chars, at, length, tag) };
}

function parseTemplate(chars: readonly string[], at: number, length: number, tag: string): TlvField[] | undefined {
  if (mustParseAsTemplate(tag)) return parseTlv(chars, at + 4, at + 4 + length, tag);
  try {
    return parseTlv(chars, at + 4, at + 4 + length, tag);
  } catch (err) {
    // A PromptPay test code (promptparse) puts UTF-16 hex text straight into tag 81: keep it raw.
    if (err instanceof QrisDecodeError) return undefined;
    throw err;
  }
}

/** One data object. The caller has checked the value; a value over 99 characters is still refused here. */
export function encodeTlv(tag: string, value: string): string {
  const length = [...value].length;
  if (!TWO_DIGITS.test(tag)) throw new RangeError(`not a two-digit EMVCo ID: ${tag}`);
  if (length > 99) {
    throw new QrisEncodeError([
      { field: `tag ${tag}`, message: `is ${length} characters long; a data object holds at most 99` },
    ]);
  }
  return `${tag}${String(length).padStart(2, '0')}${value}`;
}
