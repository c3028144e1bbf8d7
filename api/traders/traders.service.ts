// Traders (pedagang) of a region. A trader may hold stalls in several of the region's markets.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { notFound } from '../core/errors';
import { assertManageRegion, assertReadTraders } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import type { Db } from '../../db/knex';
import type { CreateTrader, ListTradersQuery, PatchTrader, Trader } from './traders.schemas';
import * as repo from './traders.repository';

export const traderConstraints = {
  traders_nik: () =>
    fieldError(409, 'duplicate-nik', 'nik', 'a trader with this NIK is already registered in this region'),
};

export type { TraderRow } from './traders.repository';

/** The trader row (undefined when there is none), read in the caller's transaction. */
export const findTraderIn = (db: Db, traderId: string) => repo.findTrader(db, traderId);

export async function loadTrader(deps: Deps, traderId: string): Promise<repo.TraderRow> {
  const row = await repo.findTrader(deps.knex, traderId);
  if (!row) throw notFound('trader');
  return row;
}

export async function listTraders(deps: Deps, p: Principal, regionId: string, q: ListTradersQuery) {
  await loadRegion(deps, regionId);
  assertReadTraders(p, regionId);
  const { rows, total } = await repo.listTraders(deps.knex, regionId, q);
  return { items: rows.map(repo.fromRow), total, limit: q.limit, offset: q.offset };
}

export async function createTrader(deps: Deps, p: Principal, regionId: string, input: CreateTrader): Promise<Trader> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const [row] = await guarded(() => repo.insertTraders(deps.knex, regionId, [input]), traderConstraints);
  return repo.fromRow(row);
}

export async function getTrader(deps: Deps, p: Principal, traderId: string): Promise<Trader> {
  const t = await loadTrader(deps, traderId);
  assertReadTraders(p, t.region_id);
  return repo.fromRow(t);
}

export async function patchTrader(deps: Deps, p: Principal, traderId: string, input: PatchTrader): Promise<Trader> {
  const t = await loadTrader(deps, traderId);
  assertManageRegion(p, t.region_id);
  return repo.fromRow(await guarded(() => repo.updateTrader(deps.knex, t, input), traderConstraints));
}
