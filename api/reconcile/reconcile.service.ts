// Reconciling a region's business date: payments <-> settlement lines, batches <-> statement
// credits (posting the settlement entries), then the exceptions and the summary. One transaction
// under the region's advisory lock: two instances never reconcile a region at once, a run killed
// half-way leaves nothing, and a second run finds what the first one found.
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { addBusinessDays } from './business-days';
import { loadWindows, refreshExceptions } from './exceptions';
import { matchBatches } from './match-batches';
import { matchPayments } from './match-payments';
import { summarize, type ReconciliationSummary } from './summary';

export type { ReconciliationSummary } from './summary';

export async function reconcileDay(deps: Deps, regionId: string, date: string): Promise<ReconciliationSummary> {
  const region = await deps.knex('regions').where({ id: regionId }).first('id', 'code');
  if (!region) throw notFound('region', { field: 'regionId' });
  const summary = await deps.knex.transaction(async (trx) => {
    const steps: Record<string, number> = {};
    let t = Date.now();
    const step = (name: string) => {
      steps[name] = Date.now() - t;
      t = Date.now();
    };
    await trx.raw(`select pg_advisory_xact_lock(hashtextextended('reconcile:' || ?, 0))`, [regionId]);
    // A million-line day hashes and sorts hundreds of megabytes; with the default 4 MB every
    // join and aggregate spills to disk. For this transaction only.
    await trx.raw(`set local work_mem = '256MB'`);
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
    await trx.raw(
      `insert into reconciliation_runs (region_id, business_date, summary) values (?, ?, ?)
       on conflict (region_id, business_date) do update set runs = reconciliation_runs.runs + 1, last_run_at = now(), summary = excluded.summary`,
      [regionId, date, JSON.stringify(s)],
    );
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
  const row = await deps.knex('reconciliation_runs').where({ region_id: regionId, business_date: date }).first();
  if (!row) return undefined;
  return { summary: row.summary, runs: row.runs, firstRunAt: row.first_run_at, lastRunAt: row.last_run_at };
}
