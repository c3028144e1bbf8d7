// Reconciling a region's business date: payments <-> settlement lines, batches <-> statement
// credits (posting the settlement entries), then the exceptions and the summary. One transaction
// under the region's advisory lock: two instances never reconcile a region at once, a run killed
// half-way leaves nothing, and a second run finds what the first one found.
import { assertReadRegion, canManageRegion, type Principal } from '../auth/principal';
import type { Deps } from '../core/deps';
import { forbidden, notFound } from '../core/errors';
import { findRegionIn } from '../regions/regions.service';
import { addBusinessDays } from './business-days';
import { loadWindows, refreshExceptions } from './exceptions';
import { matchBatches } from './match-batches';
import { matchPayments } from './match-payments';
import * as repo from './reconcile.repository';
import type { RunReconciliation } from './reconcile.schemas';
import { summarize, type ReconciliationSummary } from './summary';

export type { ReconciliationSummary } from './summary';

export async function reconcileDay(deps: Deps, regionId: string, date: string): Promise<ReconciliationSummary> {
  const region = await findRegionIn(deps.knex, regionId);
  if (!region) throw notFound('region', { field: 'regionId' });
  const summary = await deps.knex.transaction(async (trx) => {
    const steps: Record<string, number> = {};
    let t = Date.now();
    const step = (name: string) => {
      steps[name] = Date.now() - t;
      t = Date.now();
    };
    await repo.lockRegion(trx, regionId);
    await repo.raiseWorkMem(trx);
    step('lock');
    await matchPayments(trx, regionId, date);
    step('payments');
    await matchBatches(trx, regionId, date);
    step('batches');
    const windows = await loadWindows(trx, regionId, date, addBusinessDays);
    await refreshExceptions(trx, regionId, date, windows);
    step('exceptions');
    const s = await summarize(trx, regionId, region.code, date, windows);
    step('summary');
    deps.logger.debug({ job: 'reconcile', region: region.code, date, ms: steps }, 'reconcile steps');
    await repo.saveRun(trx, regionId, date, s);
    return s;
  });
  deps.logger.info(
    { job: 'reconcile', region: region.code, date, status: summary.status, open: summary.exceptions.open },
    'reconciled',
  );
  return summary;
}

/** The summary as last computed, with when; undefined when the date was never reconciled. */
export async function lastReconciliation(
  deps: Deps,
  regionId: string,
  date: string,
): Promise<{ summary: ReconciliationSummary; runs: number; firstRunAt: Date; lastRunAt: Date } | undefined> {
  const row = await repo.findRun(deps.knex, regionId, date);
  if (!row) return undefined;
  return {
    summary: row.summary,
    runs: row.runs,
    firstRunAt: row.first_run_at,
    lastRunAt: row.last_run_at,
  };
}

/** POST /reconciliations: an officer runs their own region's date, the admin any region's. */
export async function runReconciliation(
  deps: Deps,
  p: Principal,
  run: RunReconciliation,
): Promise<ReconciliationSummary> {
  if (!canManageRegion(p, run.regionId)) throw forbidden('this region is outside your scope');
  return reconcileDay(deps, run.regionId, run.businessDate);
}

/** The summary as last computed, with its runs, for a reader of the region; 404 when the date
 * was never reconciled. */
export async function reconciliationOf(
  deps: Deps,
  p: Principal,
  regionId: string,
  date: string,
): Promise<ReconciliationSummary & { runs: number; firstRunAt: Date; lastRunAt: Date }> {
  assertReadRegion(p, regionId);
  const last = await lastReconciliation(deps, regionId, date);
  if (!last) throw notFound('reconciliation of this region and date', { regionId, businessDate: date });
  return { ...last.summary, runs: last.runs, firstRunAt: last.firstRunAt, lastRunAt: last.lastRunAt };
}
