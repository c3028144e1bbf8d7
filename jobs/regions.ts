// The regions a job walks: every region (by code, each in its own time zone), or the one the CLI
// named. One read, through the regions service, for every job and every tick of the schedule.
import type { Deps } from '../api/core/deps';
import { notFound } from '../api/core/errors';
import { allRegions, type RegionRow } from '../api/regions/regions.service';

export type { RegionRow };

/** Every region by code, or only the one with `code` (404 naming the field when there is none). */
export async function regionsToRun(deps: Deps, code?: string): Promise<RegionRow[]> {
  const regions = await allRegions(deps.knex);
  if (!code) return regions;
  const named = regions.filter((r) => r.code === code);
  if (named.length === 0) throw notFound('region', { field: 'region', value: code });
  return named;
}
