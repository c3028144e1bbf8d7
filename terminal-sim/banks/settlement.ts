// How an acquirer settles a day from its own log: each approved transaction becomes a line with
// the contract's MDR and the net it pays, on the settlement date (D+1), in batches: one per EDC
// (TID) for cards, as each terminal closes its batch; one per day for QRIS, which has no EDC batch.
import Decimal from 'decimal.js';
import { compactDate } from '../clock';
import type { AcquirerTxn, SettlementLine } from './types';

/** A transaction on its way to a file: which day it settles and what amount the bank writes. */
export interface ToSettle {
  txn: AcquirerTxn;
  settlementDate: string;
  /** The gross the file states (differs from the log only under the amount-mismatch fault) */
  gross: string;
  /** Written twice (the duplicate-line fault) */
  twice: boolean;
}

/** MDR as the bank computes it: rate x gross, rounded half up to the sen; net is what is left. */
export function mdrOf(gross: string, rate: string): { mdr: string; net: string } {
  const mdr = new Decimal(gross).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { mdr: mdr.toFixed(2), net: new Decimal(gross).minus(mdr).toFixed(2) };
}

/** Log order for files: time, then terminal, then RRN, so concurrent terminals cannot reorder it. */
export function byTime(a: AcquirerTxn, b: AcquirerTxn): number {
  return a.transactedAt.getTime() - b.transactedAt.getTime() || a.tid.localeCompare(b.tid) || a.rrn.localeCompare(b.rrn);
}

/**
 * Batch ids, numeric like BNI's GB and Mandiri's PAYMENTBATCH: 1 (card) or 2 (QRIS), the
 * settlement date as YYMMDD, then the batch's number that day (card batches numbered by TID).
 */
export function batchIds(items: ToSettle[]): Map<ToSettle, string> {
  const keyOf = (s: ToSettle) => `${s.settlementDate}|${s.txn.channel === 'card' ? s.txn.tid : ''}`;
  const perDate = new Map<string, Set<string>>();
  for (const s of items) perDate.set(s.settlementDate, (perDate.get(s.settlementDate) ?? new Set()).add(keyOf(s)));
  const seqOf = new Map<string, number>();
  for (const keys of perDate.values()) [...keys].sort().forEach((k, i) => seqOf.set(k, i + 1));
  const ids = new Map<ToSettle, string>();
  for (const s of items) {
    const seq = String(seqOf.get(keyOf(s))).padStart(3, '0');
    ids.set(s, `${s.txn.channel === 'card' ? 1 : 2}${compactDate(s.settlementDate).slice(2)}${seq}`);
  }
  return ids;
}

/** The lines of one acquirer's file, batch by batch, each in log order; a duplicate follows its twin. */
export function settlementLines(items: ToSettle[], mdrRate: string, terminalBatch: (tid: string) => string): SettlementLine[] {
  const batches = batchIds(items);
  const sorted = [...items].sort((a, b) => batches.get(a)!.localeCompare(batches.get(b)!) || byTime(a.txn, b.txn));
  return sorted.flatMap((s) => {
    const line: SettlementLine = {
      ...s.txn,
      gross: s.gross,
      mdrRate,
      ...mdrOf(s.gross, mdrRate),
      settlementDate: s.settlementDate,
      batch: batches.get(s)!,
      terminalBatch: s.txn.channel === 'card' ? terminalBatch(s.txn.tid) : undefined,
    };
    return s.twice ? [line, { ...line }] : [line];
  });
}

export interface BatchNet {
  batch: string;
  acquirerCode: string;
  channel: string;
  settlementDate: string;
  net: Decimal;
}

/** Net per batch, in batch order: what the acquirer transfers to the treasury account. */
export function batchNets(lines: SettlementLine[]): BatchNet[] {
  const nets = new Map<string, BatchNet>();
  for (const l of lines) {
    const b = nets.get(l.batch) ?? { batch: l.batch, acquirerCode: l.acquirerCode, channel: l.channel, settlementDate: l.settlementDate, net: new Decimal(0) };
    b.net = b.net.plus(l.net);
    nets.set(l.batch, b);
  }
  return [...nets.values()].sort((a, b) => a.batch.localeCompare(b.batch));
}
