// Markets of a region, and the days they are closed.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { notFound } from '../core/errors';
import { openMarketAccounts } from '../ledger/accounts.service';
import { businessDate } from '../core/time';
import { assertManageRegion, assertReadMarket, assertReadRegion } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import type { Closure, ClosuresQuery, CreateClosure, CreateMarket, Market, PatchMarket } from './markets.schemas';
import * as repo from './markets.repository';
import type { Db } from '../../db/knex';

const constraints = {
  markets_region_id_code_key: () =>
    fieldError(409, 'duplicate-code', 'code', 'this region already has a market with this code'),
  market_closures_pkey: () => fieldError(409, 'duplicate-closure', 'date', 'the market is already closed on this date'),
};

/** The market row (undefined when there is none), read in the caller's transaction. */
export const findMarketIn = (db: Db, marketId: string) => repo.findMarket(db, marketId);

/** The market row, or 404. Callers check scope against its region_id. */
export async function loadMarket(deps: Deps, marketId: string): Promise<repo.MarketRow> {
  const row = await repo.findMarket(deps.knex, marketId);
  if (!row) throw notFound('market');
  return row;
}

export async function listMarkets(deps: Deps, p: Principal, regionId: string): Promise<Market[]> {
  await loadRegion(deps, regionId);
  assertReadRegion(p, regionId);
  return (await repo.listMarkets(deps.knex, regionId)).map(repo.fromRow);
}

export async function getMarket(deps: Deps, p: Principal, marketId: string): Promise<Market> {
  const m = await loadMarket(deps, marketId);
  assertReadMarket(p, m.region_id, m.id);
  return repo.fromRow(m);
}

/** The market and its receivable and revenue accounts in one transaction. */
export async function createMarket(deps: Deps, p: Principal, regionId: string, input: CreateMarket): Promise<Market> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const created = await repo.insertMarket(trx, regionId, input);
        await openMarketAccounts(trx, regionId, created.id, created.code);
        return created;
      }),
    constraints,
  );
  return repo.fromRow(row);
}

export async function patchMarket(deps: Deps, p: Principal, marketId: string, input: PatchMarket): Promise<Market> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  return repo.fromRow(await guarded(() => repo.updateMarket(deps.knex, m, input), constraints));
}

/**
 * A closure stops the daily assessment for that day. A day already past has been assessed, so
 * closing it here would leave its assessments standing: those are corrected in the ledger instead.
 */
export async function addClosure(deps: Deps, p: Principal, marketId: string, input: CreateClosure): Promise<Closure> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  const region = await loadRegion(deps, m.region_id);
  const today = businessDate(deps.clock.now(), region.time_zone);
  if (input.date < today) {
    throw fieldError(
      422,
      'closure-in-past',
      'date',
      `the market's business date is already ${today}; a closure cannot be dated before it`,
    );
  }
  return repo.closureFromRow(await guarded(() => repo.insertClosure(deps.knex, m, input), constraints));
}

export async function listClosures(
  deps: Deps,
  p: Principal,
  marketId: string,
  range: ClosuresQuery,
): Promise<Closure[]> {
  const m = await loadMarket(deps, marketId);
  assertReadMarket(p, m.region_id, m.id);
  return (await repo.listClosures(deps.knex, m, range)).map(repo.closureFromRow);
}
