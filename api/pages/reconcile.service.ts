// The reconciliation pages' data: a month of a region's days, each in one state, and one day
// with its summary and exceptions. States come from the last run's summary and, for exceptions,
// from the table itself, so a decision shows at once.
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { lastReconciliation } from '../reconcile/reconcile.service';
import type { ReconciliationSummary } from '../reconcile/summary';
import * as repo from './pages.repository';
import type { RegionScope } from './scope';

/** clean: nothing open, nothing awaited; awaiting: a bank's files are not due or not in yet. */
export type DayState = 'clean' | 'awaiting' | 'exceptions' | 'none' | 'future';

export function dayState(
  date: string,
  today: string,
  run: { status: string | null } | undefined,
  openExceptions: number,
): DayState {
  if (date > today) return 'future';
  if (openExceptions > 0) return 'exceptions';
  if (!run?.status) return 'none';
  if (run.status === 'closed') return 'clean';
  // 'open' with nothing open any more: decided, not yet run again; it still needs a look.
  return run.status === 'awaiting' ? 'awaiting' : 'exceptions';
}

export interface CalendarCell {
  date: string;
  day: number;
  state: DayState;
  open: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export async function monthCalendar(deps: Deps, region: RegionScope, month: string) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const from = `${month}-01`;
  const to = `${month}-${pad(last)}`;
  const rows = await repo.calendarDays(deps.knex, region.id, from, to);
  const byDate = new Map(rows.map((r) => [r.business_date, r]));
  const cells: CalendarCell[] = [];
  for (let d = 1; d <= last; d++) {
    const date = `${month}-${pad(d)}`;
    const r = byDate.get(date);
    cells.push({
      date,
      day: d,
      state: dayState(date, region.today, r, r?.open_exceptions ?? 0),
      open: r?.open_exceptions ?? 0,
    });
  }
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

export interface DayView {
  date: string;
  state: DayState;
  summary?: ReconciliationSummary;
  runs?: number;
  lastRunAt?: Date;
  exceptions: repo.ExceptionLine[];
  stalls: { id: string; code: string; market_name: string }[];
}

export async function reconciliationDay(deps: Deps, region: RegionScope, date: string): Promise<DayView> {
  const [last, exceptions] = await Promise.all([
    lastReconciliation(deps, region.id, date),
    repo.dayExceptions(deps.knex, region.id, date),
  ]);
  const open = exceptions.filter((e) => e.status === 'open');
  // Accepting a bank line the ledger never had needs the stall it was for.
  const stalls = open.some((e) => e.kind === 'settled-not-in-ledger')
    ? await repo.regionStalls(deps.knex, region.id)
    : [];
  return {
    date,
    state: dayState(date, region.today, last ? { status: last.summary.status } : undefined, open.length),
    summary: last?.summary,
    runs: last?.runs,
    lastRunAt: last?.lastRunAt,
    exceptions,
    stalls,
  };
}

/** The region and business date of an exception a decision is posted for; 404 when there is none. */
export async function exceptionDay(deps: Deps, id: string): Promise<{ region_id: string; business_date: string }> {
  const row = await repo.exceptionWhere(deps.knex, id);
  if (!row) throw notFound('pengecualian');
  return row;
}
