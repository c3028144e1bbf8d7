// The penalty charges of a run, in one statement: which months of which assessments are due as
// of :asOf, their charges (penalty_charges, once per assessment and month) and the journal entry
// per market that posts them. The rule is in api/arrears/penalties.service.ts.
import type { Db } from '../../db/knex';
import { postEntries } from '../ledger/post';

export interface ChargedRun {
  charges: number;
  amount: string;
  markets: number;
}

/**
 * The date the last run charged through, when no rule was added since: every later run then
 * only needs to look again at assessments settled on entries dated after it (see CANDIDATES).
 * Null when there is no such run: the whole history is looked at.
 */
export async function chargedThrough(db: Db, regionId: string): Promise<string | null> {
  const { rows } = await db.raw(
    `select max(x.charged_on)::text as through
       from markets m
      cross join lateral (
        select pc.charged_on, pc.created_at from penalty_charges pc
         where pc.region_id = m.region_id and pc.market_id = m.id
         order by pc.charged_on desc limit 1) x
      where m.region_id = ?
        and x.created_at > coalesce((select max(created_at) from penalty_rules where region_id = ?), '-infinity')`,
    [regionId, regionId],
  );
  return rows[0]?.through ?? null;
}

export async function maxCapMonths(db: Db, regionId: string): Promise<number> {
  const row = await db('penalty_rules').where({ region_id: regionId }).max('cap_months as cap').first();
  return Number(row?.cap ?? 0);
}

// Candidates: an assessment past due that is still open, or that was settled late (on an entry
// dated after its own date) since :since. A month n is new only if it began after the last run
// (d + (n-1) months >= :since), and it is owed only if principal was unpaid at the end of
// d + (n-1) months: an assessment fully settled now must then have an allocation dated later
// than that, so after :since. Entries dated up to :since and posted later only lower principal.
const CANDIDATES = `
  cand as materialized (
    select a.id, a.market_id, a.stall_id, a.trader_id, a.business_date, a.amount
      from assessments a
     where a.region_id = :regionId and a.open_amount > 0 and a.business_date < cast(:asOf as date)
    union all
    select a.id, a.market_id, a.stall_id, a.trader_id, a.business_date, a.amount
      from assessments a
     where a.region_id = :regionId and a.open_amount = 0 and a.business_date < cast(:asOf as date)
       and a.id in (select al.assessment_id
                      from journal_entries e
                      join allocations al on al.region_id = e.region_id and al.journal_entry_id = e.id
                      join assessments p on p.region_id = al.region_id and p.id = al.assessment_id
                     where e.region_id = :regionId and e.business_date > cast(:since as date)
                       and p.business_date < e.business_date)
  )`;

// Month n of an assessment due on d accrues from d + (n-1) months + 1 day (Postgres month
// arithmetic: Jan 31 + 1 month = Feb 28/29); it is charged when that day is on or before :asOf,
// n is within the cap of the rule in force on that day, and principal was unpaid at the end of
// d + (n-1) months. The month count bound (calendar months between d and :asOf, plus one) is
// never below the true count; the date test then decides.
const MONTHS = `
  rules as (
    select id, effective_from, monthly_rate, cap_months,
           lead(effective_from) over (order by effective_from) as next_from
      from penalty_rules where region_id = :regionId
  ), months as (
    select c.*, n.month_no, cast(c.business_date + make_interval(months => n.month_no - 1) as date) as through
      from cand c
     cross join lateral generate_series(1, least(:maxCap,
         ((extract(year from cast(:asOf as date)) - extract(year from c.business_date)) * 12
          + extract(month from cast(:asOf as date)) - extract(month from c.business_date))::int + 1)) as n(month_no)
  ), due as (
    select m.*, r.id as rule_id, r.monthly_rate
      from months m
      join rules r on r.effective_from <= m.through + 1 and (r.next_from is null or m.through + 1 < r.next_from)
     where m.through < cast(:asOf as date) and m.month_no <= r.cap_months
       and not exists (select 1 from penalty_charges pc
                        where pc.region_id = :regionId and pc.assessment_id = m.id and pc.month_no = m.month_no)
  ), paid as (
    select al.assessment_id, e.business_date as paid_on, sum(al.amount) as amount
      from cand c
      join allocations al on al.region_id = :regionId and al.assessment_id = c.id
      join journal_entries e on e.region_id = al.region_id and e.id = al.journal_entry_id
     group by al.assessment_id, e.business_date
  ), owed as (
    select d.id, d.month_no, d.through, d.market_id, d.stall_id, d.trader_id, d.rule_id, d.monthly_rate,
           d.amount - coalesce(sum(p.amount) filter (where p.paid_on <= d.through), 0) as principal
      from due d
      left join paid p on p.assessment_id = d.id
     group by d.id, d.month_no, d.through, d.market_id, d.stall_id, d.trader_id, d.rule_id, d.monthly_rate, d.amount
  )`;

// Charges first (a repeat is skipped by the unique key), then the entry per market from what was
// really inserted: Dr penalty receivable per (trader, stall), Cr penalty revenue. A charge that
// rounds to Rp 0 is kept (the month was looked at) but posts nothing. The entries are posted by
// the ledger (api/ledger/post.ts), in the same statement.
const CHARGE = `
  ${CANDIDATES}, ${MONTHS},
  new as materialized (
    select o.*, round(o.principal * o.monthly_rate) as charge from owed o where o.principal > 0
  ), plan as materialized (
    select market_id, gen_random_uuid() as entry_id from new group by market_id having sum(charge) > 0
  ), ins as (
    insert into penalty_charges (region_id, assessment_id, month_no, accrues_from, market_id, stall_id, trader_id,
                                 rule_id, monthly_rate, principal, amount, open_amount, charged_on, journal_entry_id)
    select :regionId, n.id, n.month_no, n.through + 1, n.market_id, n.stall_id, n.trader_id,
           n.rule_id, n.monthly_rate, n.principal, n.charge, n.charge, cast(:asOf as date),
           case when n.charge > 0 then p.entry_id end
      from new n left join plan p on p.market_id = n.market_id
    on conflict (region_id, assessment_id, month_no) do nothing
    returning market_id, stall_id, trader_id, amount, journal_entry_id
  ), posted as (
    select journal_entry_id, market_id, trader_id, stall_id, sum(amount) as amount
      from ins where amount > 0 group by journal_entry_id, market_id, trader_id, stall_id
  )`;

const LINES = `
    select journal_entry_id as entry_id, ledger_account(:regionId, 'penalty_receivable', market_id) as account_id,
           amount as debit, 0 as credit, trader_id, stall_id
      from posted
    union all
    select journal_entry_id, ledger_account(:regionId, 'penalty_revenue', market_id),
           0, sum(amount), null, null
      from posted group by journal_entry_id, market_id`;

const COUNT = `
  select count(*)::int as charges, coalesce(sum(amount), 0)::text as amount,
         count(distinct journal_entry_id)::int as markets
    from ins`;

/** Charges every month due as of asOf and not yet charged. Caller holds the region's lock. */
export async function chargeDueMonths(
  db: Db,
  regionId: string,
  asOf: string,
  since: string | null,
  maxCap: number,
): Promise<ChargedRun> {
  const rows = await postEntries<ChargedRun>(db, {
    regionId,
    kind: 'penalty',
    businessDate: asOf,
    memo: `sanksi bunga retribusi s.d. ${asOf}`,
    with: CHARGE,
    entries: 'select distinct journal_entry_id as entry_id from posted',
    lines: LINES,
    main: COUNT,
    bindings: { regionId, asOf, since: since ?? '-infinity', maxCap },
  });
  return rows[0];
}

/** The stalls where some penalty is still owed (the partial index penalty_charges_open). */
export async function stallsOwingPenalty(db: Db, regionId: string): Promise<string[]> {
  const { rows } = await db.raw(
    `select distinct stall_id from penalty_charges where region_id = ? and open_amount > 0`,
    [regionId],
  );
  return rows.map((r: { stall_id: string }) => r.stall_id);
}

/** Two runs of a region wait for each other, until the first one commits. */
export async function lockPenaltyRun(db: Db, regionId: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtextextended('penalties:' || ?, 0))`, [regionId]);
}
