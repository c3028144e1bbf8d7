// The MT940 fields that carry values: balances (:60F: :62F: :64: ...) and the statement line
// :61:, read as the standard writes them and as real banks bend it (see each rule).
import type { Mt940Field } from './mt940-lines';
import { type Balance, type StatementLine, StatementImportError } from './statement-types';
import { isoDate, normaliseSpace, readSwiftAmount, statementMoney } from './statement-values';

const BALANCE = /^([CD])(\d{6})([A-Z]{3})([\d,]+)$/;
// YYMMDD value date, optional MMDD entry date, mark (RC/RD reversals first, so "CR300" reads as
// C with funds code R, as the German SEPA sample writes it), optional funds code letter, amount,
// N/F/S + 3-character type (Sberbank writes "S   "), then references.
const LINE61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?([\d,]+)([NFS][A-Za-z0-9 ]{3})(.*)$/;

/** Two-digit years: 70-99 are 19xx (the oldest samples are 2002-2007 files), the rest 20xx. */
export function swiftDate(yymmdd: string, line: number, what: string): string {
  const yy = Number(yymmdd.slice(0, 2));
  const year = yy >= 70 ? 1900 + yy : 2000 + yy;
  return isoDate(year, Number(yymmdd.slice(2, 4)), Number(yymmdd.slice(4, 6)), line, what);
}

export function readBalance(field: Mt940Field): Balance & { currency: string } {
  const m = BALANCE.exec(field.lines[0].text.trim());
  if (!m) throw new StatementImportError(field.line, `:${field.tag}: is not a balance (C/D, YYMMDD, currency, amount)`);
  const amount = readSwiftAmount(m[4], field.line, `:${field.tag}: amount`);
  return {
    amount: statementMoney(m[1] === 'D' ? amount.negated() : amount),
    date: swiftDate(m[2], field.line, `:${field.tag}: date`),
    currency: m[3],
  };
}

/** :61: and its optional second line (supplementary details). The :86: that follows is added
 * by the caller. */
export function readLine61(field: Mt940Field): StatementLine {
  const line = field.line;
  const m = LINE61.exec(field.lines[0].text.trimEnd());
  if (!m)
    throw new StatementImportError(line, ':61: is not a statement line (YYMMDD[MMDD]C/D amount N/F/S+code reference)');
  const [, valueYmd, entryMmdd, mark, fundsCode, amountText, code, rest] = m;
  const valueDate = swiftDate(valueYmd, line, ':61: value date');
  const amount = readSwiftAmount(amountText, line, ':61: amount');
  const { reference, bankReference, supplementary } = references(
    rest,
    field.lines.slice(1).map((l) => l.text),
  );
  const details: Record<string, string> = {};
  if (fundsCode) details.fundsCode = fundsCode;
  if (supplementary) details.supplementary = supplementary;
  return {
    lineNumber: line,
    valueDate,
    bookingDate: entryMmdd ? entryDate(valueDate, entryMmdd, line) : undefined,
    amount: statementMoney(amount),
    // RC reverses a credit: money leaves the account. RD reverses a debit: money comes back.
    direction: mark === 'C' || mark === 'RD' ? 'credit' : 'debit',
    reversal: mark.startsWith('R'),
    reference,
    bankReference,
    transactionCode: code,
    description: '',
    details,
  };
}

/** Customer reference, then //bank reference. Without "//", Rabobank pads the 16-character
 * reference with spaces and writes the counterparty's name after it on the same line. */
function references(rest: string, nextLines: string[]) {
  let reference = rest;
  let bankReference: string | undefined;
  const extra: string[] = [];
  const slashes = rest.indexOf('//');
  if (slashes >= 0) {
    reference = rest.slice(0, slashes);
    bankReference = rest.slice(slashes + 2).trim() || undefined;
  } else {
    const padded = /^(\S.*?)\s{2,}(\S.*)$/.exec(rest.trim());
    if (padded) [reference, extra[0]] = [padded[1], padded[2]];
  }
  reference = reference.trim();
  // SWIFT spells "no reference" NONREF; the importer should never match on it.
  if (reference.toUpperCase() === 'NONREF') reference = '';
  const supplementary = normaliseSpace([...extra, ...nextLines].join(' ')) || undefined;
  return { reference, bankReference, supplementary };
}

/** MMDD of the booking: the year is the value date's, or the next or previous one when the
 * booking crosses New Year (value 12-31, booked 01-02). */
function entryDate(valueDate: string, mmdd: string, line: number): string {
  const year = Number(valueDate.slice(0, 4));
  const [month, day] = [Number(mmdd.slice(0, 2)), Number(mmdd.slice(2))];
  // 02-29 exists only in some of the three years: keep the ones that have it.
  const candidates = [year, year - 1, year + 1].flatMap((y) =>
    isDate(y, month, day) ? [isoDate(y, month, day, line, '')] : [],
  );
  if (candidates.length === 0) throw new StatementImportError(line, `:61: entry date ${mmdd} is not a date`);
  const distance = (d: string) => Math.abs(Date.parse(d) - Date.parse(valueDate));
  return candidates.reduce((best, d) => (distance(d) < distance(best) ? d : best));
}

function isDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
