// manifest.json beside the banks' files: every fault the run injected, with what it touched
// (RRN, terminal, amounts, batch, file), the files themselves, and what the API acknowledged.
// A reconciliation test reads it to know exactly which exceptions a correct job must report.
// Nothing in it comes from the server's random ids, so the same seed writes the same bytes.
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec, type ResolvedOptions } from '../options';
import { addDays } from '../clock';
import type { LedgerRecord } from '../day';
import type { Channel, SettlementLine, Statement } from './types';
import type { LineFault, SettlementPlan, Shortfall } from './faults';
import type { RegionDay } from './end-of-day';

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
}

const WHAT: Record<FaultKind, string> = {
  'lost-queue': 'approved and settled by the acquirer; the terminal lost its offline queue, so the ledger never got it',
  unsettled: 'in the ledger; the acquirer never settled it (missing from its file)',
  'amount-mismatch': 'settled with a gross that differs from the ledger amount',
  'duplicate-line': 'settled once but written twice in the settlement file (and paid twice in the batch)',
  'short-credit': 'the treasury statement credits this batch less than its net',
  'late-settlement': 'settled D+2 instead of D+1, in the later settlement file',
};

export function buildManifest(x: Inputs): Manifest {
  const { opts, day } = x;
  const faults: ManifestFault[] = [
    ...lostQueueFaults(x),
    ...x.plan.faults.map((f) => lineFault(x, f)),
    ...shortCreditFaults(x),
  ].sort((a, b) => FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind));
  const lostAsked = opts.faults['lost-queue'] ?? 0;
  const notInjected = [...x.plan.shortfalls];
  if (day.lost.length < lostAsked) notInjected.unshift({ kind: 'lost-queue', asked: lostAsked, injected: day.lost.length });
  if (x.shortCredits.size < (opts.faults['short-credit'] ?? 0)) {
    notInjected.push({ kind: 'short-credit', asked: opts.faults['short-credit']!, injected: x.shortCredits.size });
  }
  return {
    region: day.region.code,
    businessDate: opts.date,
    seed: opts.seed,
    faultsRequested: Object.fromEntries(FAULT_KINDS.filter((k) => (opts.faults[k] ?? 0) > 0).map((k) => [k, opts.faults[k]])),
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

/** Where a settled transaction ended up: its batch, settlement date and file. */
function placeOf(x: Inputs, acquirerCode: string, rrn: string) {
  const line = x.lines.find((l) => l.acquirerCode === acquirerCode && l.rrn === rrn);
  if (!line) return {};
  const file = x.files.find((f) => f.acquirer === acquirerCode && f.date === line.settlementDate)?.name;
  return { settlementDate: line.settlementDate, batch: line.batch, file };
}

function terminalOf(x: Inputs, acquirerCode: string, rrn: string, tid: string): { terminal?: string; clientTxnId?: string; stallId?: string } {
  const rec = x.day.ledger.find((l) => l.acquirerCode === acquirerCode && l.rrn === rrn);
  if (rec) return { terminal: rec.terminalId, clientTxnId: rec.clientTxnId, stallId: rec.stallId };
  return { terminal: x.day.terminals.find((t) => t.tid === tid)?.id };
}

function lostQueueFaults(x: Inputs): ManifestFault[] {
  const code = x.day.card.info.code;
  return [...x.day.lost].sort((a, b) => a.rrn.localeCompare(b.rrn)).map((p) => ({
    kind: 'lost-queue', what: WHAT['lost-queue'], channel: 'card', acquirer: code, rrn: p.rrn, tid: p.tid, terminal: p.terminalId,
    stan: p.stan, clientTxnId: p.clientTxnId, stallId: p.stallId, transactionDate: x.opts.date, amount: p.amount, ...placeOf(x, code, p.rrn),
  }));
}

function lineFault(x: Inputs, f: LineFault): ManifestFault {
  const t = f.txn;
  const base = {
    kind: f.kind, what: WHAT[f.kind], channel: t.channel, acquirer: t.acquirerCode, rrn: t.rrn, tid: t.tid, ...terminalOf(x, t.acquirerCode, t.rrn, t.tid),
    transactionDate: t.transactionDate, amount: t.gross,
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
  return [...x.shortCredits.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([batch, short]) => {
    const batchLines = x.lines.filter((l) => l.batch === batch);
    const net = batchLines.reduce((acc, l) => acc.plus(l.net), new Decimal(0));
    const date = batchLines[0].settlementDate;
    return {
      kind: 'short-credit', what: WHAT['short-credit'], channel: batchLines[0].channel, acquirer: batchLines[0].acquirerCode, batch,
      settlementDate: date, expectedNet: net.toFixed(2), credited: net.minus(short).toFixed(2), difference: short.toFixed(2),
      file: x.files.find((f) => f.kind === 'statement' && f.date === date)?.name,
    };
  });
}

function describeFile(f: BankFile): Record<string, unknown> {
  const sha256 = createHash('sha256').update(f.content).digest('hex');
  if (f.kind === 'statement') {
    const s = f.statement!;
    return { name: f.name, kind: f.kind, format: f.format, date: f.date, account: s.accountNumber, statementNumber: s.statementNumber,
      entries: s.entries.length, openingBalance: s.openingBalance, closingBalance: s.closingBalance, sha256 };
  }
  const sum = (pick: (l: SettlementLine) => string) => f.lines!.reduce((acc, l) => acc.plus(pick(l)), new Decimal(0)).toFixed(2);
  return { name: f.name, kind: f.kind, format: f.format, acquirer: f.acquirer, channel: f.channel, settlementDate: f.date,
    lines: f.lines!.length, gross: sum((l) => l.gross), mdr: sum((l) => l.mdr), net: sum((l) => l.net), sha256 };
}
