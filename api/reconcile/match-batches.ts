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

/** At most this many unmatched batches of one settlement date are tried as subsets (2^n sums). */
export const SUBSET_SUM_MAX_BATCHES = 16;

export interface Batch {
  acquirer_id: string;
  batch: string;
  settlement_date: string | null;
  gross: string;
  mdr: string;
  net: string;
  lines: number;
}

interface Credit {
  id: string;
  value_date: string;
  amount: string;
  reference: string;
  description: string;
}

/** The batches that hold any line of this business date, with their totals over all their lines. */
export async function batchesOf(db: Knex | Knex.Transaction, regionId: string, date: string): Promise<Batch[]> {
  return (
    await db.raw(
      `with mine as (
         select distinct acquirer_id, batch from settlement_lines
          where region_id = :region and transaction_date = cast(:date as date) and batch is not null)
       select sl.acquirer_id, sl.batch, max(sl.settlement_date)::text as settlement_date,
              sum(sl.gross)::text as gross, sum(sl.mdr + sl.other_fees)::text as mdr, sum(sl.net)::text as net,
              count(*)::int as lines
         from settlement_lines sl join mine using (acquirer_id, batch)
        where sl.region_id = :region
        group by sl.acquirer_id, sl.batch
        order by sl.acquirer_id, sl.batch`,
      { region: regionId, date },
    )
  ).rows;
}

export async function matchBatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  const posted = new Set<string>(
    (await trx.raw('select acquirer_id, batch from settlement_postings where region_id = ?', [regionId])).rows.map(
      (r: { acquirer_id: string; batch: string }) => `${r.acquirer_id}|${r.batch}`,
    ),
  );
  const open = (await batchesOf(trx, regionId, date)).filter((b) => !posted.has(`${b.acquirer_id}|${b.batch}`));
  if (open.length === 0) return;
  const dates = open.map((b) => b.settlement_date ?? date).sort();
  const credits: Credit[] = (
    await trx.raw(
      `select e.id::text as id, e.value_date::text as value_date, e.amount::text as amount, e.reference, e.description
         from statement_entries e
        where e.region_id = ? and e.direction = 'credit' and not e.reversal
          and e.value_date between ?::date - 1 and ?::date + 7
          and not exists (select 1 from settlement_postings sp where sp.region_id = e.region_id and sp.statement_entry_id = e.id)
        order by e.value_date, e.id`,
      [regionId, dates[0], dates[dates.length - 1]],
    )
  ).rows;
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
    const entry = (
      await trx.raw(
        `insert into journal_entries (region_id, kind, business_date, memo) values (?, 'settlement', ?, ?) returning id`,
        [regionId, credit.value_date, `settlement batch ${b.batch}`],
      )
    ).rows[0].id as string;
    const lines: [string, Decimal, Decimal][] = [
      [`ledger_account(:region, 'treasury_bank')`, credited, new Decimal(0)],
      [`ledger_account(:region, 'mdr_expense')`, fee, new Decimal(0)],
      [`ledger_account(:region, 'suspense')`, gap.gt(0) ? gap : new Decimal(0), gap.lt(0) ? gap.neg() : new Decimal(0)],
      [`ledger_account(:region, 'acquirer_clearing', null, cast(:acquirer as uuid))`, new Decimal(0), gross],
    ];
    for (const [account, debit, creditAmount] of lines) {
      if (debit.isZero() && creditAmount.isZero()) continue;
      await trx.raw(
        `insert into journal_lines (region_id, entry_id, account_id, debit, credit) values (:region, :entry, ${account}, :debit, :credit)`,
        { region: regionId, entry, acquirer: b.acquirer_id, debit: debit.toFixed(2), credit: creditAmount.toFixed(2) },
      );
    }
    await trx.raw(
      `insert into settlement_postings (region_id, acquirer_id, batch, settlement_date, statement_entry_id, method, gross, mdr, net, credited, journal_entry_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        regionId,
        b.acquirer_id,
        b.batch,
        b.settlement_date,
        credit.id,
        method,
        gross.toFixed(2),
        b.mdr,
        b.net,
        credited.toFixed(2),
        entry,
      ],
    );
  }
}
