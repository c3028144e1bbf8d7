// Stalls (tempat usaha) of a market. The collector's list of stalls with today's dues lives
// elsewhere (GET /markets/:marketId/stalls); this is the register officers maintain.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { notFound } from '../core/errors';
import { assertManageRegion, assertReadMarket } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadMarket } from '../markets/markets.service';
import type { Db } from '../../db/knex';
import type { CreateStall, MarketRef, PatchStall, Stall, StallRegisterQuery } from './stalls.schemas';
import * as repo from './stalls.repository';

export const stallConstraints = {
  stalls_region_id_market_id_code_key: () =>
    fieldError(409, 'duplicate-code', 'code', 'this market already has a stall with this code'),
};

/** The ids of the market's stalls among `codes`, by code, read in the caller's transaction. */
export const stallIdsByCode = (db: Db, m: MarketRef, codes: string[]) => repo.stallIdsByCode(db, m, codes);

/** The stall row, or 404. Callers check scope against its region and market. */
export async function loadStall(deps: Deps, stallId: string): Promise<repo.StallRow> {
  const row = await repo.findStall(deps.knex, stallId);
  if (!row) throw notFound('stall');
  return row;
}

export async function createStall(deps: Deps, p: Principal, marketId: string, input: CreateStall): Promise<Stall> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  const [row] = await guarded(() => repo.insertStalls(deps.knex, m, [input]), stallConstraints);
  return repo.fromRow(row);
}

export async function getStall(deps: Deps, p: Principal, stallId: string): Promise<Stall> {
  const s = await loadStall(deps, stallId);
  assertReadMarket(p, s.region_id, s.market_id);
  return repo.fromRow(s);
}

export async function patchStall(deps: Deps, p: Principal, stallId: string, input: PatchStall): Promise<Stall> {
  const s = await loadStall(deps, stallId);
  assertManageRegion(p, s.region_id);
  return repo.fromRow(await guarded(() => repo.updateStall(deps.knex, s, input), stallConstraints));
}

export async function stallRegister(deps: Deps, p: Principal, marketId: string, q: StallRegisterQuery) {
  const m = await loadMarket(deps, marketId);
  assertReadMarket(p, m.region_id, m.id);
  const { rows, total } = await repo.stallRegister(deps.knex, m, q);
  return { items: rows.map(repo.fromRow), total, limit: q.limit, offset: q.offset };
}
