// What is wrong on a region's business date, computed from scratch on every run into a temporary
// table, then merged into reconciliation_exceptions: a new finding opens a row, a finding that
// is no longer true clears its open row, a resolved row stays resolved. Nothing is deleted.
// The statements are in exceptions.sql.ts; this file says which findings there are, and in which order.
//
// Subjects are stable across runs: payment:<id>, line:<id>, batch:<acquirer code>:<batch>,
// fees:<file>:<mid>:<batch>[:<group>] (a fee the bank fixed per group of lines),
// ambiguous:<acquirer>|<terminal>|<approval code>[|<amount>] (candidates that fit equally).
import type { Knex } from 'knex';
import type { Db } from '../../db/knex';
import * as sql from './exceptions.sql';

export const EXCEPTION_KINDS = [
  'in-ledger-not-settled',
  'settled-not-in-ledger',
  'amount-mismatch',
  'duplicate-settlement-line',
  'batch-statement-mismatch',
  'settled-late',
  'fee-mismatch',
  'ambiguous-match',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** Per acquirer: the day its settlement of this date is due, and whether its files reach that day. */
export interface AcquirerWindow {
  acquirerId: string;
  code: string;
  channel: string;
  mdrRate: string;
  /** How the bank computes its fee: per line or on a group's total, rounded half up to the unit */
  mdrBasis: 'per-line' | 'per-group';
  mdrRounding: 'sen' | 'rupiah';
  dueDate: string;
  covered: boolean;
}

export async function loadWindows(
  db: Db,
  regionId: string,
  date: string,
  addBusinessDays: (d: string, n: number) => string,
): Promise<AcquirerWindow[]> {
  const rows = await sql.acquirerRules(db, regionId);
  return rows.map((r) => {
    const dueDate = addBusinessDays(date, r.settlement_days);
    return {
      acquirerId: r.id,
      code: r.code,
      channel: r.channel,
      mdrRate: r.mdr_rate,
      mdrBasis: r.mdr_basis,
      mdrRounding: r.mdr_rounding,
      dueDate,
      covered: r.covered_to !== null && r.covered_to >= dueDate,
    };
  });
}

export async function refreshExceptions(
  trx: Knex.Transaction,
  regionId: string,
  date: string,
  windows: AcquirerWindow[],
): Promise<void> {
  await sql.fillWindows(
    trx,
    windows.map((w) => ({
      acquirer_id: w.acquirerId,
      code: w.code,
      channel: w.channel,
      mdr_rate: w.mdrRate,
      mdr_basis: w.mdrBasis,
      mdr_places: w.mdrRounding === 'rupiah' ? 0 : 2,
      due_date: w.dueDate,
      covered: w.covered,
    })),
  );
  await sql.startFindings(trx);
  // Paid at a terminal, and the acquirer's files past its due day do not have it.
  await sql.findUnsettledPayments(trx, regionId, date);
  // The bank settled it; no payment in the ledger is it.
  await sql.findUnknownLines(trx, regionId, date);
  // Candidates that fit each other equally: one finding per group, listing them, for an
  // officer to link; neither side is guessed, nor reported again as unsettled or unknown.
  await sql.findAmbiguousGroups(trx, regionId, date);
  await sql.findDuplicateLines(trx, regionId, date);
  // Matched, but the bank settled another amount, or later than its window: one pass over the
  // day's matches for both.
  await sql.findOffMatches(trx, regionId, date);
  // The fee the bank took against what its own rule gives (the acquirer's data: the rate for
  // the line's MID, card BIN or network, on each line or on a group's total, rounded half up to
  // the sen or the rupiah). A line whose MDR is its share of a group fee (Mandiri) is judged
  // with its group.
  await sql.fillRates(trx, regionId, date);
  await sql.findLineFeeMismatches(trx, regionId, date);
  await sql.findGroupFeeMismatches(trx, regionId, date);
  // Batches first seen on this date: credited with another amount than their net, or not credited
  // although the treasury statement for their settlement date is in.
  await sql.findBatchMismatches(trx, regionId, date);

  await sql.mergeFindings(trx, regionId, date);
  await sql.clearGoneFindings(trx, regionId, date);
}
