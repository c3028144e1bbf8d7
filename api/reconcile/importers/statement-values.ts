// Values both statement readers share: exact money, dates, text clean-up, the balance rule and
// the file's encoding. Every reader throws StatementImportError naming the line, never a
// generic error: an officer must be able to open the file at that line and see what is wrong.
import Decimal from 'decimal.js';
import { type ParsedStatement, StatementImportError } from './statement-types';

/** "1234.50", "0.00", "1.23456": two decimals at least, more only when the bank wrote them
 * (a camt amount may carry up to five); trailing zeros beyond two are not significant. */
export function statementMoney(value: Decimal): string {
  const v = value.isZero() ? new Decimal(0) : value;
  return v.decimalPlaces() <= 2 ? v.toFixed(2) : v.toFixed();
}

/** SWIFT amounts: digits with a decimal comma ("1000,5", "500,", "0,"); Indonesian banks
 * (BTN, BRI) and Knab leave the comma out altogether ("10000"). */
export function readSwiftAmount(text: string, line: number, what: string): Decimal {
  if (!/^\d+(,\d*)?$/.test(text))
    throw new StatementImportError(line, `${what}: ${JSON.stringify(text)} is not an amount`);
  return new Decimal(text.replace(/,$/, '').replace(',', '.'));
}

/** ISO amounts: a decimal point, up to five fraction digits in the wild (genkgo's sample). */
export function readIsoAmount(text: string | undefined, line: number, what: string): Decimal {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) {
    throw new StatementImportError(line, `${what}: ${JSON.stringify(text ?? '')} is not an amount`);
  }
  return new Decimal(text);
}

/** YYYY-MM-DD, refusing dates no calendar has (2026-02-30). */
export function isoDate(year: number, month: number, day: number, line: number, what: string): string {
  const ms = Date.UTC(year, month - 1, day);
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new StatementImportError(line, `${what}: ${text} is not a date`);
  }
  return text;
}

/** Runs of spaces, tabs and line breaks become one space; the ends are trimmed. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A statement's raw bytes as text: UTF-8 when they are valid UTF-8, else a single-byte code
 * page. Real MT940 files come in ISO-8859-1 (German banks), UTF-8 (Polish banks) or a DOS code
 * page (Raiffeisen HU writes CP852, though it is said to be ISO-8859-2), and nothing in the file
 * says which: the caller may name the bank's. */
export function decodeStatementBuffer(
  bytes: Uint8Array,
  fallback: 'latin1' | 'iso-8859-2' | 'cp852' = 'latin1',
): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (fallback === 'cp852')
      text = Array.from(bytes, (b) => (b < 128 ? String.fromCharCode(b) : CP852[b - 128])).join('');
    // Buffer's latin1 is true ISO-8859-1; TextDecoder's "latin1" label means windows-1252.
    else if (fallback === 'latin1') text = Buffer.from(bytes).toString('latin1');
    else text = new TextDecoder(fallback).decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Bytes 0x80-0xFF of IBM code page 852 (DOS Latin-2), which the WHATWG decoders do not know. */
const CP852 = [
  'ÇüéâäůćçłëŐőîŹÄĆ',
  'ÉĹĺôöĽľŚśÖÜŤťŁ×č',
  'áíóúĄąŽžĘę¬źČş«»',
  '░▒▓│┤ÁÂĚŞ╣║╗╝Żż┐',
  '└┴┬├─┼Ăă╚╔╩╦╠═╬¤',
  'đĐĎËďŇÍÎě┘┌█▄ŢŮ▀',
  'ÓßÔŃńňŠšŔÚŕŰýÝţ´',
  '\u00AD˝˛ˇ˘§÷¸°¨˙űŘř■\u00A0',
].join('');

/** opening + credits - debits must be the closing balance, else the statement is refused at
 * closingLine. Reversals need no special case: each entry's direction is already effective. */
export function checkBalanced(statement: ParsedStatement, closingLine: number): void {
  const { openingBalance: opening, closingBalance: closing } = statement;
  if (!opening || !closing) return;
  const [from, to] = [opening.currency ?? statement.currency, closing.currency ?? statement.currency];
  if (from !== to)
    throw new StatementImportError(closingLine, `the closing balance is in ${to}, the opening balance in ${from}`);
  let credits = new Decimal(0);
  let debits = new Decimal(0);
  for (const e of statement.entries) {
    if (e.direction === 'credit') credits = credits.plus(e.amount);
    else debits = debits.plus(e.amount);
  }
  const expected = new Decimal(opening.amount).plus(credits).minus(debits);
  if (!expected.eq(closing.amount)) {
    throw new StatementImportError(
      closingLine,
      `statement ${statement.statementId} does not balance: opening ${opening.amount} + credits ` +
        `${statementMoney(credits)} - debits ${statementMoney(debits)} = ${statementMoney(expected)}, ` +
        `but the closing balance is ${closing.amount}`,
    );
  }
}
