// How money settles assessments. One rule everywhere: the oldest open assessment of the
// stall's occupant first; what is left is that trader's credit (advance) on that stall, and
// later assessments of the stall consume that credit, again oldest first.
//
// A payment (card or QRIS) is allocated inside ledger_record_payment (db/migrations/
// 20261123110000_create_qris_and_voids.ts), under the stall's row lock. Credit is applied
// here, set-based, by the daily assessment after it creates the day's assessments.
import type { Db } from '../../db/knex';

// Balances are recomputed after the stalls are locked (a new statement, so a fresh snapshot in
// READ COMMITTED): a payment that committed while we waited is counted.
const APPLY_CREDIT = `
with credit as (
  select jl.stall_id, jl.trader_id, sum(jl.credit - jl.debit) as bal
    from journal_lines jl
    join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
   where jl.region_id = :regionId and jl.stall_id = any(cast(:stallIds as uuid[]))
   group by jl.stall_id, jl.trader_id
  having sum(jl.credit - jl.debit) > 0
), open as (
  select a.id, a.stall_id, a.trader_id, a.market_id, a.open_amount,
         sum(a.open_amount) over (partition by a.stall_id, a.trader_id order by a.business_date, a.id) as upto
    from assessments a
    join credit c on c.stall_id = a.stall_id and c.trader_id = a.trader_id
   where a.region_id = :regionId and a.open_amount > 0
), alloc as (
  select o.id, o.stall_id, o.trader_id, o.market_id,
         least(o.open_amount, c.bal - (o.upto - o.open_amount)) as amount
    from open o join credit c on c.stall_id = o.stall_id and c.trader_id = o.trader_id
   where c.bal > o.upto - o.open_amount
), grp as materialized (
  select stall_id, trader_id, market_id, sum(amount) as total, gen_random_uuid() as entry_id
    from alloc group by stall_id, trader_id, market_id
), entries as (
  insert into journal_entries (region_id, id, kind, business_date, memo)
  select :regionId, entry_id, 'credit_applied', cast(:date as date), 'titipan dipakai untuk retribusi' from grp
), lines as (
  insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
  select :regionId, g.entry_id, ac.id,
         case when ac.purpose = 'trader_credit' then g.total else 0 end,
         case when ac.purpose = 'stall_receivable' then g.total else 0 end,
         g.trader_id, g.stall_id
    from grp g
    join accounts ac on ac.region_id = :regionId
         and ((ac.purpose = 'trader_credit') or (ac.purpose = 'stall_receivable' and ac.market_id = g.market_id))
), allocs as (
  insert into allocations (region_id, assessment_id, journal_entry_id, amount)
  select :regionId, a.id, g.entry_id, a.amount
    from alloc a join grp g on g.stall_id = a.stall_id and g.trader_id = a.trader_id
)
update assessments x set open_amount = x.open_amount - a.amount
  from alloc a
 where x.region_id = :regionId and x.id = a.id
returning a.amount`;

/** Applies each (trader, stall) credit on the given stalls to their open assessments.
 * Must run in a transaction; locks the stalls in id order (payments lock one stall). */
export async function applyCredit(
  trx: Db,
  regionId: string,
  stallIds: string[],
  date: string,
): Promise<{ assessments: number }> {
  if (stallIds.length === 0) return { assessments: 0 };
  const withCredit = await trx.raw(
    `select distinct jl.stall_id from journal_lines jl
       join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
      where jl.region_id = ? and jl.stall_id = any(?::uuid[])
      group by jl.stall_id, jl.trader_id having sum(jl.credit - jl.debit) > 0`,
    [regionId, stallIds],
  );
  const ids: string[] = withCredit.rows.map((r: { stall_id: string }) => r.stall_id).sort();
  if (ids.length === 0) return { assessments: 0 };
  await trx.raw(`select id from stalls where region_id = ? and id = any(?::uuid[]) order by id for no key update`, [
    regionId,
    ids,
  ]);
  const { rows } = await trx.raw(APPLY_CREDIT, { regionId, stallIds: ids, date });
  return { assessments: rows.length };
}
