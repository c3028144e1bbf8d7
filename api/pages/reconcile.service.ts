// The reconciliation pages' data: a month of a region's days, each in one state, one day with
// its summary, its differences (selisih) and, for each open one, what a decision on it may name
// (candidates to link, the stalls and terminals a payment made from a bank line may take), the
// note of a bank file just uploaded, and the decision log across days. States come from the
// last run's summary and, for exceptions, from the table itself, so a decision shows at once.
// Uploads and runs call the same services as the API (bank-files.service, reconcile.service).
import type { Deps } from '../core/deps';
import { canManageRegion, type Principal } from '../auth/principal';
import { forbidden, notFound, unprocessable } from '../core/errors';
import { getBankFile, uploadBankFile } from '../reconcile/bank-files.service';
import type { ImportResult } from '../reconcile/import.service';
import { type ExceptionCandidates, linkCandidatesOfDay } from '../reconcile/link-candidates';
import { lastReconciliation, runReconciliation } from '../reconcile/reconcile.service';
import type { ReconciliationSummary } from '../reconcile/summary';
import * as repo from './reconcile-pages.repository';
import { STATEMENT_SOURCE } from './reconcile-pages.schemas';
import type { RegionScope } from './scope';

/** clean: nothing open, nothing awaited; awaiting: a bank's files are not due or not in yet;
 * empty: never reconciled and nothing happened (no card or QRIS payment, no bank line). */
export type DayState = 'clean' | 'awaiting' | 'exceptions' | 'none' | 'empty' | 'future';

export function dayState(
  date: string,
  today: string,
  run: { status: string | null } | undefined,
  openExceptions: number,
  hasTransactions: boolean,
): DayState {
  if (date > today) return 'future';
  if (openExceptions > 0) return 'exceptions';
  if (!run?.status) return hasTransactions ? 'none' : 'empty';
  if (run.status === 'closed') return 'clean';
  // 'open' with nothing open any more: decided, not yet run again; it still needs a look.
  return run.status === 'awaiting' ? 'awaiting' : 'exceptions';
}

export interface CalendarCell {
  date: string;
  day: number;
  state: DayState;
  open: number;
  /** anything to reconcile on the day (a clean day without any reads "tidak ada transaksi") */
  hasTransactions: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export interface MonthView {
  month: string;
  lead: number;
  cells: CalendarCell[];
  prev: string;
  next?: string;
}

export async function monthCalendar(deps: Deps, region: RegionScope, month: string): Promise<MonthView> {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const rows = await repo.calendarDays(deps.knex, region.id, `${month}-01`, `${month}-${pad(last)}`);
  const cells: CalendarCell[] = rows.map((r) => ({
    date: r.business_date,
    day: Number(r.business_date.slice(8)),
    state: dayState(r.business_date, region.today, r, r.open_exceptions, r.has_transactions),
    open: r.open_exceptions,
    hasTransactions: r.has_transactions,
  }));
  // ISO weekday of the 1st: how many blank cells lead the grid (weeks start on Monday).
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  return {
    month,
    lead,
    cells,
    prev: shiftMonth(month, -1),
    next: month < region.today.slice(0, 7) ? shiftMonth(month, 1) : undefined,
  };
}

/** Where a bank file may come from: the region's banks (their settlement files) and the treasury
 * account's statement. */
export interface UploadSource {
  value: string;
  label: string;
}

export async function uploadSources(deps: Deps, regionId: string): Promise<UploadSource[]> {
  const acquirers = await repo.regionAcquirers(deps.knex, regionId);
  return [
    ...acquirers.map((a) => ({
      value: a.code,
      label: `${a.name} — setelmen ${a.channel === 'qris' ? 'QRIS' : 'kartu'}`,
    })),
    { value: STATEMENT_SOURCE, label: 'Rekening koran kas daerah (MT940 / camt.053)' },
  ];
}

export interface DayView {
  date: string;
  state: DayState;
  hasTransactions: boolean;
  summary?: ReconciliationSummary;
  runs?: number;
  lastRunAt?: Date;
  exceptions: repo.DayExceptionRow[];
  candidates: Map<string, ExceptionCandidates>;
  /** for a bank line the ledger lacks: the stalls occupied that day, the terminals by TID */
  stalls: repo.OccupiedStallRow[];
  terminals: repo.TerminalRow[];
  /** acquirer code -> its name, for the per-bank table */
  acquirerNames: Map<string, string>;
}

export async function reconciliationDay(deps: Deps, p: Principal, region: RegionScope, date: string): Promise<DayView> {
  const [last, exceptions, acquirers, activity] = await Promise.all([
    lastReconciliation(deps, region.id, date),
    repo.dayExceptions(deps.knex, region.id, date),
    repo.regionAcquirers(deps.knex, region.id),
    repo.calendarDays(deps.knex, region.id, date, date),
  ]);
  const open = exceptions.filter((e) => e.status === 'open');
  const lineUnknown = open.some((e) => e.kind === 'settled-not-in-ledger');
  const [candidates, stalls, terminals] = await Promise.all([
    open.length ? linkCandidatesOfDay(deps, p, region.id, date) : new Map<string, ExceptionCandidates>(),
    lineUnknown ? repo.occupiedStalls(deps.knex, region.id, date) : [],
    lineUnknown ? repo.regionTerminals(deps.knex, region.id) : [],
  ]);
  const hasTransactions = activity[0]?.has_transactions ?? false;
  return {
    date,
    state: dayState(
      date,
      region.today,
      last ? { status: last.summary.status } : undefined,
      open.length,
      hasTransactions,
    ),
    hasTransactions,
    summary: last?.summary,
    runs: last?.runs,
    lastRunAt: last?.lastRunAt,
    exceptions,
    candidates,
    stalls,
    terminals,
    acquirerNames: new Map(acquirers.map((a) => [a.code, a.name])),
  };
}

/** The exception a decision is posted for: its region, date, kind and status; 404 when there is none. */
export async function exceptionDay(
  deps: Deps,
  id: string,
): Promise<{ region_id: string; business_date: string; kind: string; status: string }> {
  const row = await repo.exceptionWhere(deps.knex, id);
  if (!row) throw notFound('selisih');
  return row;
}

/** A bank file from the upload form, by the API's own upload service: the source is one of the
 * region's banks or its statement, and only those who may manage the region send files. */
export async function uploadFromPage(
  deps: Deps,
  p: Principal,
  region: RegionScope,
  f: { source: string; name?: string; content: Buffer },
): Promise<ImportResult> {
  if (!canManageRegion(p, region.id)) throw forbidden('pengunggahan berkas bank di luar wewenang Anda');
  const sources = await uploadSources(deps, region.id);
  if (!sources.some((s) => s.value === f.source))
    throw unprocessable('unknown-source', 'the source is not one of the region', { field: 'sumber' });
  const statement = f.source === STATEMENT_SOURCE;
  return uploadBankFile(
    deps,
    p,
    {
      kind: statement ? 'statement' : 'settlement',
      acquirer: statement ? undefined : f.source,
      regionId: region.id,
      name: f.name,
    },
    f.content,
  );
}

export type FileNote = Awaited<ReturnType<typeof getBankFile>> & { acquirerName?: string };

/** The file an upload just stored (or found stored), to say what it held. */
export async function fileNote(deps: Deps, p: Principal, region: RegionScope, fileId: string): Promise<FileNote> {
  const file = await getBankFile(deps, p, fileId);
  if (file.regionId !== region.id) throw notFound('berkas bank');
  const acquirers = await repo.regionAcquirers(deps.knex, region.id);
  return { ...file, acquirerName: acquirers.find((a) => a.code === file.acquirerCode)?.name };
}

/** The reconciliation of a date, run now from the page: the same call as POST /reconciliations. */
export async function runFromPage(
  deps: Deps,
  p: Principal,
  region: RegionScope,
  date: string,
): Promise<ReconciliationSummary> {
  if (!canManageRegion(p, region.id)) throw forbidden('menjalankan rekonsiliasi di luar wewenang Anda');
  return runReconciliation(deps, p, { regionId: region.id, businessDate: date });
}

export const LOG_PAGE = 100;
/** A CSV of the log holds at most this many decisions (a year of a busy region's is far less). */
export const LOG_CSV_MAX = 50_000;

export interface LogView {
  /** the period asked for (local dates of the decisions); absent: from the first or to the last */
  from?: string;
  to?: string;
  page: number;
  rows: repo.DecisionLogRow[];
  more: boolean;
}

/** The decisions taken in a period of local dates (all of them unless asked), newest first. */
export async function decisionLogOf(
  deps: Deps,
  region: RegionScope,
  q: { dari?: string; sampai?: string; halaman?: number },
  o: { all?: boolean } = {},
): Promise<LogView> {
  let [from, to] = [q.dari, q.sampai];
  if (from && to && from > to) [from, to] = [to, from];
  const page = q.halaman ?? 1;
  const limit = o.all ? LOG_CSV_MAX : LOG_PAGE;
  const rows = await repo.decisionLog(deps.knex, {
    regionId: region.id,
    timeZone: region.timeZone,
    from,
    to,
    limit: limit + 1,
    offset: o.all ? 0 : (page - 1) * LOG_PAGE,
  });
  return { from, to, page, rows: rows.slice(0, limit), more: rows.length > limit };
}
