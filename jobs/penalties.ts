// The penalty run as a job: from the CLI for one region or all, as of a date (default: each
// region's local today), and from the schedule once a month per region.
import type { Deps } from '../api/core/deps';
import { runPenalties, type PenaltyRunResult } from '../api/arrears/penalties.service';
import { businessDate } from '../api/core/time';
import { withClaim } from './claims';
import { regionsToRun } from './regions';

export interface PenaltiesArgs {
  region?: string;
  date?: string;
}

export async function penaltiesJob(deps: Deps, args: PenaltiesArgs): Promise<PenaltyRunResult[]> {
  const regions = await regionsToRun(deps, args.region);
  const results: PenaltyRunResult[] = [];
  for (const r of regions) {
    results.push(await runPenalties(deps, r.id, args.date ?? businessDate(deps.clock.now(), r.time_zone)));
  }
  return results;
}

/**
 * Each region's monthly run, claimed per local month ('YYYY-MM') and made as of the 1st of that
 * month: the first tick of the month does it, and a 1st missed while every instance was down is
 * caught up by the next tick with the very charges the 1st would have made.
 */
export async function penaltiesTick(deps: Deps): Promise<void> {
  const regions = await regionsToRun(deps);
  for (const r of regions) {
    const month = businessDate(deps.clock.now(), r.time_zone).slice(0, 7);
    const asOf = `${month}-01`;
    try {
      const outcome = await withClaim(deps, 'penalties', r.id, month, () => runPenalties(deps, r.id, asOf));
      if (outcome.ran)
        deps.logger.info({ job: 'penalties', region: r.code, month, result: outcome.result }, 'penalty run done');
    } catch (err) {
      deps.logger.error({ err, job: 'penalties', region: r.code, month }, 'penalty run failed; will retry');
    }
  }
}
