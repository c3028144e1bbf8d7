// Regions are the tenants. Only the admin opens one; its officers then run it.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { forbidden, notFound } from '../core/errors';
import { openRegionAccounts } from '../ledger/accounts.service';
import { assertManageRegion, assertReadRegion, visibleRegions } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import type { CreateRegion, PatchRegion, Region } from './regions.schemas';
import { findRegion, fromRow, insertRegion, listRegions, type RegionRow, updateRegion } from './regions.repository';
import type { Db } from '../../db/knex';

export type { RegionRow };

/** The region row (undefined when there is none), read in the caller's transaction. */
export const findRegionIn = (db: Db, regionId: string) => findRegion(db, regionId);

/** Every region, by code: what each job walks, each in its own time zone. */
export const allRegions = (db: Db) => listRegions(db);

const constraints = {
  regions_code_key: () => fieldError(409, 'duplicate-code', 'code', 'a region with this code already exists'),
};

/** The region row, or 404; scope is for the caller to check (read and write differ). */
export async function loadRegion(deps: Deps, regionId: string): Promise<RegionRow> {
  const row = await findRegion(deps.knex, regionId);
  if (!row) throw notFound('region');
  return row;
}

export async function listRegionsFor(deps: Deps, p: Principal): Promise<Region[]> {
  // Officers and region auditors see their own region only; a manager has no region-wide view.
  if (p.role === 'manager') throw forbidden('a market manager has no region-wide view');
  const scope = visibleRegions(p);
  if (!scope.all && !scope.regionId) return [];
  const rows = await listRegions(deps.knex, scope.all ? undefined : scope.regionId);
  return rows.map(fromRow);
}

export async function getRegion(deps: Deps, p: Principal, regionId: string): Promise<Region> {
  const row = await loadRegion(deps, regionId);
  assertReadRegion(p, row.id);
  return fromRow(row);
}

/** The region and its chart of accounts in one transaction: the ledger must always find them. */
export async function createRegion(deps: Deps, input: CreateRegion): Promise<Region> {
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const created = await insertRegion(trx, input);
        await openRegionAccounts(trx, created.id);
        return created;
      }),
    constraints,
  );
  return fromRow(row);
}

export async function patchRegion(deps: Deps, p: Principal, regionId: string, input: PatchRegion): Promise<Region> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const row = await guarded(() => updateRegion(deps.knex, regionId, input), constraints);
  return fromRow(row);
}
