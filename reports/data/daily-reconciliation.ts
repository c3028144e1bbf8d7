// Laporan Rekonsiliasi Harian: a region's business date as its last reconciliation left it. Per
// acquirer (one channel each): the ledger's settleable payments (card and QRIS, not voided), those
// the bank settled (matched), those still awaited inside the bank's window, what the bank's file
// says (lines, gross, MDR, net) and what reached the treasury statement; then every exception the
// run found that is still true, open or resolved. The figures are the run's own summary
// (reconciliation_runs), not a fresh count: a file imported since then is not yet reconciled and
// must not look as if it were. A date never reconciled has nothing to report (409).
import Decimal from 'decimal.js';
import type { Deps } from '../../api/core/deps';
import { conflict } from '../../api/core/errors';
import { lastReconciliation } from '../../api/reconcile/reconcile.service';
import type { ExceptionKind } from '../../api/reconcile/exceptions';
import type { AcquirerSummary, ReconciliationSummary } from '../../api/reconcile/summary';
import { addCounts, assertDate, money, regionInfo, type CountSum, type RegionInfo } from './common';

export interface BankSide {
  lines: number;
  gross: string;
  mdr: string;
  net: string;
}

export interface AcquirerReconciliation {
  acquirerCode: string;
  acquirerName: string;
  channel: string;
  /** The day the acquirer's settlement of this date is due (its D+n window). */
  dueBy: string;
  ledger: CountSum;
  settled: CountSum;
  awaiting: CountSum;
  bank: BankSide;
  statementCredited: string;
  batches: { count: number; credited: number; awaitingStatement: number };
}

export interface ReconciliationTotals {
  ledger: CountSum;
  settled: CountSum;
  awaiting: CountSum;
  bank: BankSide;
  statementCredited: string;
}

export interface ExceptionLine {
  kind: ExceptionKind;
  subject: string;
  acquirerCode: string | null;
  channel: string | null;
  /** What identifies it to a person: the RRN, the bank's reference, or the batch. */
  reference: string | null;
  terminalId: string | null;
  ledgerAmount: string | null;
  bankAmount: string | null;
  difference: string | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  note: string | null;
}

export interface DailyReconciliation {
  region: RegionInfo;
  date: string;
  status: ReconciliationSummary['status'];
  runs: number;
  lastRunAt: Date;
  acquirers: AcquirerReconciliation[];
  totals: ReconciliationTotals;
  exceptions: ExceptionLine[];
  exceptionCounts: { open: number; resolved: number };
}

function acquirerRow(a: AcquirerSummary, names: Map<string, string>): AcquirerReconciliation {
  return {
    acquirerCode: a.acquirer,
    acquirerName: names.get(a.acquirer) ?? a.acquirer,
    channel: a.channel,
    dueBy: a.dueBy,
    ledger: a.ledger,
    settled: a.matched,
    awaiting: a.awaitingSettlement,
    bank: a.settled,
    statementCredited: a.batches.creditedAmount,
    batches: { count: a.batches.count, credited: a.batches.credited, awaitingStatement: a.batches.awaitingStatement },
  };
}

const sum = (xs: string[]) => xs.reduce((acc, x) => acc.plus(x), new Decimal(0)).toFixed(2);

/** Totals from the rows printed above them, never from a second query. */
function totalsOf(rows: AcquirerReconciliation[]): ReconciliationTotals {
  return {
    ledger: addCounts(...rows.map((r) => r.ledger)),
    settled: addCounts(...rows.map((r) => r.settled)),
    awaiting: addCounts(...rows.map((r) => r.awaiting)),
    bank: {
      lines: rows.reduce((n, r) => n + r.bank.lines, 0),
      gross: sum(rows.map((r) => r.bank.gross)),
      mdr: sum(rows.map((r) => r.bank.mdr)),
      net: sum(rows.map((r) => r.bank.net)),
    },
    statementCredited: sum(rows.map((r) => r.statementCredited)),
  };
}

interface ExceptionRow {
  kind: ExceptionKind;
  subject: string;
  acquirer_code: string | null;
  channel: string | null;
  reference: string | null;
  terminal_id: string | null;
  ledger_amount: string | null;
  bank_amount: string | null;
  difference: string | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolution_note: string | null;
}

/** Open ones first. A cleared exception stopped being true on a later run and is left out. */
async function exceptionsOf(deps: Deps, regionId: string, date: string): Promise<ExceptionLine[]> {
  const { rows } = await deps.knex.raw(
    `select e.kind, e.subject, a.code as acquirer_code, e.channel,
            coalesce(e.details->>'rrn', e.details->>'reference', e.batch) as reference, e.details->>'terminalId' as terminal_id,
            e.ledger_amount::text as ledger_amount, e.bank_amount::text as bank_amount, e.difference::text as difference,
            e.status, e.resolution, e.resolution_note
       from reconciliation_exceptions e
       left join acquirers a on a.region_id = e.region_id and a.id = e.acquirer_id
      where e.region_id = ? and e.business_date = ?::date and e.status <> 'cleared'
      order by (e.status = 'open') desc, e.kind, a.code, e.subject`,
    [regionId, date],
  );
  const opt = (v: string | null) => (v === null ? null : money(v));
  return (rows as ExceptionRow[]).map((r) => ({
    kind: r.kind,
    subject: r.subject,
    acquirerCode: r.acquirer_code,
    channel: r.channel,
    reference: r.reference,
    terminalId: r.terminal_id,
    ledgerAmount: opt(r.ledger_amount),
    bankAmount: opt(r.bank_amount),
    difference: opt(r.difference),
    status: r.status,
    resolution: r.resolution,
    note: r.resolution_note,
  }));
}

export async function dailyReconciliation(deps: Deps, regionId: string, date: string): Promise<DailyReconciliation> {
  assertDate(date);
  const region = await regionInfo(deps, regionId);
  const last = await lastReconciliation(deps, regionId, date);
  if (!last) {
    throw conflict(
      'not-reconciled',
      `${date} has not been reconciled for this region yet; run the reconciliation first`,
      { regionId, date },
    );
  }
  const [names, exceptions] = await Promise.all([
    deps.knex('acquirers').where({ region_id: regionId }).select('code', 'name'),
    exceptionsOf(deps, regionId, date),
  ]);
  const acquirers = last.summary.acquirers.map((a) =>
    acquirerRow(a, new Map(names.map((n: { code: string; name: string }) => [n.code, n.name]))),
  );
  return {
    region,
    date,
    status: last.summary.status,
    runs: last.runs,
    lastRunAt: last.lastRunAt,
    acquirers,
    totals: totalsOf(acquirers),
    exceptions,
    exceptionCounts: {
      open: exceptions.filter((e) => e.status === 'open').length,
      resolved: exceptions.filter((e) => e.status === 'resolved').length,
    },
  };
}
