// "Run once per period across the cluster": a row per (region, job, period) in job_runs.
import { hostname } from 'node:os';
import type { Deps } from '../api/core/deps';
import { claimRun, failRun, finishRun, runFinished } from './claims.repository';

const STALE_AFTER_MINUTES = 15;
const INSTANCE = `${hostname()}:${process.pid}`;

export type ClaimOutcome<T> = { ran: true; result: T } | { ran: false; reason: 'done' | 'claimed-elsewhere' };

/** The claims this process is running now. A claim of this instance that is not among them was
 * left behind by a run whose release failed (the database went away under it): this instance
 * may take it again at once instead of waiting for it to go stale. */
const running = new Set<string>();

/** Runs fn if this instance wins the claim for (job, region, period); records its result. */
export async function withClaim<T>(
  deps: Deps,
  job: string,
  regionId: string,
  period: string,
  fn: () => Promise<T>,
): Promise<ClaimOutcome<T>> {
  const key = `${job}|${regionId}|${period}`;
  if (running.has(key)) return { ran: false, reason: 'claimed-elsewhere' };
  running.add(key);
  try {
    const claimed = await claimRun(deps.knex, job, regionId, period, INSTANCE, STALE_AFTER_MINUTES);
    if (!claimed) {
      const done = await runFinished(deps.knex, job, regionId, period);
      return { ran: false, reason: done ? 'done' : 'claimed-elsewhere' };
    }
    try {
      const result = await fn();
      await finishRun(deps.knex, job, regionId, period, result);
      return { ran: true, result };
    } catch (err) {
      // Released for the next tick (or another instance) to retry. With the database away the
      // release fails too: the job's own error is the one to report, and the claim is this
      // instance's to take again on its next tick (or anyone's once stale).
      await failRun(deps.knex, job, regionId, period, (err as Error).message.slice(0, 2000)).catch(
        (releaseErr: unknown) =>
          deps.logger.warn({ err: releaseErr, job, regionId, period }, 'could not release a failed job claim'),
      );
      throw err;
    }
  } finally {
    running.delete(key);
  }
}
