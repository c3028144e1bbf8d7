// Reports written to REPORTS_DIR/<REGION>/<date>/<document number>-<kind>.pdf, by the CLI
// (`npm run job -- report`) and by the schedule. Each file is issued like one fetched from the
// API: numbered, registered, verifiable.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Deps } from '../api/core/deps';
import { AppError, notFound } from '../api/core/errors';
import { addDays } from '../api/reconcile/business-days';
import { businessDate } from '../api/core/time';
import type { ReportDefinition, ReportRequest } from '../reports/definition';
import { issuePdf } from '../reports/document';
import { reportDefinition, REPORT_KINDS } from '../reports/registry';
import { activeMarkets } from './jobs.repository';
import { type RegionRow, regionsToRun } from './regions';

export interface WrittenReport {
  kind: string;
  number?: string;
  file?: string;
  pages?: number;
  /** why nothing was written (e.g. the day was never reconciled) */
  skipped?: string;
}

export function reportsDir(deps: Deps): string {
  return deps.config.REPORTS_DIR;
}

/** The requests one kind makes for a region on a date: per market for letters, else one. */
async function requestsFor(
  deps: Deps,
  def: ReportDefinition,
  region: RegionRow,
  date: string,
): Promise<ReportRequest[]> {
  const base: ReportRequest = { regionId: region.id, date, asOf: date, month: date.slice(0, 7) };
  if (!def.needs.includes('marketId')) return [base];
  const markets = await activeMarkets(deps.knex, region.id);
  return markets.map((m) => ({ ...base, marketId: m.id }));
}

/** One report into a file; a 4xx from the report (nothing to report) is a skip, not a failure. */
export async function writeReport(
  deps: Deps,
  def: ReportDefinition,
  region: RegionRow,
  req: ReportRequest,
  dir: string,
): Promise<WrittenReport> {
  const folder = path.join(dir, region.code, req.date ?? req.month ?? 'undated');
  await mkdir(folder, { recursive: true });
  const partial = path.join(folder, `.${def.kind}-${process.pid}-${Date.now()}.partial`);
  try {
    const doc = await issuePdf(deps, def, req, createWriteStream(partial), 'schedule');
    const file = path.join(folder, `${doc.number}-${def.kind}.pdf`);
    await rename(partial, file);
    return { kind: def.kind, number: doc.number, file, pages: doc.pages };
  } catch (err) {
    await rm(partial, { force: true });
    if (err instanceof AppError && err.status < 500) return { kind: def.kind, skipped: err.message };
    throw err;
  }
}

export interface ReportArgs {
  region?: string;
  date?: string;
  kinds?: string[];
  out?: string;
}

/** Default: the daily reports of each region's local yesterday. */
export async function reportJob(
  deps: Deps,
  args: ReportArgs,
): Promise<{ region: string; date: string; written: WrittenReport[] }[]> {
  const kinds = args.kinds?.length ? args.kinds : ['daily-reconciliation', 'daily-collection'];
  const defs = kinds.map((k) => {
    const def = reportDefinition(k);
    if (!def) throw notFound('report kind', { field: 'kind', value: k, kinds: REPORT_KINDS() });
    return def;
  });
  const regions = await regionsToRun(deps, args.region);
  const out = [];
  for (const region of regions) {
    const date = args.date ?? addDays(businessDate(deps.clock.now(), region.time_zone), -1);
    const written: WrittenReport[] = [];
    for (const def of defs) {
      for (const req of await requestsFor(deps, def, region, date))
        written.push(await writeReport(deps, def, region, req, args.out ?? reportsDir(deps)));
    }
    out.push({ region: region.code, date, written });
  }
  return out;
}
