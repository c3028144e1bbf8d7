// After the run the ledger must say what the responses said: one payments row per 201, and
// every journal entry balanced (debits = credits), checked by the database in one query; and how
// many transactions posted them (payments of one group share their row's xmin).
import type { Knex } from 'knex';

export interface Verified {
  ok: boolean;
  line: string;
}

export async function verifyLedger(knex: Knex, created: number): Promise<Verified> {
  const { rows } = await knex.raw(`
    select (select count(*) from payments)::int as payments,
           (select count(*) from receipts)::int as receipts,
           (select count(*) from allocations where payment_id is not null)::int as allocations,
           (select count(*) from payments where credit_amount > 0)::int as with_credit,
           (select count(*) from (select 1 from journal_lines group by region_id, entry_id
                                   having sum(debit) <> sum(credit) or count(*) < 2) x)::int as unbalanced,
           (select count(*) from journal_entries)::int as entries,
           (select count(distinct xmin::text) from payments)::int as transactions`);
  const r = rows[0] as {
    payments: number;
    receipts: number;
    allocations: number;
    with_credit: number;
    unbalanced: number;
    entries: number;
    transactions: number;
  };
  const ok = r.payments === created && r.receipts === created && r.unbalanced === 0;
  const line =
    `payments rows ${r.payments} ${r.payments === created ? '=' : '<>'} 201 responses ${created}, receipts ${r.receipts}; ` +
    `journal entries ${r.entries}, unbalanced ${r.unbalanced}; allocations ${r.allocations}, payments leaving credit ${r.with_credit}; ` +
    `posted in ${r.transactions} transactions (${(r.payments / Math.max(1, r.transactions)).toFixed(1)} payments each): ` +
    (ok ? 'ok' : 'MISMATCH');
  return { ok, line };
}
