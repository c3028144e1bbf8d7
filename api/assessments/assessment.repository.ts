// Set-based SQL for the daily assessment: one statement for all stalls of a region.
import type { Db } from '../../db/knex';
import { postEntries } from '../ledger/post';

/** The region a job names by its code. */
export function findRegionByCode(db: Db, code: string): Promise<{ id: string; code: string } | undefined> {
  return db('regions').where({ code }).first('id', 'code');
}

/** Two runs of the same region and day wait for each other, until the first one commits. */
export async function lockAssessmentRun(db: Db, regionId: string, date: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtextextended('assess:' || ? || ':' || ?, 0))`, [regionId, date]);
}

// The fee of a stall for one day (Perda tariff): area x rate per m² per day, or a flat rate,
// rounded to whole rupiah. A zone-specific tariff wins over the class-wide one.
// Creates the assessment and its receivable/revenue entry together, for every occupied, active,
// non-exempt stall of an open market that has none for that date yet: one statement, the entries
// posted by the ledger (api/ledger/post.ts) from the same candidates the assessments are made of.
const CANDIDATES = `
candidates as (
  select s.region_id, s.id as stall_id, s.market_id, ten.id as tenancy_id, ten.trader_id, tf.id as tariff_id,
         case tf.basis when 'per_m2_day' then round(s.area_m2 * tf.rate, 0) else round(tf.rate, 0) end as amount,
         gen_random_uuid() as assessment_id, gen_random_uuid() as entry_id
    from stalls s
    join markets m on m.region_id = s.region_id and m.id = s.market_id
    join tenancies ten on ten.region_id = s.region_id and ten.stall_id = s.id
         and daterange(ten.effective_from, ten.effective_to, '[]') @> cast(:date as date)
    join lateral (
      select t.id, t.basis, t.rate from tariffs t
       where t.region_id = s.region_id and t.stall_kind = s.kind and t.market_class = m.class
         and (t.zone is null or t.zone = s.zone)
         and daterange(t.effective_from, t.effective_to, '[]') @> cast(:date as date)
       order by (t.zone is null) limit 1
    ) tf on true
   where s.region_id = :regionId and s.status = 'active' and not s.exempt and m.active
     and extract(isodow from cast(:date as date))::smallint = any(m.open_days)
     and not exists (select 1 from market_closures c
                      where c.region_id = m.region_id and c.market_id = m.id and c.closed_on = cast(:date as date))
     and not exists (select 1 from assessments a
                      where a.region_id = s.region_id and a.stall_id = s.id and a.business_date = cast(:date as date))
)`;

// Dr the market's stall receivable, Cr its revenue, on the stall and its occupant.
const LINES = `
  select c.entry_id, ac.id as account_id,
         case when ac.purpose = 'stall_receivable' then c.amount else 0 end as debit,
         case when ac.purpose = 'market_revenue' then c.amount else 0 end as credit,
         c.trader_id, c.stall_id
    from candidates c
    join accounts ac on ac.region_id = c.region_id and ac.market_id = c.market_id
         and ac.purpose in ('stall_receivable', 'market_revenue')`;

const INSERT_ASSESSMENTS = `
insert into assessments (region_id, id, market_id, stall_id, trader_id, tenancy_id, tariff_id, business_date,
                         amount, open_amount, journal_entry_id)
select region_id, assessment_id, market_id, stall_id, trader_id, tenancy_id, tariff_id, cast(:date as date), amount, amount, entry_id
  from candidates
returning stall_id`;

export async function createAssessments(db: Db, regionId: string, date: string): Promise<string[]> {
  const rows = await postEntries<{ stall_id: string }>(db, {
    regionId,
    kind: 'assessment',
    businessDate: date,
    memo: 'retribusi pelayanan pasar',
    with: CANDIDATES,
    entries: 'select entry_id from candidates',
    lines: LINES,
    main: INSERT_ASSESSMENTS,
    bindings: { regionId, date },
  });
  return rows.map((r) => r.stall_id);
}

/** Occupied active stalls of open markets that no tariff covers on that date: reported, not guessed. */
export async function stallsWithoutTariff(db: Db, regionId: string, date: string): Promise<number> {
  const { rows } = await db.raw(
    `select count(*)::int as n from stalls s
       join markets m on m.region_id = s.region_id and m.id = s.market_id
       join tenancies ten on ten.region_id = s.region_id and ten.stall_id = s.id
            and daterange(ten.effective_from, ten.effective_to, '[]') @> cast(:date as date)
      where s.region_id = :regionId and s.status = 'active' and not s.exempt and m.active
        and extract(isodow from cast(:date as date))::smallint = any(m.open_days)
        and not exists (select 1 from tariffs t where t.region_id = s.region_id and t.stall_kind = s.kind
                          and t.market_class = m.class and (t.zone is null or t.zone = s.zone)
                          and daterange(t.effective_from, t.effective_to, '[]') @> cast(:date as date))`,
    { regionId, date },
  );
  return rows[0].n;
}
