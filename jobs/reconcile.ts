// The nightly reconciliation of a region: import what arrived in the settlement inbox, then
// reconcile every business date that has new bank lines, open exceptions or payments awaiting
// settlement, and any recent day with payments that was never reconciled (days missed while
// every instance was down). The same through the CLI, the schedule and (per date) the API.
import type { Deps } from '../api/core/deps';
import { importInbox } from '../api/reconcile/inbox';
import { reconcileDay, type ReconciliationSummary } from '../api/reconcile/reconcile.service';
import { addDays } from '../api/reconcile/business-days';
import { businessDate } from '../api/core/time';
import { datesWithWorkLeft } from './jobs.repository';
import { regionsToRun } from './regions';

/** How far back a night looks for days never reconciled or still awaiting the banks. */
export const LOOKBACK_DAYS = 35;

export interface ReconcileArgs {
  region?: string;
  /** Only this business date (after importing the inbox) */
  date?: string;
  inbox?: string;
  /** Reconcile without reading the inbox */
  skipImport?: boolean;
}

export interface RegionReconcileResult {
  region: string;
  imported: { file: string; lines: number; duplicate: boolean }[];
  refused: { path: string; line: number; reason: string }[];
  reconciled: ReconciliationSummary[];
}

export async function reconcileJob(deps: Deps, args: ReconcileArgs): Promise<RegionReconcileResult[]> {
  const regions = await regionsToRun(deps, args.region);
  const out: RegionReconcileResult[] = [];
  for (const r of regions) out.push(await reconcileRegion(deps, r, args));
  return out;
}

export async function reconcileRegion(
  deps: Deps,
  r: { id: string; code: string; time_zone: string },
  args: ReconcileArgs,
): Promise<RegionReconcileResult> {
  const inbox = args.inbox ?? deps.config.SETTLEMENT_INBOX;
  const imports = args.skipImport
    ? { imported: [], refused: [], businessDates: [] as string[] }
    : await importInbox(deps, r.id, inbox);
  const dates = args.date ? [args.date] : await datesToReconcile(deps, r, imports.businessDates);
  const reconciled: ReconciliationSummary[] = [];
  for (const d of dates) reconciled.push(await reconcileDay(deps, r.id, d));
  return {
    region: r.code,
    imported: imports.imported.map((i) => ({ file: i.fileId, lines: i.lines, duplicate: i.duplicate })),
    refused: imports.refused,
    reconciled,
  };
}

async function datesToReconcile(deps: Deps, r: { id: string; time_zone: string }, fresh: string[]): Promise<string[]> {
  const today = businessDate(deps.clock.now(), r.time_zone);
  const since = addDays(today, -LOOKBACK_DAYS);
  const rows = await datesWithWorkLeft(deps.knex, r.id, since, today);
  return [...new Set([...fresh, ...rows])].sort();
}
