// What a treasury statement must satisfy before any format writes it. A bank never sends a
// statement whose closing balance is not the opening plus the credits minus the debits: when the
// simulator credits a batch short, the entry is short and the closing balance follows it.
import type Decimal from 'decimal.js';
import type { Statement, StatementEntry } from '../types';
import { BankFileInputError, money, sum, ymd } from './file-format';

export interface CheckedEntry {
  entry: StatementEntry;
  /** Always positive or zero; the direction carries the sign */
  amount: Decimal;
}

export interface CheckedStatement {
  statement: Statement;
  opening: Decimal;
  closing: Decimal;
  entries: CheckedEntry[];
  credits: Decimal;
  debits: Decimal;
}

/** BIC8 or BIC11, as SWIFT and ISO 20022 both require. */
const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;

export function checkStatement(s: Statement): CheckedStatement {
  if (!BIC.test(s.bic)) throw new BankFileInputError(`bic must be a BIC8 or BIC11, got ${JSON.stringify(s.bic)}`);
  if (s.currency !== 'IDR') throw new BankFileInputError(`currency must be IDR, got ${JSON.stringify(s.currency)}`);
  if (!/^[A-Za-z0-9]{1,34}$/.test(s.accountNumber)) {
    throw new BankFileInputError(
      `accountNumber must be 1-34 letters or digits, got ${JSON.stringify(s.accountNumber)}`,
    );
  }
  if (!Number.isInteger(s.statementNumber) || s.statementNumber < 1 || s.statementNumber > 99999) {
    throw new BankFileInputError(`statementNumber must be 1-99999 (MT940 :28C: is 5 digits), got ${s.statementNumber}`);
  }
  ymd(s.date, 'statement date');
  const entries = s.entries.map((entry, i) => checkEntry(entry, i));
  const credits = sum(entries.filter((e) => e.entry.direction === 'credit').map((e) => e.amount));
  const debits = sum(entries.filter((e) => e.entry.direction === 'debit').map((e) => e.amount));
  const opening = money(s.openingBalance, 'openingBalance');
  const closing = money(s.closingBalance, 'closingBalance');
  const expected = opening.plus(credits).minus(debits);
  if (!expected.eq(closing)) {
    throw new BankFileInputError(
      `statement does not balance: opening ${s.openingBalance} + credits ${credits.toFixed()} - debits ${debits.toFixed()} = ${expected.toFixed()}, not the closing ${s.closingBalance}`,
    );
  }
  return { statement: s, opening, closing, entries, credits, debits };
}

function checkEntry(entry: StatementEntry, index: number): CheckedEntry {
  const at = `entry ${index + 1} (${entry.reference})`;
  const amount = money(entry.amount, `${at} amount`);
  if (amount.isNegative()) throw new BankFileInputError(`${at}: amount must not be negative; direction says debit`);
  if (entry.direction !== 'credit' && entry.direction !== 'debit') {
    throw new BankFileInputError(`${at}: direction must be credit or debit`);
  }
  ymd(entry.valueDate, `${at} valueDate`);
  ymd(entry.bookingDate, `${at} bookingDate`);
  return { entry, amount };
}
