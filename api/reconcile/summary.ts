// A region's business date as the revenue office reads it: per acquirer and channel, ledger vs
// settlement vs statement counts and sums, MDR, and the exceptions by kind. Only facts, no
// clock: the same data gives the same summary, however often and wherever it is computed.
import Decimal from 'decimal.js';
import type { Db } from '../../db/knex';
import * as sql from './summary.sql';
import { EXCEPTION_KINDS, type AcquirerWindow, type ExceptionKind } from './exceptions';

export interface CountSum {
  count: number;
  amount: string;
}

export interface AcquirerSummary {
  acquirer: string;
  channel: string;
  dueBy: string;
  ledger: CountSum;
  matched: CountSum;
  awaitingSettlement: CountSum;
  settled: { lines: number; gross: string; mdr: string; net: string };
  batches: { count: number; credited: number; awaitingStatement: number; creditedAmount: string };
}

export interface ReconciliationSummary {
  regionId: string;
  region: string;
  businessDate: string;
  /** closed: nothing open and nothing awaited; awaiting: nothing open, some bank files not in yet */
  status: 'open' | 'awaiting' | 'closed';
  ledger: CountSum;
  matched: CountSum;
  awaitingSettlement: CountSum;
  settled: { lines: number; gross: string; mdr: string; net: string };
  statement: { credits: number; amount: string };
  acquirers: AcquirerSummary[];
  exceptions: {
    open: number;
    resolved: number;
    cleared: number;
    byKind: Record<ExceptionKind, { open: number; resolved: number; amount: string }>;
  };
}

const money = (v: string | null | undefined) => new Decimal(v ?? 0).toFixed(2);

export async function summarize(
  db: Db,
  regionId: string,
  regionCode: string,
  date: string,
  windows: AcquirerWindow[],
): Promise<ReconciliationSummary> {
  const payments = await sql.paymentTotals(db, regionId, date);
  const lines = await sql.lineTotals(db, regionId, date);
  const batches = await sql.batchTotals(db, regionId, date);
  const exceptions = await sql.exceptionCounts(db, regionId, date);

  const acquirers: AcquirerSummary[] = windows.map((w) => {
    const mine = payments.filter((p) => p.acquirer_id === w.acquirerId);
    const cs = (rows: typeof mine): CountSum => ({
      count: rows.reduce((n, r) => n + Number(r.count), 0),
      amount: rows.reduce((acc, r) => acc.plus(r.amount), new Decimal(0)).toFixed(2),
    });
    const matched = cs(mine.filter((p) => p.matched));
    const unmatched = cs(mine.filter((p) => !p.matched));
    const l = lines.find((x) => x.acquirer_id === w.acquirerId);
    const bt = batches.find((x) => x.acquirer_id === w.acquirerId);
    return {
      acquirer: w.code,
      channel: w.channel,
      dueBy: w.dueDate,
      ledger: cs(mine),
      matched,
      awaitingSettlement: w.covered ? { count: 0, amount: '0.00' } : unmatched,
      settled: { lines: Number(l?.lines ?? 0), gross: money(l?.gross), mdr: money(l?.mdr), net: money(l?.net) },
      batches: {
        count: Number(bt?.batches ?? 0),
        credited: Number(bt?.credited ?? 0),
        awaitingStatement: Number(bt?.awaiting ?? 0),
        creditedAmount: money(bt?.credited_amount),
      },
    };
  });
  const total = (pick: (a: AcquirerSummary) => CountSum): CountSum => ({
    count: acquirers.reduce((n, a) => n + pick(a).count, 0),
    amount: acquirers.reduce((acc, a) => acc.plus(pick(a).amount), new Decimal(0)).toFixed(2),
  });
  const sumOf = (pick: (a: AcquirerSummary) => string) =>
    acquirers.reduce((acc, a) => acc.plus(pick(a)), new Decimal(0)).toFixed(2);

  const byKind = Object.fromEntries(
    EXCEPTION_KINDS.map((k) => [k, { open: 0, resolved: 0, amount: '0.00' }]),
  ) as ReconciliationSummary['exceptions']['byKind'];
  const counts = { open: 0, resolved: 0, cleared: 0 };
  for (const e of exceptions) {
    counts[e.status as keyof typeof counts] += Number(e.count);
    if (e.status === 'cleared') continue;
    const k = byKind[e.kind];
    if (e.status === 'open') k.open += Number(e.count);
    else k.resolved += Number(e.count);
    k.amount = new Decimal(k.amount).plus(e.amount ?? 0).toFixed(2);
  }
  const awaiting = total((a) => a.awaitingSettlement);
  const awaitingBatches = acquirers.reduce((n, a) => n + a.batches.awaitingStatement, 0);
  return {
    regionId,
    region: regionCode,
    businessDate: date,
    status: counts.open > 0 ? 'open' : awaiting.count > 0 || awaitingBatches > 0 ? 'awaiting' : 'closed',
    ledger: total((a) => a.ledger),
    matched: total((a) => a.matched),
    awaitingSettlement: awaiting,
    settled: {
      lines: acquirers.reduce((n, a) => n + a.settled.lines, 0),
      gross: sumOf((a) => a.settled.gross),
      mdr: sumOf((a) => a.settled.mdr),
      net: sumOf((a) => a.settled.net),
    },
    statement: {
      credits: acquirers.reduce((n, a) => n + a.batches.credited, 0),
      amount: sumOf((a) => a.batches.creditedAmount),
    },
    acquirers,
    exceptions: { ...counts, byKind },
  };
}
