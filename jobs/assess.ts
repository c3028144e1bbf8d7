// The daily assessment as a job: for one region or all, for a given local date or each
// region's own "today".
import type { Deps } from '../api/core/deps';
import { assessDay, type AssessResult } from '../api/assessments/assessment.service';
import { businessDate } from '../api/core/time';
import { regionsToRun } from './regions';

export interface AssessArgs {
  region?: string;
  date?: string;
}

export async function assessJob(deps: Deps, args: AssessArgs): Promise<AssessResult[]> {
  const regions = await regionsToRun(deps, args.region);
  const results: AssessResult[] = [];
  for (const r of regions) {
    results.push(await assessDay(deps, r.code, args.date ?? businessDate(deps.clock.now(), r.time_zone)));
  }
  return results;
}
