// A market's collection target per year (the Laporan Realisasi compares against it). Officers
// set it from the region's budget (APBD); the market's standing annual_target is what applies to
// a year nobody set.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertManageRegion, assertReadMarket } from '../master-data/access';
import { guarded } from '../core/db-errors';
import { loadMarket } from '../markets/markets.service';
import type { MarketTarget, MarketTargets, PutTarget } from './targets.schemas';
import * as repo from './targets.repository';

export async function putTarget(
  deps: Deps,
  p: Principal,
  marketId: string,
  year: number,
  input: PutTarget,
): Promise<{ target: MarketTarget; created: boolean }> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  const { row, created } = await guarded(() =>
    repo.upsertTarget(deps.knex, { regionId: m.region_id, marketId: m.id, year, amount: input.amount, setBy: p.sub }),
  );
  return { target: repo.fromRow(row), created };
}

export async function listTargets(deps: Deps, p: Principal, marketId: string): Promise<MarketTargets> {
  const m = await loadMarket(deps, marketId);
  assertReadMarket(p, m.region_id, m.id);
  const rows = await repo.listTargets(deps.knex, m.region_id, m.id);
  return { marketId: m.id, annualTarget: m.annual_target, items: rows.map(repo.fromRow) };
}
