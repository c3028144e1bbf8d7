// manifest.json beside the banks' files: every fault the run injected, with what it touched
// (the terminal, TID, date, approval code, amounts, EDC batch and invoice, settlement batch, file,
// and the bank's own key of each row it wrote: BNI's MID/OB/GB/SEQ, Mandiri's TID/TIDBATCH/
// BATCHSEQ), the files themselves, and what the API acknowledged. It is the simulator's own record,
// not a bank's file, so it also keeps the RRN the simulated acquirer gave each transaction.
// A reconciliation test reads it to know exactly which exceptions a correct job must report.
// Nothing in it comes from the server's random ids, so the same seed writes the same bytes.
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { FAULT_KINDS, SNAP_FAULTS, type FaultKind, type FaultSpec, type ResolvedOptions } from '../options';
import { addDays } from '../clock';
import type { LedgerRecord } from '../day';
import type { Channel, SettlementLine, Statement } from './types';
import type { LineFault, SettlementPlan, Shortfall } from './faults';
import type { RegionDay } from './region-day';
import type { BatchNet } from './settlement';

export interface BankFile {
  name: string;
  kind: 'settlement' | 'statement';
  format: 'bni-settlement-csv' | 'mandiri-merchant-statement' | 'mt940' | 'camt053';
  acquirer?: string;
  channel?: Channel;
  /** The settlement date a settlement file covers, or the day of a statement */
  date: string;
  content: string;
  lines?: SettlementLine[];
  /** Settlement: per batch, the gross, MDR and net as the file states them (what the acquirer pays) */
  batches?: BatchNet[];
  /** Settlement: the file carries an RRN column (an acquirer option; no real card layout does) */
  settlementRrn?: boolean;
  statement?: Statement;
}

export type ManifestFault = { kind: FaultKind; what: string } & Record<string, unknown>;

export interface Manifest {
  region: string;
  businessDate: string;
  seed: number;
  faultsRequested: FaultSpec;
  faults: ManifestFault[];
  notInjected: Shortfall[];
  files: Record<string, unknown>[];
  /** What the API acknowledged today in this region, per channel */
  delivered: Record<Channel, { count: number; amount: string }>;
}

interface Inputs {
  opts: ResolvedOptions;
  day: RegionDay;
  files: BankFile[];
  plan: SettlementPlan;
  shortCredits: Map<string, Decimal>;
  lines: SettlementLine[];
  payouts: BatchNet[];
}

const WHAT: Record<FaultKind, string> = {
  'lost-queue': 'approved and settled by the acquirer; the terminal lost its offline queue, so the ledger never got it',
  unsettled: 'in the ledger; the acquirer never settled it (missing from its file)',
  'amount-mismatch':
    'settled with a gross that differs from the ledger amount (same TID, date and approval code; the fee and net as the bank computes them on that gross)',
  'duplicate-line':
    'one transaction settled twice: a second row in the same batch with the next sequence number (BNI SEQ, Mandiri BATCHSEQ) and the same TID, date, approval code, card and amount (and paid twice in the batch)',
  'short-credit': 'the treasury statement credits this batch less than its net',
  'late-settlement': 'settled D+2 instead of D+1, in the later settlement file',
  'lost-notification':
    "paid at the SNAP bank and settled, never notified: the product's status query must find it; once it has, nothing for reconciliation",
  'duplicate-external-id':
    'notified, then sent again under the same X-EXTERNAL-ID with the same body (a retry: the first answer) and with another body (409 4095200); recorded once',
};

export function buildManifest(x: Inputs): Manifest {
  const { opts, day } = x;
  const faults: ManifestFault[] = [
    ...lostQueueFaults(x),
    ...x.plan.faults.map((f) => lineFault(x, f)),
    ...shortCreditFaults(x),
    ...snapFaults(x),
  ].sort((a, b) => FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind));
  const lostAsked = opts.faults['lost-queue'] ?? 0;
  const notInjected = [...x.plan.shortfalls];
  if (day.lost.length < lostAsked)
    notInjected.unshift({ kind: 'lost-queue', asked: lostAsked, injected: day.lost.length });
  if (x.shortCredits.size < (opts.faults['short-credit'] ?? 0)) {
    notInjected.push({ kind: 'short-credit', asked: opts.faults['short-credit']!, injected: x.shortCredits.size });
  }
  for (const kind of SNAP_FAULTS) {
    const asked = opts.faults[kind] ?? 0;
    const injected = (day.snapFaults ?? []).filter((f) => f.kind === kind).length;
    if (injected < asked) notInjected.push({ kind, asked, injected });
  }
  return {
    region: day.region.code,
    businessDate: opts.date,
    seed: opts.seed,
    faultsRequested: Object.fromEntries(
      FAULT_KINDS.filter((k) => (opts.faults[k] ?? 0) > 0).map((k) => [k, opts.faults[k]]),
    ),
    faults,
    notInjected,
    files: x.files.map(describeFile),
    delivered: { card: tally(day.ledger, 'card'), qris: tally(day.ledger, 'qris') },
  };
}

function tally(ledger: LedgerRecord[], channel: Channel) {
  const mine = ledger.filter((l) => l.channel === channel);
  return { count: mine.length, amount: mine.reduce((acc, l) => acc.plus(l.amount), new Decimal(0)).toFixed(2) };
}

/** The bank's own key of each row a file wrote, in the file's order: the writers number BNI's SEQ
 * per settlement batch (GB) and Mandiri's BATCHSEQ per TID and EDC batch, in line order. */
function rowKeys(f: BankFile): Record<string, string>[] {
  const next = new Map<string, number>();
  const seq = (key: string) => {
    const n = (next.get(key) ?? 0) + 1;
    next.set(key, n);
    return n;
  };
  return f.lines!.map(
    (l): Record<string, string> =>
      f.format === 'bni-settlement-csv'
        ? {
            mid: l.mid,
            ob: (l.terminalBatch ?? '1').padStart(5, '0'),
            gb: l.batch,
            seq: String(seq(l.batch)).padStart(3, '0'),
          }
        : {
            tid: l.tid,
            tidBatch: l.terminalBatch ?? '1',
            batchSeq: String(seq(`${l.tid}\u0000${l.terminalBatch ?? '1'}`)),
          },
  );
}

/** Where a settled transaction ended up: its settlement date, batch, file and the rows it has there. */
function placeOf(x: Inputs, acquirerCode: string, rrn: string) {
  const file = x.files.find(
    (f) => f.kind === 'settlement' && f.acquirer === acquirerCode && f.lines!.some((l) => l.rrn === rrn),
  );
  if (!file) return {};
  const keys = rowKeys(file);
  const at = file.lines!.flatMap((l, i) => (l.rrn === rrn ? [i] : []));
  const line = file.lines![at[0]];
  return { settlementDate: line.settlementDate, batch: line.batch, file: file.name, rows: at.map((i) => keys[i]) };
}

/** How the bank's files name a transaction: no RRN on a card layout, so the approval code and the
 * EDC's numbers; a QRIS one by its reference (and the RRN its file carries). */
function identityOf(t: {
  approvalCode?: string;
  maskedPan?: string;
  terminalBatch?: string;
  invoice?: string;
  reference?: string;
  issuer?: string;
}) {
  return {
    approvalCode: t.approvalCode,
    maskedPan: t.maskedPan,
    terminalBatch: t.terminalBatch,
    invoice: t.invoice,
    reference: t.reference,
    issuer: t.issuer,
  };
}

function terminalOf(
  x: Inputs,
  acquirerCode: string,
  rrn: string,
  tid: string,
): { terminal?: string; clientTxnId?: string; stallId?: string } {
  const rec = x.day.ledger.find((l) => l.acquirerCode === acquirerCode && l.rrn === rrn);
  if (rec) return { terminal: rec.terminalId, clientTxnId: rec.clientTxnId, stallId: rec.stallId };
  return { terminal: x.day.terminals.find((t) => t.tid === tid)?.id };
}

function lostQueueFaults(x: Inputs): ManifestFault[] {
  const code = x.day.card.info.code;
  return [...x.day.lost]
    .sort((a, b) => a.rrn.localeCompare(b.rrn))
    .map((p) => ({
      kind: 'lost-queue',
      what: WHAT['lost-queue'],
      channel: 'card',
      acquirer: code,
      rrn: p.rrn,
      tid: p.tid,
      terminal: p.terminalId,
      stan: p.stan,
      approvalCode: p.approvalCode,
      terminalBatch: p.terminalBatch,
      invoice: p.invoice,
      clientTxnId: p.clientTxnId,
      stallId: p.stallId,
      transactionDate: x.opts.date,
      amount: p.amount,
      ...placeOf(x, code, p.rrn),
    }));
}

function snapFaults(x: Inputs): ManifestFault[] {
  return [...(x.day.snapFaults ?? [])]
    .sort((a, b) => a.txn.rrn.localeCompare(b.txn.rrn))
    .map((f) => ({
      kind: f.kind,
      what: WHAT[f.kind],
      channel: 'qris',
      acquirer: f.txn.acquirerCode,
      rrn: f.txn.rrn,
      tid: f.txn.tid,
      reference: f.txn.reference,
      terminal: f.terminalId,
      stallId: f.stallId,
      transactionDate: f.txn.transactionDate,
      amount: f.txn.gross,
      ...(f.externalId ? { externalId: f.externalId } : {}),
      ...placeOf(x, f.txn.acquirerCode, f.txn.rrn),
    }));
}

function lineFault(x: Inputs, f: LineFault): ManifestFault {
  const t = f.txn;
  const base = {
    kind: f.kind,
    what: WHAT[f.kind],
    channel: t.channel,
    acquirer: t.acquirerCode,
    rrn: t.rrn,
    tid: t.tid,
    ...terminalOf(x, t.acquirerCode, t.rrn, t.tid),
    ...identityOf(t),
    transactionDate: t.transactionDate,
    amount: t.gross,
  };
  if (f.kind === 'unsettled') {
    const expected = addDays(x.opts.date, 1);
    const file = x.files.find((file) => file.acquirer === t.acquirerCode && file.date === expected)?.name;
    return { ...base, expectedSettlementDate: expected, missingFrom: file };
  }
  const place = placeOf(x, t.acquirerCode, t.rrn);
  if (f.kind === 'amount-mismatch') return { ...base, settledGross: f.settledGross, ...place };
  if (f.kind === 'duplicate-line') return { ...base, timesWritten: 2, ...place };
  return { ...base, expectedSettlementDate: addDays(x.opts.date, 1), ...place };
}

function shortCreditFaults(x: Inputs): ManifestFault[] {
  return [...x.shortCredits.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([batch, short]) => {
      const payout = x.payouts.find((b) => b.batch === batch)!;
      const net = payout.net;
      const date = payout.settlementDate;
      return {
        kind: 'short-credit',
        what: WHAT['short-credit'],
        channel: payout.channel,
        acquirer: payout.acquirerCode,
        batch,
        settlementDate: date,
        expectedNet: net.toFixed(2),
        credited: net.minus(short).toFixed(2),
        difference: short.toFixed(2),
        file: x.files.find((f) => f.kind === 'statement' && f.date === date)?.name,
      };
    });
}

function describeFile(f: BankFile): Record<string, unknown> {
  const sha256 = createHash('sha256').update(f.content).digest('hex');
  if (f.kind === 'statement') {
    const s = f.statement!;
    return {
      name: f.name,
      kind: f.kind,
      format: f.format,
      date: f.date,
      account: s.accountNumber,
      statementNumber: s.statementNumber,
      entries: s.entries.length,
      openingBalance: s.openingBalance,
      closingBalance: s.closingBalance,
      sha256,
    };
  }
  // What the file states: BNI per line, Mandiri per summary group (its MDR rounded on the group).
  const sum = (pick: (b: BatchNet) => Decimal) =>
    f.batches!.reduce((acc, b) => acc.plus(pick(b)), new Decimal(0)).toFixed(2);
  return {
    name: f.name,
    kind: f.kind,
    format: f.format,
    acquirer: f.acquirer,
    channel: f.channel,
    settlementDate: f.date,
    rrnColumn: f.settlementRrn === true,
    lines: f.lines!.length,
    batches: f.batches!.map((b) => b.batch),
    gross: sum((b) => b.gross),
    mdr: sum((b) => b.mdr),
    net: sum((b) => b.net),
    sha256,
  };
}
