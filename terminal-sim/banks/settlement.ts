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

/** How a bank charges its MDR: BNI per line, rounded half up to the whole rupiah (135000 x 0.15 %
 * = 202.5 -> 203); Mandiri per SUMMARY GROUP row, rounded half up on the group's total, so a line
 * carries its exact share here and the layout rounds the group (mandiriSummaryGroups). */
export type FeeRule = 'per-line' | 'per-group';

/** MDR as the bank computes it for one line; net is what is left. */
export function mdrOf(gross: string, rate: string, rule: FeeRule = 'per-line'): { mdr: string; net: string } {
  const exact = new Decimal(gross).times(rate);
  const mdr = rule === 'per-line' ? exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP) : exact;
  return { mdr: mdr.toFixed(), net: new Decimal(gross).minus(mdr).toFixed() };
}

/** Log order for files: time, then terminal, then RRN, so concurrent terminals cannot reorder it. */
export function byTime(a: AcquirerTxn, b: AcquirerTxn): number {
  return (
    a.transactedAt.getTime() - b.transactedAt.getTime() || a.tid.localeCompare(b.tid) || a.rrn.localeCompare(b.rrn)
  );
}

/**
 * Batch ids, numeric like BNI's GB and Mandiri's PAYMENTBATCH: 1 (card) or 2 (QRIS), the
 * transaction date as YYMMDD, the days it took to settle (1, or 2 when late), then the batch's
 * number among that settlement's batches (card batches numbered by TID). The transaction date is
 * in it because two simulated days can settle on one date (a late D+2 and the next day's D+1):
 * their batches must not share an id, or a statement credit would name both.
 */
export function batchIds(items: ToSettle[]): Map<ToSettle, string> {
  const keyOf = (s: ToSettle) =>
    `${s.txn.transactionDate}|${s.settlementDate}|${s.txn.channel === 'card' ? s.txn.tid : ''}`;
  const perSettlement = new Map<string, Set<string>>();
  for (const s of items) {
    const group = `${s.txn.transactionDate}|${s.settlementDate}`;
    perSettlement.set(group, (perSettlement.get(group) ?? new Set()).add(keyOf(s)));
  }
  const seqOf = new Map<string, number>();
  for (const keys of perSettlement.values()) [...keys].sort().forEach((k, i) => seqOf.set(k, i + 1));
  const ids = new Map<ToSettle, string>();
  for (const s of items) {
    const seq = String(seqOf.get(keyOf(s))).padStart(3, '0');
    const lag = Math.round((Date.parse(s.settlementDate) - Date.parse(s.txn.transactionDate)) / 86_400_000);
    ids.set(
      s,
      `${s.txn.channel === 'card' ? 1 : 2}${compactDate(s.txn.transactionDate).slice(2)}${Math.min(Math.max(lag, 0), 9)}${seq}`,
    );
  }
  return ids;
}

/** The lines of one acquirer's file, batch by batch, each in log order. A duplicate (the same
 * transaction settled twice) follows its twin: the same TID, date, approval code, card and amount,
 * and the layout gives it the next sequence number in the batch (BNI's SEQ, Mandiri's BATCHSEQ). */
export function settlementLines(items: ToSettle[], mdrRate: string, rule: FeeRule): SettlementLine[] {
  const batches = batchIds(items);
  const sorted = [...items].sort((a, b) => batches.get(a)!.localeCompare(batches.get(b)!) || byTime(a.txn, b.txn));
  return sorted.flatMap((s) => {
    const line: SettlementLine = {
      ...s.txn,
      gross: s.gross,
      mdrRate,
      ...mdrOf(s.gross, mdrRate, rule),
      settlementDate: s.settlementDate,
      batch: batches.get(s)!,
    };
    return s.twice ? [line, { ...line }] : [line];
  });
}

export interface BatchNet {
  batch: string;
  acquirerCode: string;
  channel: string;
  settlementDate: string;
  gross: Decimal;
  mdr: Decimal;
  net: Decimal;
}

/** Per batch, in batch order, from amounts as a file states them (a line, or a fee group):
 * the acquirer transfers each batch's net to the treasury account. */
export function batchNets(
  parts: {
    batch: string;
    acquirerCode: string;
    channel: string;
    settlementDate: string;
    gross: Decimal;
    mdr: Decimal;
    net: Decimal;
  }[],
): BatchNet[] {
  const nets = new Map<string, BatchNet>();
  for (const p of parts) {
    const zero = new Decimal(0);
    const b = nets.get(p.batch) ?? {
      batch: p.batch,
      acquirerCode: p.acquirerCode,
      channel: p.channel,
      settlementDate: p.settlementDate,
      gross: zero,
      mdr: zero,
      net: zero,
    };
    b.gross = b.gross.plus(p.gross);
    b.mdr = b.mdr.plus(p.mdr);
    b.net = b.net.plus(p.net);
    nets.set(p.batch, b);
  }
  return [...nets.values()].sort((a, b) => a.batch.localeCompare(b.batch));
}

/** A BNI file's lines as batch parts: each line states its own fee and net. */
export function lineParts(lines: SettlementLine[]) {
  return lines.map((l) => ({
    batch: l.batch,
    acquirerCode: l.acquirerCode,
    channel: l.channel,
    settlementDate: l.settlementDate,
    gross: new Decimal(l.gross),
    mdr: new Decimal(l.mdr),
    net: new Decimal(l.net),
  }));
}
