// Who may read and change master data. Writes: the admin anywhere, an officer in their own
// region. Reads: admin, auditors (all or their region), officers in their region, and a market
// manager for their own market and the traders of its region. Collectors and terminals are kept
// out by the role gate on every route (they have their own endpoints): gates.middleware.ts.
import type { Deps } from '../core/deps';
import {
  assertManageRegion,
  assertReadMarket,
  assertReadRegion,
  canReadRegion,
  type Principal,
} from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { regionIdOfMarket } from './access.repository';

export { assertManageRegion, assertReadMarket, assertReadRegion };

/** Traders: a manager needs the names of the traders in their region to see who occupies what. */
export function assertReadTraders(p: Principal, regionId: string): void {
  if (canReadRegion(p, regionId)) return;
  if (p.role === 'manager' && p.regionId === regionId) return;
  throw forbidden('the traders of this region are outside your scope');
}

/**
 * Which regions a region-wide list may show: all of them, or one. A token without the region
 * its role needs sees nothing rather than everything.
 */
export function visibleRegions(p: Principal): { all: true } | { all: false; regionId: string | undefined } {
  if (p.role === 'admin' || (p.role === 'auditor' && !p.regionId)) return { all: true };
  return { all: false, regionId: p.role === 'officer' || p.role === 'auditor' ? p.regionId : undefined };
}

/**
 * The region a market is in, checked against a regionId the caller may also have named. Scope
 * is then checked against the market's own region, never the caller's (an officer of B asking
 * for a market of A is refused, not shown B's empty list).
 */
export async function regionOfMarket(deps: Deps, marketId: string, regionId?: string): Promise<string> {
  const marketRegionId = await regionIdOfMarket(deps.knex, marketId);
  if (!marketRegionId) throw notFound('market', { field: 'marketId' });
  if (regionId && regionId !== marketRegionId)
    throw badRequest('market-not-in-region', 'marketId is not a market of regionId', { field: 'marketId' });
  return marketRegionId;
}
