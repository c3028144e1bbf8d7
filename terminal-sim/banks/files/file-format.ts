// Small formats the bank file writers share: dates as each bank spells them, decimal amounts,
// CSV fields, fixed-width text. Pure functions: no clock, no locale, no JS number for money.
import Decimal from 'decimal.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DAY_MS = 86_400_000;
/** Excel's day 0 (its serials count from 1899-12-30 because of the 1900 leap-year bug). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Thrown when the input a writer got could not have come from a bank's books. */
export class BankFileInputError extends Error {
  override name = 'BankFileInputError';
}

interface Ymd {
  y: string;
  m: string;
  d: string;
}

/** Splits a YYYY-MM-DD business date, refusing impossible dates (2026-02-30). */
export function ymd(date: string, what: string): Ymd {
  const m = ISO_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new BankFileInputError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  return { y: m[1], m: m[2], d: m[3] };
}

/** 21/05/2020: how BNI writes PROC DATE and TRX DATE. */
export function dayMonthYear(date: string, what: string): string {
  const { y, m, d } = ymd(date, what);
  return `${d}/${m}/${y}`;
}

/** 200522: the YYMMDD of SWIFT MT940 balances and :61: value dates. */
export function yymmdd(date: string, what: string): string {
  const { y, m, d } = ymd(date, what);
  return `${y.slice(2)}${m}${d}`;
}

/** 20200522 */
export function yyyymmdd(date: string, what: string): string {
  const { y, m, d } = ymd(date, what);
  return `${y}${m}${d}`;
}

/** 43973 for 2020-05-22: the Mandiri statement is an xlsx, and its dates are Excel day serials. */
export function excelSerial(date: string, what: string): string {
  const { y, m, d } = ymd(date, what);
  return String((Date.UTC(Number(y), Number(m) - 1, Number(d)) - EXCEL_EPOCH_MS) / DAY_MS);
}

/** 20200522013005: an instant in UTC, to the second, as MT940 and camt references use it. */
export function utcStamp(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new BankFileInputError('generatedAt is not a valid instant');
  return instant.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** 2020-05-22T01:30:05Z: an instant in UTC without the milliseconds no bank writes. */
export function utcDateTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new BankFileInputError('generatedAt is not a valid instant');
  return `${instant.toISOString().slice(0, 19)}Z`;
}

/** A money field of the input as a Decimal; refuses numbers in disguise ("1e5", "", " 10"). */
export function money(value: string, what: string): Decimal {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new BankFileInputError(`${what} must be a decimal string, got ${JSON.stringify(value)}`);
  }
  return new Decimal(value);
}

/** 233000, 349.5, 0.15: no separators, no trailing zeros, never an exponent (as the xlsx cells read). */
export function plainAmount(value: Decimal): string {
  return value.toFixed();
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0));
}

/** One CSV field: quoted only when it must be, so ordinary rows look exactly like the bank's. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CRLF-terminated CSV line: both real settlement files end their lines with CRLF. */
export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Cut or right-pad to a fixed width in characters, as the Mandiri xlsx cells are. */
export function fixedWidth(value: string, width: number): string {
  const chars = Array.from(value);
  return chars.length >= width ? chars.slice(0, width).join('') : value + ' '.repeat(width - chars.length);
}

export type CardBrand = 'visa' | 'mastercard' | 'jcb' | 'domestic';

/** The network of a card from its BIN, the way acquirers group their fees. Anything not Visa,
 * Mastercard or JCB is taken as a domestic (GPN) debit card, which most traders carry. */
export function cardBrand(maskedPan: string | undefined): CardBrand {
  const pan = maskedPan ?? '';
  const two = Number(pan.slice(0, 2));
  const four = Number(pan.slice(0, 4));
  if (pan.startsWith('4')) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (four >= 3528 && four <= 3589) return 'jcb';
  return 'domestic';
}

/** Re-mask a PAN with the bank's own mask character (BNI writes X, Mandiri writes *). */
export function remask(maskedPan: string | undefined, mask: 'X' | '*'): string {
  return (maskedPan ?? '').replace(/[^0-9]/g, mask);
}
