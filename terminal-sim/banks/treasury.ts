// The treasury bank (the region's RKUD account): on each settlement date it books one credit per
// acquirer batch, the batch's net, and closes the day with a statement. The balance before the
// first day is the bank's own business; it is drawn from the seed.
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { compactDate, dayOfYear, localInstant } from '../clock';
import type { RegionInfo } from '../setup/world';
import { int, type Rng } from '../rng';
import type { Statement, StatementEntry } from './types';

export type StatementFormat = 'mt940' | 'camt053';

/** Which statement each demo region's bank sends. BICs are illustrative, like the demo's accounts. */
const TREASURY: Record<string, { bic: string; format: StatementFormat }> = {
  MGL: { bic: 'PDJGIDJ1', format: 'mt940' },
  BJR: { bic: 'PDKSIDJ1', format: 'camt053' },
};

export function treasuryOf(region: RegionInfo): { bic: string; format: StatementFormat } {
  return TREASURY[region.code] ?? { bic: 'BPDAIDJ1', format: 'mt940' };
}

export interface Credit {
  batch: string;
  settlementDate: string;
  acquirerCode: string;
  channel: string;
  /** The day the batch's transactions were made */
  transactionDate: string;
  amount: Decimal;
}

/** One statement per date (a day without credits still has one), each opening where the last one closed. */
export function buildStatements(rng: Rng, region: RegionInfo, credits: Credit[], dates: string[]): Statement[] {
  const bank = treasuryOf(region);
  let opening = new Decimal(int(rng, 250_000, 2_500_000)).times(1000);
  return dates.map((date) => {
    const entries = credits
      .filter((c) => c.settlementDate === date)
      .sort((a, b) => a.batch.localeCompare(b.batch))
      .map(entryOf);
    const closing = entries.reduce((acc, e) => acc.plus(e.amount), opening);
    const statement: Statement = {
      bankName: region.treasuryBank,
      bic: bank.bic,
      accountNumber: region.treasuryAccount,
      accountName: `RKUD ${region.name.toUpperCase()}`,
      currency: 'IDR',
      statementNumber: dayOfYear(date),
      date,
      openingBalance: opening.toFixed(2),
      entries,
      closingBalance: closing.toFixed(2),
      // The statement is cut after the day's last booking.
      generatedAt: localInstant(date, 23 * 3600 + 30 * 60, region.timeZone),
    };
    statement.statementId = statementIdOf(statement);
    opening = closing;
    return statement;
  });
}

/**
 * The statement's id: its date (YYMMDD) and 10 hex digits of a digest of what it states (account,
 * date, balances, entries). Two simulated days can both write a statement of one account and date
 * (a late D+2 settlement and the next day's D+1): different content, different ids, so the second
 * is not taken for the first re-sent; the same statement written again keeps its id. 16
 * characters, as MT940's :20: allows; camt's Stmt/Id carries the same.
 */
export function statementIdOf(s: Statement): string {
  const content = JSON.stringify([
    s.accountNumber,
    s.date,
    s.openingBalance,
    s.closingBalance,
    s.entries.map((e) => [e.valueDate, e.bookingDate, e.direction, e.amount, e.reference, e.description]),
  ]);
  return `${compactDate(s.date).slice(2)}${createHash('sha256').update(content).digest('hex').slice(0, 10).toUpperCase()}`;
}

function entryOf(c: Credit): StatementEntry {
  const kind = c.channel === 'card' ? 'EDC' : 'QRIS';
  return {
    valueDate: c.settlementDate,
    bookingDate: c.settlementDate,
    amount: c.amount.toFixed(2),
    direction: 'credit',
    reference: c.batch,
    description: `STL ${c.acquirerCode.toUpperCase()} ${kind} ${compactDate(c.transactionDate)} B${c.batch}`,
  };
}
