// The job_runs table: one row per (region, job, period), the claim that makes a job run once per
// period across the cluster.
import type { Db } from '../db/knex';

/**
 * Claims (job, region, period) for `instance`: a new row, or the existing unfinished one when it
 * failed, is already this instance's, or was claimed more than `staleAfterMinutes` ago. True when
 * this instance holds the claim; the upsert's row lock decides between instances racing for it.
 */
export async function claimRun(
  db: Db,
  job: string,
  regionId: string,
  period: string,
  instance: string,
  staleAfterMinutes: number,
): Promise<boolean> {
  const { rows } = await db.raw(
    `insert into job_runs (job, region_id, period, claimed_by) values (?, ?, ?, ?)
     on conflict (region_id, job, period) do update
        set claimed_by = excluded.claimed_by, claimed_at = now(), attempts = job_runs.attempts + 1, error = null
      where job_runs.finished_at is null
        and (job_runs.error is not null or job_runs.claimed_by = excluded.claimed_by
             or job_runs.claimed_at < now() - make_interval(mins => ?))
     returning job`,
    [job, regionId, period, instance, staleAfterMinutes],
  );
  return rows.length > 0;
}

/** Whether the run of (job, region, period) has finished (false also when there is no row). */
export async function runFinished(db: Db, job: string, regionId: string, period: string): Promise<boolean> {
  const existing = await db('job_runs').where({ job, region_id: regionId, period }).first('finished_at');
  return !!existing?.finished_at;
}

/** The claimed run is done: its result kept as JSON. */
export async function finishRun(db: Db, job: string, regionId: string, period: string, result: unknown): Promise<void> {
  await db('job_runs')
    .where({ job, region_id: regionId, period })
    .update({ finished_at: db.fn.now(), result: JSON.stringify(result) });
}

/** The claimed run failed: the error released the claim for the next attempt. */
export async function failRun(db: Db, job: string, regionId: string, period: string, message: string): Promise<void> {
  await db('job_runs').where({ job, region_id: regionId, period }).update({ error: message });
}
