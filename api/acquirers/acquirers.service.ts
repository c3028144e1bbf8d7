// Acquirers: a region's bank (or PJSP) contracts, one per channel.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { notFound } from '../core/errors';
import { openAcquirerAccounts } from '../ledger/accounts.service';
import { assertManageRegion, assertReadRegion } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import type { Acquirer, CreateAcquirer, PatchAcquirer } from './acquirers.schemas';
import * as repo from './acquirers.repository';
import type { Db } from '../../db/knex';

const constraints = {
  // Unique across the deployment: banks address their notifications by this code.
  acquirers_code_key: () => fieldError(409, 'duplicate-code', 'code', 'an acquirer with this code already exists'),
};

/** The acquirer row (undefined when there is none), read in the caller's transaction. */
export const findAcquirerIn = (db: Db, acquirerId: string) => repo.findAcquirer(db, acquirerId);

export async function loadAcquirer(deps: Deps, acquirerId: string): Promise<repo.AcquirerRow> {
  const row = await repo.findAcquirer(deps.knex, acquirerId);
  if (!row) throw notFound('acquirer');
  return row;
}

export async function listAcquirers(deps: Deps, p: Principal, regionId: string): Promise<Acquirer[]> {
  await loadRegion(deps, regionId);
  assertReadRegion(p, regionId);
  const rows = await repo.listAcquirers(deps.knex, regionId);
  const rates = await repo.mdrRatesOf(
    deps.knex,
    regionId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => repo.fromRow(r, rates.get(r.id) ?? []));
}

export async function getAcquirer(deps: Deps, p: Principal, acquirerId: string): Promise<Acquirer> {
  const a = await loadAcquirer(deps, acquirerId);
  assertReadRegion(p, a.region_id);
  return view(deps, a);
}

/** The acquirer and its clearing account in one transaction. */
export async function createAcquirer(
  deps: Deps,
  p: Principal,
  regionId: string,
  input: CreateAcquirer,
): Promise<Acquirer> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const created = await repo.insertAcquirer(trx, regionId, input);
        await repo.replaceMdrRates(trx, regionId, created.id, input.mdrRates);
        await openAcquirerAccounts(trx, regionId, created.id, created.code);
        return created;
      }),
    constraints,
  );
  return view(deps, row);
}

export async function patchAcquirer(
  deps: Deps,
  p: Principal,
  acquirerId: string,
  input: PatchAcquirer,
): Promise<Acquirer> {
  const a = await loadAcquirer(deps, acquirerId);
  assertManageRegion(p, a.region_id);
  if (a.channel === 'qris') {
    for (const field of ['merchantName', 'merchantCity'] as const) {
      if (input[field] === null)
        throw fieldError(422, 'required-for-qris', field, 'a qris acquirer needs it for its QRIS payload');
    }
  }
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const updated = await repo.updateAcquirer(trx, a, input);
        if (input.mdrRates) await repo.replaceMdrRates(trx, a.region_id, a.id, input.mdrRates);
        return updated;
      }),
    constraints,
  );
  return view(deps, row);
}

async function view(deps: Deps, row: repo.AcquirerRow): Promise<Acquirer> {
  const rates = await repo.mdrRatesOf(deps.knex, row.region_id, [row.id]);
  return repo.fromRow(row, rates.get(row.id) ?? []);
}
