// The only file that touches node-cron. Every instance runs this schedule; the claim in
// job_runs decides which instance does each region's work for a period.
import cron from 'node-cron';
import type { Deps } from '../api/deps';
import { assessDay } from '../api/assessments/assessment.service';
import { businessDate } from '../api/shared/time';
import { withClaim } from './claims';

/** Each region's assessment for its own local "today", as soon as that day begins there. */
export async function assessTick(deps: Deps): Promise<void> {
  const regions = await deps.knex('regions').select('id', 'code', 'time_zone');
  for (const r of regions) {
    const date = businessDate(deps.clock.now(), r.time_zone);
    try {
      const outcome = await withClaim(deps, 'assess', r.id, date, () => assessDay(deps, r.code, date));
      if (outcome.ran) deps.logger.info({ job: 'assess', region: r.code, date, result: outcome.result }, 'assessment done');
    } catch (err) {
      deps.logger.error({ err, job: 'assess', region: r.code, date }, 'assessment failed; will retry');
    }
  }
}

export function startSchedule(deps: Deps): { stop: () => void } {
  // Every five minutes: a region's new day is picked up within five minutes of local midnight,
  // and a day missed while every instance was down is caught up on the next tick.
  const task = cron.schedule('*/5 * * * *', () => assessTick(deps), { name: 'assess' });
  void assessTick(deps);
  return { stop: () => void task.stop() };
}
