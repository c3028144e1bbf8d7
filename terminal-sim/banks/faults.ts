// The discrepancies the banks' files carry on demand, chosen from the banks' own logs with the
// run's seed. Only payments the ledger has are touched (a fault on a payment the ledger never
// got would be two faults at once), never the same one twice, and the k-th fault of a kind goes
// to a card payment when k is even and a QRIS one when odd, so both files carry faults.
import Decimal from 'decimal.js';
import { SNAP_FAULTS, type FaultKind, type FaultSpec } from '../options';
import { addDays } from '../clock';
import { int, type Rng } from '../rng';
import type { ToSettle } from './settlement';
import type { AcquirerTxn } from './types';

/** The faults that change what an acquirer settles (lost-queue happens at a terminal, short-credit at the treasury bank). */
export const LINE_FAULTS = ['unsettled', 'amount-mismatch', 'duplicate-line', 'late-settlement'] as const;
export type LineFaultKind = (typeof LINE_FAULTS)[number];

export interface LineFault {
  kind: LineFaultKind;
  txn: AcquirerTxn;
  /** amount-mismatch: the gross the file states instead of the log's */
  settledGross?: string;
}

export interface Shortfall {
  kind: FaultKind;
  asked: number;
  injected: number;
}

export interface SettlementPlan {
  items: ToSettle[];
  faults: LineFault[];
  shortfalls: Shortfall[];
}

/** Every approved transaction settles D+1, except where a fault says otherwise. */
export function planSettlement(
  rng: Rng,
  spec: FaultSpec,
  txns: AcquirerTxn[],
  inLedger: (t: AcquirerTxn) => boolean,
  date: string,
): SettlementPlan {
  const used = new Set<AcquirerTxn>();
  const faults: LineFault[] = [];
  const shortfalls: Shortfall[] = [];
  for (const kind of LINE_FAULTS) {
    const asked = spec[kind] ?? 0;
    let injected = 0;
    for (let k = 0; k < asked; k++) {
      const txn = pickTxn(rng, txns, k % 2 === 0 ? 'card' : 'qris', (t) => inLedger(t) && !used.has(t));
      if (!txn) continue;
      used.add(txn);
      faults.push({ kind, txn, settledGross: kind === 'amount-mismatch' ? otherAmount(rng, txn.gross) : undefined });
      injected++;
    }
    if (injected < asked) shortfalls.push({ kind, asked, injected });
  }
  const faultOf = new Map(faults.map((f) => [f.txn, f]));
  const items = txns
    .filter((t) => faultOf.get(t)?.kind !== 'unsettled')
    .map((txn): ToSettle => {
      const f = faultOf.get(txn);
      return {
        txn,
        settlementDate: addDays(date, f?.kind === 'late-settlement' ? 2 : 1),
        gross: f?.settledGross ?? txn.gross,
        twice: f?.kind === 'duplicate-line',
      };
    });
  return { items, faults, shortfalls };
}

/** One of the wanted channel if any fits, else of the other. */
function pickTxn(
  rng: Rng,
  txns: AcquirerTxn[],
  channel: 'card' | 'qris',
  fits: (t: AcquirerTxn) => boolean,
): AcquirerTxn | undefined {
  const preferred = txns.filter((t) => t.channel === channel && fits(t));
  const pool = preferred.length > 0 ? preferred : txns.filter(fits);
  return pool.length > 0 ? pool[int(rng, 0, pool.length - 1)] : undefined;
}

/** A thousand rupiah off, the size of a slip of the keyboard; down only where that leaves at least half. */
function otherAmount(rng: Rng, gross: string): string {
  const g = new Decimal(gross);
  const up = rng() < 0.5 || g.lt(2000);
  return (up ? g.plus(1000) : g.minus(1000)).toFixed(2);
}

/** The short-credit fault: which batches the treasury bank credits short, and by how much. */
export function pickShortCredits(rng: Rng, batches: { batch: string; net: Decimal; channel: string }[], asked: number) {
  const picked = new Map<string, Decimal>();
  for (let k = 0; k < asked; k++) {
    const free = batches.filter((b) => !picked.has(b.batch) && b.net.gt(0));
    const preferred = free.filter((b) => b.channel === (k % 2 === 0 ? 'card' : 'qris'));
    const pool = preferred.length > 0 ? preferred : free;
    if (pool.length === 0) break;
    const b = pool[int(rng, 0, pool.length - 1)];
    picked.set(b.batch, shortBy(b.net));
  }
  return picked;
}

/** A tenth of the batch, in whole thousands, at least Rp 1.000 where the batch allows it. */
function shortBy(net: Decimal): Decimal {
  const tenth = net.dividedBy(10).dividedBy(1000).floor().times(1000);
  if (tenth.gte(1000)) return tenth;
  return net.gt(1000) ? new Decimal(1000) : net.dividedBy(2).toDecimalPlaces(2, Decimal.ROUND_DOWN);
}

/** The SNAP notification faults (--qris-protocol snap), which touch delivery, not the files. */
export type SnapFaultKind = (typeof SNAP_FAULTS)[number];

/**
 * Which terminal's QRIS payments carry them: round the region's terminals in id order, the same
 * every run, each terminal spending its list on its first QRIS payments. No seeded draw is used,
 * so a day without these faults draws exactly what it drew before they existed.
 */
export function planSnapFaults(
  spec: FaultSpec,
  regions: { code: string }[],
  terminals: { id: string; region: { code: string } }[],
): Map<string, SnapFaultKind[]> {
  const plan = new Map<string, SnapFaultKind[]>();
  for (const r of regions) {
    const mine = terminals.filter((t) => t.region.code === r.code);
    let k = 0;
    for (const kind of SNAP_FAULTS) {
      for (let n = 0; n < (spec[kind] ?? 0) && mine.length > 0; n++, k++) {
        const id = mine[k % mine.length].id;
        plan.set(id, [...(plan.get(id) ?? []), kind]);
      }
    }
  }
  return plan;
}
