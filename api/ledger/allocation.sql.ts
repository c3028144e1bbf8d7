// The SQL of credit application (api/ledger/allocation.ts): which stalls hold credit, their row
// locks, and the one statement that applies the credit, set-based, posting its entries through
// api/ledger/post.ts.
import type { Db } from '../../db/knex';
import { postEntries } from './post';

/** Of the given stalls, those where some trader has credit (an advance) left. */
export async function stallsWithCredit(db: Db, regionId: string, stallIds: string[]): Promise<string[]> {
  const { rows } = await db.raw(
    `select distinct jl.stall_id from journal_lines jl
       join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
      where jl.region_id = ? and jl.stall_id = any(?::uuid[])
      group by jl.stall_id, jl.trader_id having sum(jl.credit - jl.debit) > 0`,
    [regionId, stallIds],
  );
  return rows.map((r: { stall_id: string }) => r.stall_id);
}

/** The stalls' row locks, in the order given (payments lock one stall). */
export async function lockStalls(db: Db, regionId: string, stallIds: string[]): Promise<void> {
  await db.raw(`select id from stalls where region_id = ? and id = any(?::uuid[]) order by id for no key update`, [
    regionId,
    stallIds,
  ]);
}

// Balances are recomputed after the stalls are locked (a new statement, so a fresh snapshot in
// READ COMMITTED): a payment that committed while we waited is counted. What is owed is read in
// the region's order from ledger_open_items (principal and penalty), the same list a payment
// allocates along.
const ALLOCATE = `
credit as (
  select jl.stall_id, jl.trader_id, sum(jl.credit - jl.debit) as bal
    from journal_lines jl
    join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
   where jl.region_id = :regionId and jl.stall_id = any(cast(:stallIds as uuid[]))
   group by jl.stall_id, jl.trader_id
  having sum(jl.credit - jl.debit) > 0
), open as (
  select c.stall_id, c.trader_id, s.market_id, o.kind, o.assessment_id, o.penalty_charge_id, o.open_amount,
         sum(o.open_amount) over (partition by c.stall_id, c.trader_id order by o.seq) as upto
    from credit c
    join stalls s on s.region_id = :regionId and s.id = c.stall_id
   cross join lateral ledger_open_items(cast(:regionId as uuid), c.stall_id, c.trader_id) o
), alloc as (
  select o.kind, o.assessment_id, o.penalty_charge_id, o.stall_id, o.trader_id, o.market_id,
         least(o.open_amount, c.bal - (o.upto - o.open_amount)) as amount
    from open o join credit c on c.stall_id = o.stall_id and c.trader_id = o.trader_id
   where c.bal > o.upto - o.open_amount
), grp as materialized (
  select stall_id, trader_id, market_id, sum(amount) as total,
         coalesce(sum(amount) filter (where kind = 'principal'), 0) as principal,
         coalesce(sum(amount) filter (where kind = 'penalty'), 0) as penalty,
         gen_random_uuid() as entry_id
    from alloc group by stall_id, trader_id, market_id
), allocs as (
  insert into allocations (region_id, assessment_id, journal_entry_id, amount)
  select :regionId, a.assessment_id, g.entry_id, a.amount
    from alloc a join grp g on g.stall_id = a.stall_id and g.trader_id = a.trader_id
   where a.kind = 'principal'
), penalty_allocs as (
  insert into penalty_allocations (region_id, penalty_charge_id, assessment_id, journal_entry_id, amount)
  select :regionId, a.penalty_charge_id, a.assessment_id, g.entry_id, a.amount
    from alloc a join grp g on g.stall_id = a.stall_id and g.trader_id = a.trader_id
   where a.kind = 'penalty'
), penalty_settled as (
  update penalty_charges x set open_amount = x.open_amount - a.amount
    from alloc a
   where a.kind = 'penalty' and x.region_id = :regionId and x.id = a.penalty_charge_id
  returning 'penalty' as kind
), principal_settled as (
  update assessments x set open_amount = x.open_amount - a.amount
    from alloc a
   where a.kind = 'principal' and x.region_id = :regionId and x.id = a.assessment_id
  returning 'principal' as kind
)`;

// Dr the trader's credit, Cr the market's stall receivable and penalty receivable, per (trader, stall).
const LINES = `
  select g.entry_id, ledger_account(:regionId, 'trader_credit') as account_id, g.total as debit, 0 as credit,
         g.trader_id, g.stall_id
    from grp g
  union all
  select g.entry_id, ledger_account(:regionId, 'stall_receivable', g.market_id), 0, g.principal, g.trader_id, g.stall_id
    from grp g where g.principal > 0
  union all
  select g.entry_id, ledger_account(:regionId, 'penalty_receivable', g.market_id), 0, g.penalty, g.trader_id, g.stall_id
    from grp g where g.penalty > 0`;

// What was settled: one row per assessment and per penalty charge (in part or whole).
const SETTLED = `
select kind from principal_settled
union all
select kind from penalty_settled`;

/** Applies the credit on the (locked) stalls to what they owe (principal and penalty, in the region's
 * order); answers how many assessments it settled (in part). */
export async function allocateCredit(
  db: Db,
  regionId: string,
  stallIds: string[],
  date: string,
): Promise<{ assessments: number; penalties: number }> {
  const rows = await postEntries<{ kind: 'principal' | 'penalty' }>(db, {
    regionId,
    kind: 'credit_applied',
    businessDate: date,
    memo: 'titipan dipakai untuk retribusi',
    with: ALLOCATE,
    entries: 'select entry_id from grp',
    lines: LINES,
    main: SETTLED,
    bindings: { regionId, stallIds, date },
  });
  return {
    assessments: rows.filter((r) => r.kind === 'principal').length,
    penalties: rows.filter((r) => r.kind === 'penalty').length,
  };
}
