// Settlement batches <-> treasury statement credits, and the journal entry for each batch whose
// money arrived: clearing is relieved at the batch's gross, the treasury bank receives what the
// statement credited, the MDR (and any other fee the bank took) is an expense, and a difference
// between what the batch should have paid and what arrived waits in suspense for an officer.
//
// A batch is matched to a credit by its reference (the batch id in the entry's reference or
// text), else by settlement date and exact net when one credit and one batch fit, else as part of
// a bounded subset whose nets sum exactly to one credit (a bank that pays several batches at once).
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { postEntry } from '../ledger/post';
import {
  type Batch,
  batchesOf,
  type Credit,
  insertSettlementPosting,
  postedBatches,
  unusedCredits,
} from './match-batches.sql';

export type { Batch } from './match-batches.sql';

/** At most this many unmatched batches of one settlement date are tried as subsets (2^n sums). */
export const SUBSET_SUM_MAX_BATCHES = 16;

export async function matchBatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  const posted = await postedBatches(trx, regionId);
  const open = (await batchesOf(trx, regionId, date)).filter((b) => !posted.has(`${b.acquirer_id}|${b.batch}`));
  if (open.length === 0) return;
  const dates = open.map((b) => b.settlement_date ?? date).sort();
  const credits = await unusedCredits(trx, regionId, dates[0], dates[dates.length - 1]);
  const usedCredits = new Set<string>();
  const done = new Set<Batch>();

  // 1. By reference: the batch id is the entry's reference, or a word of its text.
  for (const b of open) {
    const c = credits.find((c) => !usedCredits.has(c.id) && namesBatch(c, b.batch));
    if (!c) continue;
    await postBatch(trx, regionId, [b], c, 'reference');
    usedCredits.add(c.id);
    done.add(b);
  }
  // 2. By settlement date and exact net, when unambiguous both ways.
  const left = () => open.filter((b) => !done.has(b));
  for (const b of left()) {
    const fits = (c: Credit) =>
      !usedCredits.has(c.id) && c.value_date === b.settlement_date && new Decimal(c.amount).eq(b.net);
    const cs = credits.filter(fits);
    if (cs.length !== 1) continue;
    if (left().filter((o) => o.settlement_date === b.settlement_date && new Decimal(o.net).eq(b.net)).length !== 1)
      continue;
    await postBatch(trx, regionId, [b], cs[0], 'date-amount');
    usedCredits.add(cs[0].id);
    done.add(b);
  }
  // 3. Several batches paid as one credit: a subset of one settlement date's batches summing to it.
  for (const c of credits.filter((c) => !usedCredits.has(c.id))) {
    const pool = left()
      .filter((b) => b.settlement_date === c.value_date)
      .slice(0, SUBSET_SUM_MAX_BATCHES);
    const subset = subsetSumming(pool, new Decimal(c.amount));
    if (!subset || subset.length < 2) continue;
    await postBatch(trx, regionId, subset, c, 'subset-sum');
    usedCredits.add(c.id);
    subset.forEach((b) => done.add(b));
  }
}

function namesBatch(c: Credit, batch: string): boolean {
  if (c.reference === batch) return true;
  const words = `${c.reference} ${c.description}`.split(/[^0-9A-Za-z]+/);
  return words.some((w) => w === batch || w === `B${batch}`);
}

function subsetSumming(pool: Batch[], target: Decimal): Batch[] | undefined {
  const nets = pool.map((b) => new Decimal(b.net));
  for (let mask = 1; mask < 1 << pool.length; mask++) {
    let sum = new Decimal(0);
    for (let i = 0; i < pool.length; i++) if (mask & (1 << i)) sum = sum.plus(nets[i]);
    if (sum.eq(target)) return pool.filter((_, i) => mask & (1 << i));
  }
  return undefined;
}

/**
 * One journal entry per batch. For a credit paying several batches (subset sum) each batch's
 * treasury line is its own net, which together are the credit.
 */
async function postBatch(
  trx: Knex.Transaction,
  regionId: string,
  batches: Batch[],
  credit: Credit,
  method: string,
): Promise<void> {
  for (const b of batches) {
    const gross = new Decimal(b.gross).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const credited = (batches.length === 1 ? new Decimal(credit.amount) : new Decimal(b.net)).toDecimalPlaces(
      2,
      Decimal.ROUND_HALF_UP,
    );
    const fee = new Decimal(b.mdr).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    // What should have arrived but did not (or arrived beyond the net): suspense, until resolved.
    const gap = gross.minus(credited).minus(fee);
    const zero = new Decimal(0);
    const lines = [
      { account: { purpose: 'treasury_bank' }, debit: credited, credit: zero },
      { account: { purpose: 'mdr_expense' }, debit: fee, credit: zero },
      { account: { purpose: 'suspense' }, debit: gap.gt(0) ? gap : zero, credit: gap.lt(0) ? gap.neg() : zero },
      { account: { purpose: 'acquirer_clearing', acquirerId: b.acquirer_id }, debit: zero, credit: gross },
    ];
    const entry = await postEntry(trx, {
      regionId,
      kind: 'settlement',
      businessDate: credit.value_date,
      memo: `settlement batch ${b.batch}`,
      lines: lines
        .filter((l) => !(l.debit.isZero() && l.credit.isZero()))
        .map((l) => ({ account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2) })),
    });
    await insertSettlementPosting(trx, regionId, {
      acquirerId: b.acquirer_id,
      batch: b.batch,
      settlementDate: b.settlement_date,
      statementEntryId: credit.id,
      method,
      gross: gross.toFixed(2),
      mdr: b.mdr,
      net: b.net,
      credited: credited.toFixed(2),
      journalEntryId: entry,
    });
  }
}
