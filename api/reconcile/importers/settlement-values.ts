// Amounts, dates and rates as the acquirers write them, read into exact values. Every reader
// throws SettlementImportError naming the line and the column, never a generic error.
import Decimal from 'decimal.js';
import { SettlementImportError } from './settlement-types';

export { Decimal };

const DAY_MS = 86_400_000;
/** Excel's day 0: its serials count from 1899-12-30 because of the 1900 leap-year bug. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** 1901-01-01 and 9999-12-31: outside these a number is not a date Excel would have written. */
const EXCEL_MIN = 367;
const EXCEL_MAX = 2_958_465;

const PLAIN = { '.': /^\d+(\.\d+)?$/, ',': /^\d+(,\d+)?$/ };
const GROUPED = { '.': /^\d{1,3}(,\d{3})+(\.\d+)?$/, ',': /^\d{1,3}(\.\d{3})+(,\d+)?$/ };

/** The contract's money string, the same as the statement readers': two decimals at least, more
 * only when the bank wrote significant ones ("313.10", "0.00", "8.125"); never an exponent. */
export function money(value: Decimal): string {
  const v = value.isZero() ? new Decimal(0) : value;
  return v.decimalPlaces() <= 2 ? v.toFixed(2) : v.toFixed();
}

/** A rate or other plain decimal: no trailing zeros ("0.0015", "0.018"), never an exponent. */
export function plainDecimal(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

/** An amount with a "." decimal point (233000, 349.5, 200000.000, 1,539,000.00) or, when
 * asked, a "," one (1.539.000,50). A leading minus or accounting brackets make it negative.
 * Exponents are refused: a cell written 2.00522903886572e+16 has already lost its digits. */
export function readAmount(value: string, where: Where, decimalSeparator: '.' | ',' = '.'): Decimal {
  // The common case, digits with perhaps a decimal point, needs none of the rest.
  if (decimalSeparator === '.' && PLAIN['.'].test(value)) return new Decimal(value);
  let v = value.trim().replace(/^(Rp\.?|IDR)\s*/i, '');
  let negative = false;
  const bracketed = /^\((.*)\)$/.exec(v);
  if (bracketed) [negative, v] = [true, bracketed[1].trim()];
  else if (v.startsWith('-')) [negative, v] = [true, v.slice(1).trim()];
  if (/^[\d.,]+e[+-]?\d+$/i.test(v))
    where.fail(`${JSON.stringify(value)} is in scientific notation; its digits are lost`);
  if (!PLAIN[decimalSeparator].test(v) && !GROUPED[decimalSeparator].test(v)) {
    where.fail(`${JSON.stringify(value)} is not an amount`);
  }
  const thousands = decimalSeparator === '.' ? /,/g : /\./g;
  const plain = v.replace(thousands, '').replace(',', '.');
  const amount = new Decimal(plain);
  return negative ? amount.negated() : amount;
}

/** An optional amount column: blank means none, which for a fee is zero. */
export function readAmountOrZero(value: string, where: Where, decimalSeparator: '.' | ',' = '.'): Decimal {
  return value.trim() === '' ? new Decimal(0) : readAmount(value, where, decimalSeparator);
}

/** A rate written in percent (BNI's RATE 0.15, BRI's 1.800) as the fraction our contract uses. */
export function percentToFraction(value: string, where: Where): string {
  return plainDecimal(readAmount(value, where).div(100));
}

/** Where a value came from, and how to refuse it. */
export interface Where {
  fail(reason: string): never;
}

export function at(line: number, column: string): Where {
  return {
    fail(reason: string): never {
      throw new SettlementImportError(line, `${column}: ${reason}`, column);
    },
  };
}

function isoDate(y: number, m: number, d: number): string | undefined {
  if (![y, m, d].every(Number.isInteger)) return undefined;
  const ms = Date.UTC(y, m - 1, d);
  const iso = new Date(ms).toISOString().slice(0, 10);
  const want = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return iso === want ? iso : undefined;
}

const formats = new Map<string, { re: RegExp; order: string[]; read: Map<string, string> }>();

/** A pattern like DD/MM/YYYY or YYYYMMDD as a regex; a lone day or month digit is allowed when
 * the pattern has separators, since Excel writes 5/21/2020. */
function compile(format: string): { re: RegExp; order: string[]; read: Map<string, string> } {
  const cached = formats.get(format);
  if (cached) return cached;
  const separated = /[^YMD]/.test(format);
  const order: string[] = [];
  const source = format.replace(/YYYY|MM|DD|[.*+?^${}()|[\]\\]/g, (token) => {
    if (token.length === 1) return `\\${token}`;
    order.push(token);
    return token === 'YYYY' ? '(\\d{4})' : separated ? '(\\d{1,2})' : '(\\d{2})';
  });
  const compiled = { re: new RegExp(`^${source}$`), order, read: new Map<string, string>() };
  formats.set(format, compiled);
  return compiled;
}

/** A format the date readers can use: "excel", or one with each of YYYY, MM and DD once. */
export function isDateFormat(format: string): boolean {
  return format === 'excel' || ['YYYY', 'MM', 'DD'].every((t) => format.split(t).length === 2);
}

/** A date in the given format (tokens YYYY MM DD, or "excel" for a day serial) as YYYY-MM-DD. */
export function readDate(value: string, format: string, where: Where): string {
  const v = value.trim();
  if (format === 'excel') return excelDateTime(v, where).date;
  const { re, order, read } = compile(format);
  // A file has a handful of distinct dates over its million lines: each is read once.
  const known = read.get(v);
  if (known !== undefined) return known;
  const m = re.exec(v);
  const part = (token: string) => Number(m?.[order.indexOf(token) + 1]);
  const date = m ? isoDate(part('YYYY'), part('MM'), part('DD')) : undefined;
  if (date === undefined) return where.fail(`${JSON.stringify(value)} is not a date ${format}`);
  if (read.size >= READ_DATES_KEPT) read.clear();
  read.set(v, date);
  return date;
}

/** Dates remembered per format; a file of more distinct dates than this only reads some twice. */
const READ_DATES_KEPT = 1_000;

/** A date-time: the date in its format, then a space or T, then HH:mm[:ss]; or an Excel serial. */
export function readDateTime(value: string, format: string, where: Where): string {
  const v = value.trim();
  if (format === 'excel') {
    const { date, time } = excelDateTime(v, where);
    return `${date}T${time ?? '00:00:00'}`;
  }
  const split =
    /^(.*?)[ T](\d{1,2}:\d{2}(:\d{2})?)$/.exec(v) ?? where.fail(`${JSON.stringify(value)} has no time of day`);
  return `${readDate(split[1], format, where)}T${readTime(split[2], where)}`;
}

/** HH:mm[:ss] text, or an Excel day fraction (0.45275462962963 = 10:51:58), as HH:mm:ss. */
export function readTime(value: string, where: Where): string {
  const v = value.trim();
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) where.fail(`${JSON.stringify(value)} is not a time of day`);
    return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  }
  if (!/^0(\.\d+)?$/.test(v)) where.fail(`${JSON.stringify(value)} is not a time of day`);
  return clockOf(Math.min(new Decimal(v).times(86_400).round().toNumber(), 86_399));
}

function clockOf(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [h, m, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** An Excel serial (43973 = 2020-05-22; a fraction is the time of day, rounded to the second). */
export function excelDateTime(value: string, where: Where): { date: string; time?: string } {
  if (!/^\d+(\.\d+)?$/.test(value)) where.fail(`${JSON.stringify(value)} is not an Excel date serial`);
  const serial = new Decimal(value);
  if (serial.lt(EXCEL_MIN) || serial.gt(EXCEL_MAX)) where.fail(`${value} is outside the Excel dates a bank writes`);
  const seconds = serial.times(86_400).round().toNumber();
  const days = Math.floor(seconds / 86_400);
  const date = new Date(EXCEL_EPOCH_MS + days * DAY_MS).toISOString().slice(0, 10);
  return serial.isInteger() ? { date } : { date, time: clockOf(seconds - days * 86_400) };
}
