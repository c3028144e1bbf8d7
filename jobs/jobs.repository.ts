// The reads the jobs make beyond what the services offer: the markets a job walks in a region,
// and the business dates a night's reconciliation still has work on.
import type { Db } from '../db/knex';

/** A region's active markets by code: each gets its letters and its per-market reports. */
export async function activeMarkets(db: Db, regionId: string): Promise<{ id: string; code: string }[]> {
  return db('markets').where({ region_id: regionId, active: true }).orderBy('code').select('id', 'code');
}

/**
 * The business dates (YYYY-MM-DD, ascending) a region's reconciliation has work on: open
 * exceptions, runs since `since` not yet closed, and days since `since` (before `today`) with card
 * or QRIS payments that were never reconciled.
 */
export async function datesWithWorkLeft(db: Db, regionId: string, since: string, today: string): Promise<string[]> {
  const { rows } = await db.raw(
    `select distinct d::text as d from (
       select business_date as d from reconciliation_exceptions where region_id = :region and status = 'open'
       union select business_date from reconciliation_runs
        where region_id = :region and business_date >= cast(:since as date) and summary->>'status' <> 'closed'
       union select distinct p.business_date from payments p
        where p.region_id = :region and p.business_date >= cast(:since as date) and p.business_date < cast(:today as date)
          and p.channel in ('card','qris')
          and not exists (select 1 from reconciliation_runs rr where rr.region_id = p.region_id and rr.business_date = p.business_date)
     ) x order by 1`,
    { region: regionId, since, today },
  );
  return rows.map((x: { d: string }) => x.d);
}
