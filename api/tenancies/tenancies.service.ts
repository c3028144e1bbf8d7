// Who occupies a stall when. Arrears stay with the occupant of the day the fee arose, so a
// tenancy is never rewritten: it is ended (effective_to set once) and a new one begins.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../core/errors';
import { assertManageRegion, assertReadMarket } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadStall } from '../stalls/stalls.service';
import { findTraderIn } from '../traders/traders.service';
import type { Db } from '../../db/knex';
import type { CreateTenancy, EndTenancy, NewTenancy, Tenancy } from './tenancies.schemas';
import * as repo from './tenancies.repository';

export const tenancyConstraints = {
  tenancies_one_occupant: () =>
    fieldError(
      409,
      'tenancy-overlap',
      'effectiveFrom',
      'the stall already has an occupant during this period; end that tenancy first',
    ),
  tenancies_check: () =>
    fieldError(422, 'invalid-period', 'effectiveTo', 'effectiveTo must not be before effectiveFrom'),
};

/** Inserts tenancies in the caller's transaction (an import's placements, with its traders). */
export const insertTenanciesIn = (db: Db, items: NewTenancy[]) => repo.insertTenancies(db, items);

/** Stalls among the wanted ones with a tenancy overlapping [from, ∞), read in the caller's transaction. */
export const occupiedFrom = (db: Db, regionId: string, wanted: { stallId: string; from: string }[]) =>
  repo.occupiedFrom(db, regionId, wanted);

/** The trader must exist and belong to the stall's region (the database also refuses it). */
async function checkTrader(deps: Deps, regionId: string, traderId: string): Promise<void> {
  const trader = await findTraderIn(deps.knex, traderId);
  if (!trader) throw fieldError(422, 'unknown-trader', 'traderId', 'no trader with this id');
  if (trader.region_id !== regionId) {
    throw fieldError(
      422,
      'trader-outside-region',
      'traderId',
      "the trader is registered in another region than the stall's",
    );
  }
}

export async function createTenancy(deps: Deps, p: Principal, stallId: string, input: CreateTenancy): Promise<Tenancy> {
  const stall = await loadStall(deps, stallId);
  assertManageRegion(p, stall.region_id);
  await checkTrader(deps, stall.region_id, input.traderId);
  const [row] = await guarded(
    () => repo.insertTenancies(deps.knex, [{ regionId: stall.region_id, stallId: stall.id, ...input }]),
    tenancyConstraints,
  );
  return repo.fromRow(row);
}

export async function listTenancies(deps: Deps, p: Principal, stallId: string): Promise<Tenancy[]> {
  const stall = await loadStall(deps, stallId);
  assertReadMarket(p, stall.region_id, stall.market_id);
  return (await repo.listForStall(deps.knex, stall.region_id, stall.id)).map(repo.fromRow);
}

/** Ends an open tenancy on its last day. The row is locked so two officers cannot both end it. */
export async function endTenancy(deps: Deps, p: Principal, tenancyId: string, input: EndTenancy): Promise<Tenancy> {
  const found = await repo.findTenancy(deps.knex, tenancyId);
  if (!found) throw notFound('tenancy');
  assertManageRegion(p, found.region_id);
  const row = await deps.knex.transaction(async (trx) => {
    const t = (await repo.findTenancy(trx, tenancyId, true))!;
    if (t.effective_to !== null) {
      throw conflict('tenancy-already-ended', `this tenancy already ended on ${t.effective_to}`, [
        { field: 'effectiveTo', message: 'already set' },
      ]);
    }
    if (input.effectiveTo < t.effective_from) {
      throw fieldError(
        422,
        'invalid-period',
        'effectiveTo',
        `must not be before the tenancy's start ${t.effective_from}`,
      );
    }
    return repo.setEnd(trx, t, input.effectiveTo);
  });
  return repo.fromRow(row);
}
