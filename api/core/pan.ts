// Card numbers (PANs) where none may be: in a request body beside the masked card, in a logged
// URL, in a bank file's card cell. A PAN is 13 to 19 digits whose last is the Luhn check digit;
// shown, it is at most its first 6 and last 4 digits (PCI DSS 3.4).

/** A digit run of 13-19 digits, none more on either side; or a PAN as it is printed, in groups
 * of 4 (16-19 digits) or 4-6-5 / 4-6-4 (Amex, Diners) split by one space or one dash. */
const CARD_NUMBER =
  /(?<!\d)(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1?\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\d)/g;

/** A UUID (8-4-4-4-12 hex) is an id, never a card: its digit groups can read like a PAN printed in
 * fours ("…1234-5678-9012-3456…" passes Luhn one time in ten), which refused a payment to the
 * rare stall whose id looks so. UUIDs are set aside before card numbers are looked for. */
const UUID =
  /(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])/g;

/** Each match of CARD_NUMBER that is not inside a UUID. */
function* cardNumberRuns(text: string): Generator<RegExpMatchArray> {
  // Every match holds at least 13 digits: a text with fewer (most of a request's fields) holds none.
  if (digitCount(text) < 13) return;
  const ids = [...text.matchAll(UUID)].map((m) => [m.index, m.index + m[0].length] as const);
  for (const m of text.matchAll(CARD_NUMBER)) {
    const at = m.index ?? 0;
    if (!ids.some(([from, to]) => at >= from && at < to)) yield m;
  }
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** True when the digits end in their Luhn check digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The digits shown as a masked PAN may show them: the first 6 and the last 4, every other digit
 * `*`; separators and other characters stay where they are, so the text keeps its length. */
export function maskDigitsKeepingLength(text: string): string {
  const total = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen += 1;
    return seen <= 6 || seen > total - 4 ? d : '*';
  });
}

/** Every card-number-like run in the text (13-19 digits, or printed in groups) masked to its
 * first 6 and last 4 digits, Luhn or not: for text that is only ever read by people (logs). */
export function maskCardNumbers(text: string): string {
  let out = '';
  let last = 0;
  for (const m of cardNumberRuns(text)) {
    const at = m.index ?? 0;
    out += text.slice(last, at) + maskDigitsKeepingLength(m[0]);
    last = at + m[0].length;
  }
  return out + text.slice(last);
}

/** True when the text holds a card number: a run of 13-19 digits (or one printed in groups)
 * whose last digit is its Luhn check digit. */
export function holdsCardNumber(text: string): boolean {
  for (const m of cardNumberRuns(text)) if (passesLuhn(m[0].replace(/\D/g, ''))) return true;
  return false;
}
