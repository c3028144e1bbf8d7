// Tariffs by stall kind x market class (x zone), effective-dated per Perda revision.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../core/errors';
import { assertManageRegion, assertReadRegion } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import type { CreateTariff, EndTariff, ListTariffsQuery, Tariff } from './tariffs.schemas';
import * as repo from './tariffs.repository';

const constraints = {
  tariffs_no_overlap: () =>
    fieldError(
      409,
      'tariff-overlap',
      'effectiveFrom',
      'a tariff for this stall kind, market class and zone is already in force in this period; end it first',
    ),
  tariffs_check: () => fieldError(422, 'invalid-period', 'effectiveTo', 'effectiveTo must not be before effectiveFrom'),
};

export async function listTariffs(deps: Deps, p: Principal, regionId: string, q: ListTariffsQuery): Promise<Tariff[]> {
  await loadRegion(deps, regionId);
  assertReadRegion(p, regionId);
  return (await repo.listTariffs(deps.knex, regionId, q)).map(repo.fromRow);
}

export async function createTariff(deps: Deps, p: Principal, regionId: string, input: CreateTariff): Promise<Tariff> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  return repo.fromRow(await guarded(() => repo.insertTariff(deps.knex, regionId, input), constraints));
}

/** Ends an open-ended tariff on its last day, ahead of the revision that replaces it. */
export async function endTariff(deps: Deps, p: Principal, tariffId: string, input: EndTariff): Promise<Tariff> {
  const found = await repo.findTariff(deps.knex, tariffId);
  if (!found) throw notFound('tariff');
  assertManageRegion(p, found.region_id);
  const row = await deps.knex.transaction(async (trx) => {
    const t = (await repo.findTariff(trx, tariffId, true))!;
    if (t.effective_to !== null) {
      throw conflict('tariff-already-ended', `this tariff already ends on ${t.effective_to}`, [
        { field: 'effectiveTo', message: 'already set' },
      ]);
    }
    if (input.effectiveTo < t.effective_from) {
      throw fieldError(
        422,
        'invalid-period',
        'effectiveTo',
        `must not be before the tariff's start ${t.effective_from}`,
      );
    }
    return repo.setEnd(trx, t, input.effectiveTo);
  });
  return repo.fromRow(row);
}
