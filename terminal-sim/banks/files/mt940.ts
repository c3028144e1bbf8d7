// The treasury account statement as SWIFT MT940, the way Indonesian banks hand it to a customer
// (../shared/conformance/mt940/id_CIMB_IDR_Payment_mock.txt, id_BTN_IDR_Mock.txt, id_BRI_*):
//
//   {1:F01BANK JATENG}{2:I940RKUD KAB MAGELANG}{4:
//   :20:20261125030008             <- statement reference: its statementId, else when it was made (UTC)
//   :25:1010001234                 <- the account
//   :28C:102                       <- statement number
//   :60F:C261125IDR100000,35       <- opening balance: C/D, YYMMDD, currency, amount with a comma
//   :61:2611251125C232650,00NTRF67377   <- value date, entry date MMDD, C/D, amount, type, reference
//   :86:STL BNI EDC 20261124 B67377     <- the bank's free text, up to 6 lines of 65
//   :62F:C261125IDR340150,35       <- closing balance
//   :64:C261125IDR340150,35        <- closing available balance
//   -}
//
// Like the Indonesian samples, blocks 1 and 2 hold the bank's and the customer's names rather
// than SWIFT addresses (no SWIFT network carries this file: it is downloaded from the bank's cash
// management portal). Unlike BTN and BRI, amounts always have a decimal comma and two decimals, as
// the standard and CIMB write them. Lines end with CRLF, as in SWIFT FIN.
import type Decimal from 'decimal.js';
import type { Statement } from '../types';
import { BankFileInputError, utcStamp, yymmdd } from './file-format';
import { type CheckedEntry, checkStatement } from './statement-check';

/** The SWIFT X character set; anything else in free text is replaced by a space, as banks do. */
const NOT_SWIFT_X = /[^A-Za-z0-9/\-?:().,'+ ]/g;
const REFERENCE = /^[A-Za-z0-9/\-?:().,'+ ]{1,16}$/;
const MAX_86_LINES = 6;
const LINE_86 = 65;

export function writeMt940(statement: Statement): string {
  const s = checkStatement(statement);
  const date = yymmdd(statement.date, 'statement date');
  const lines = [
    `{1:F01${swiftText(statement.bankName).toUpperCase()}}{2:I940${swiftText(statement.accountName)}}{4:`,
    `:20:${statementReference(statement)}`,
    `:25:${statement.accountNumber}`,
    `:28C:${statement.statementNumber}`,
    `:60F:${balance(s.opening, date)}`,
    ...s.entries.flatMap(entryLines),
    `:62F:${balance(s.closing, date)}`,
    `:64:${balance(s.closing, date)}`,
    '-}',
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

/** The statement's own id when it has one (16x, as :20: allows), else when it was made. */
function statementReference(statement: Statement): string {
  if (statement.statementId === undefined) return utcStamp(statement.generatedAt);
  if (!REFERENCE.test(statement.statementId))
    throw new BankFileInputError(`statementId ${JSON.stringify(statement.statementId)} is not an MT940 :20: (16x)`);
  return statement.statementId;
}

/** C or D, YYMMDD, IDR, then the unsigned amount: a negative balance is a D balance. */
function balance(amount: Decimal, date: string): string {
  return `${amount.isNegative() ? 'D' : 'C'}${date}IDR${swiftAmount(amount.abs(), 'balance')}`;
}

/** 232650,00: a decimal comma, no thousand separators, at most 15 characters. */
function swiftAmount(amount: Decimal, what: string): string {
  if (amount.decimalPlaces() > 2) throw new BankFileInputError(`${what} ${amount.toFixed()} has more than 2 decimals`);
  const text = amount.toFixed(2).replace('.', ',');
  if (text.length > 15) throw new BankFileInputError(`${what} ${text} is longer than MT940's 15 characters`);
  return text;
}

function entryLines({ entry, amount }: CheckedEntry): string[] {
  const valueDate = yymmdd(entry.valueDate, 'valueDate');
  const entryDate = yymmdd(entry.bookingDate, 'bookingDate').slice(2);
  const mark = entry.direction === 'credit' ? 'C' : 'D';
  // NTRF: a transfer. The reference is the acquirer's batch id, which reconciliation matches on:
  // refuse one MT940 cannot carry unchanged rather than cut it.
  const reference = entry.reference === '' ? 'NONREF' : entry.reference;
  if (!REFERENCE.test(reference) || reference.includes('//') || reference.startsWith('/') || reference.endsWith('/')) {
    throw new BankFileInputError(`reference ${JSON.stringify(entry.reference)} is not an MT940 reference (16x, no //)`);
  }
  const line61 = `:61:${valueDate}${entryDate}${mark}${swiftAmount(amount, `entry ${reference}`)}NTRF${reference}`;
  const text = field86(entry.description);
  return text.length === 0 ? [line61] : [line61, `:86:${text[0]}`, ...text.slice(1)];
}

/** The free text cut into lines of 65; what does not fit in 6 lines is dropped, as banks do. A
 * continuation line must not start (even after spaces, which BRI-style readers trim) with ':' or
 * '-', which would read as a new field or the end of the message: such a lead becomes spaces. */
function field86(description: string): string[] {
  const text = swiftText(description).trim();
  const lines: string[] = [];
  for (let i = 0; i < text.length && lines.length < MAX_86_LINES; i += LINE_86) {
    const line = text.slice(i, i + LINE_86);
    lines.push(i > 0 ? line.replace(/^[\s:-]+/, (lead) => ' '.repeat(lead.length)) : line);
  }
  return lines;
}

function swiftText(text: string): string {
  return text.replace(NOT_SWIFT_X, ' ');
}
