// The SQL of arrears as of a date D (docs: /work/notes/issue6-design.md, "Decisions").
//
// Unpaid principal as of D = amount − allocations whose entry is dated ≤ D. Since open_amount is
// amount − every allocation (kept so under the stall's lock), that equals open_amount + the
// allocations dated after D. So the candidates are the open assessments (a partial index) plus
// the few touched by an entry dated after D, found through journal_entries_date: as of today
// there are none, and a past date costs only the entries since then. Those later allocations are
// gathered once per snapshot into the temp table arrears_later (see arrears.repository.ts).
// The list itself is then computed once, set-based, into arrears_list, and read from there.

export interface SqlFilter {
  marketId?: string;
  traderId?: string;
}

/** Allocations posted on entries dated after :asOf, per past-due assessment of the scope. */
export function laterAllocationsSql(f: SqlFilter): string {
  return `
    create temp table arrears_later on commit drop as
    select a.id as assessment_id, a.market_id, a.stall_id, a.trader_id, a.business_date, a.open_amount,
           sum(al.amount) as later_amount
      from journal_entries e
      join allocations al on al.region_id = e.region_id and al.journal_entry_id = e.id
      join assessments a on a.region_id = al.region_id and a.id = al.assessment_id
     where e.region_id = :regionId and e.business_date > cast(:asOf as date)
       and a.business_date < cast(:asOf as date) ${assessmentFilter('a', f)}
     group by a.id, a.market_id, a.stall_id, a.trader_id, a.business_date, a.open_amount`;
}

function assessmentFilter(alias: string, f: SqlFilter): string {
  return [
    f.marketId ? `and ${alias}.market_id = :marketId` : '',
    f.traderId ? `and ${alias}.trader_id = :traderId` : '',
  ].join(' ');
}

function penaltyFilter(f: SqlFilter): string {
  return [f.marketId ? 'and pc.market_id = :marketId' : '', f.traderId ? 'and pc.trader_id = :traderId' : ''].join(' ');
}

/**
 * One row per (market, stall, trader) owing principal or penalty as of :asOf (penalty charged
 * by then less what settled it on entries dated by then), with the credit
 * that trader holds on that stall. Needs arrears_later in the same session.
 */
export function debtorsSql(f: SqlFilter): string {
  return `
    with owed as (
      select a.market_id, a.stall_id, a.trader_id, a.business_date, a.open_amount + coalesce(l.later_amount, 0) as unpaid
        from assessments a
        left join arrears_later l on l.assessment_id = a.id
       where a.region_id = :regionId and a.open_amount > 0 and a.business_date < cast(:asOf as date) ${assessmentFilter('a', f)}
      union all
      select l.market_id, l.stall_id, l.trader_id, l.business_date, l.later_amount
        from arrears_later l
       where l.open_amount = 0
    ), aged as (
      select o.*, cast(:asOf as date) - o.business_date as days from owed o where o.unpaid > 0
    ), principal as (
      select market_id, stall_id, trader_id,
             coalesce(sum(unpaid) filter (where days <= 30), 0) as b1_30,
             coalesce(sum(unpaid) filter (where days between 31 and 60), 0) as b31_60,
             coalesce(sum(unpaid) filter (where days between 61 and 90), 0) as b61_90,
             coalesce(sum(unpaid) filter (where days > 90), 0) as b90,
             sum(unpaid) as principal, min(business_date) as oldest
        from aged group by market_id, stall_id, trader_id
    ), penalty_paid as (
      select pa.penalty_charge_id, sum(pa.amount) as paid
        from penalty_allocations pa
        join journal_entries e on e.region_id = pa.region_id and e.id = pa.journal_entry_id
       where pa.region_id = :regionId and e.business_date <= cast(:asOf as date)
       group by pa.penalty_charge_id
    ), penalty as (
      select pc.market_id, pc.stall_id, pc.trader_id, sum(pc.amount - coalesce(pp.paid, 0)) as penalty
        from penalty_charges pc
        left join penalty_paid pp on pp.penalty_charge_id = pc.id
       where pc.region_id = :regionId and pc.charged_on <= cast(:asOf as date) ${penaltyFilter(f)}
       group by pc.market_id, pc.stall_id, pc.trader_id
      having sum(pc.amount - coalesce(pp.paid, 0)) > 0
    ), debtors as (
      select coalesce(p.market_id, q.market_id) as market_id, coalesce(p.stall_id, q.stall_id) as stall_id,
             coalesce(p.trader_id, q.trader_id) as trader_id,
             coalesce(p.b1_30, 0) as b1_30, coalesce(p.b31_60, 0) as b31_60, coalesce(p.b61_90, 0) as b61_90,
             coalesce(p.b90, 0) as b90, coalesce(p.principal, 0) as principal, coalesce(q.penalty, 0) as penalty,
             p.oldest
        from principal p
        full join penalty q on q.stall_id = p.stall_id and q.trader_id = p.trader_id
    ), credit as (
      select jl.stall_id, jl.trader_id, sum(jl.credit - jl.debit) as credit
        from debtors d
        join journal_lines jl on jl.region_id = :regionId and jl.stall_id = d.stall_id and jl.trader_id = d.trader_id
             and jl.account_id = (select id from accounts where region_id = :regionId and purpose = 'trader_credit')
        join journal_entries e on e.region_id = jl.region_id and e.id = jl.entry_id
       where e.business_date <= cast(:asOf as date)
       group by jl.stall_id, jl.trader_id
    )
    select m.id as market_id, m.code as market_code, m.name as market_name,
           s.id as stall_id, s.code as stall_code, s.kind as stall_kind, s.block as stall_block,
           t.id as trader_id, t.name as trader_name,
           d.b1_30, d.b31_60, d.b61_90, d.b90, d.principal, d.penalty, coalesce(c.credit, 0) as credit,
           d.oldest::text as oldest, cast(:asOf as date) - d.oldest as max_days
      from debtors d
      join markets m on m.region_id = :regionId and m.id = d.market_id
      join stalls s on s.region_id = :regionId and s.id = d.stall_id
      join traders t on t.region_id = :regionId and t.id = d.trader_id
      left join credit c on c.stall_id = d.stall_id and c.trader_id = d.trader_id`;
}

/** The list's order: market, stall, then trader (a stall can owe for several occupants). */
export const ROW_ORDER = 'market_code, stall_code, trader_name, trader_id';

/** The next batch of the list after a key (keyset on ROW_ORDER). */
export const NEXT_BATCH_SQL = `
  select * from arrears_list
   where (market_code, stall_code, trader_name, trader_id) > (:marketCode, :stallCode, :traderName, cast(:traderId as uuid))
   order by ${ROW_ORDER} limit :batchSize`;
