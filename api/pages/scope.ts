// Which market or region a page shows, by the same rules as the API: a manager sees their own
// market and nothing else; officers their region; auditors their region or all; the admin all.
// Anything else is a 403 page.
import type { Deps } from '../core/deps';
import { assertReadMarket, assertReadRegion, type Principal } from '../auth/principal';
import { forbidden, notFound } from '../core/errors';
import { businessDate } from '../core/time';
import { allRegions, findRegionIn } from '../regions/regions.service';
import { ROLE_LABEL, type Viewer } from './layout';
import * as repo from './pages.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MarketScope {
  id: string;
  code: string;
  name: string;
  regionId: string;
  regionCode: string;
  regionName: string;
  timeZone: string;
  /** the market's business date now */
  today: string;
}

export interface RegionScope {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  today: string;
}

/** Only the page roles: collectors work from terminals, the feed reads the feed. */
export function assertPageRole(p: Principal): void {
  if (!['admin', 'officer', 'manager', 'auditor'].includes(p.role))
    throw forbidden('halaman ini bukan untuk peran Anda');
}

export async function loadMarketScope(deps: Deps, marketId: string): Promise<MarketScope | undefined> {
  if (!UUID.test(marketId)) return undefined;
  const m = await repo.marketWithRegion(deps.knex, marketId);
  if (!m) return undefined;
  return {
    id: m.id,
    code: m.code,
    name: m.name,
    regionId: m.region_id,
    regionCode: m.region_code,
    regionName: m.region_name,
    timeZone: m.time_zone,
    today: businessDate(deps.clock.now(), m.time_zone),
  };
}

/**
 * The market a market page shows: a manager's own (naming another is 403); for the others the
 * one named, if they may read it; undefined when they named none (the page offers a list).
 */
export async function marketFor(
  deps: Deps,
  p: Principal,
  marketId: string | undefined,
): Promise<MarketScope | undefined> {
  assertPageRole(p);
  if (p.role === 'manager') {
    if (!p.marketId || (marketId && marketId !== p.marketId)) throw forbidden('pasar ini di luar wewenang Anda');
    marketId = p.marketId;
  }
  if (!marketId) return undefined;
  const m = await loadMarketScope(deps, marketId);
  if (!m) throw notFound('pasar');
  assertReadMarket(p, m.regionId, m.id);
  return m;
}

/** The region a region page shows: the one named, else the account's own; managers never. */
export async function regionFor(
  deps: Deps,
  p: Principal,
  regionId: string | undefined,
): Promise<RegionScope | undefined> {
  assertPageRole(p);
  if (p.role === 'manager') throw forbidden('halaman ini untuk petugas wilayah');
  const id = regionId ?? p.regionId;
  if (!id) return undefined;
  if (!UUID.test(id)) throw notFound('wilayah');
  const r = await findRegionIn(deps.knex, id);
  if (!r) throw notFound('wilayah');
  assertReadRegion(p, r.id);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timeZone: r.time_zone,
    today: businessDate(deps.clock.now(), r.time_zone),
  };
}

/** The regions a region-scoped viewer without a region of their own may pick from. */
export async function regionChoices(deps: Deps): Promise<{ id: string; code: string; name: string }[]> {
  return (await allRegions(deps.knex)).map((r) => ({ id: r.id, code: r.code, name: r.name }));
}

export function marketChoices(deps: Deps, regionId: string): Promise<{ id: string; code: string; name: string }[]> {
  return repo.regionMarkets(deps.knex, regionId);
}

/** A region's name (empty when there is no such region), for a picker's heading. */
export async function regionName(deps: Deps, regionId: string): Promise<string> {
  return (await findRegionIn(deps.knex, regionId))?.name ?? '';
}

/** Who is looking, for the page header. */
export async function viewerOf(deps: Deps, p: Principal, csrf: string): Promise<Viewer> {
  const base: Viewer = { role: p.role, displayName: ROLE_LABEL[p.role] ?? p.role, csrf };
  if (!UUID.test(p.sub)) return base;
  const u = await repo.viewerRow(deps.knex, p.sub);
  if (!u) return base;
  return { ...base, displayName: u.display_name || u.username, scopeName: u.market_name ?? u.region_name ?? undefined };
}

/** True when the viewer may change things here (the auditor only ever reads). */
export const canWrite = (p: Principal) => p.role === 'admin' || p.role === 'officer' || p.role === 'manager';
