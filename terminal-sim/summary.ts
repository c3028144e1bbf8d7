// What a run did, as numbers (SimResult, for tests and scripts) and as the text the CLI prints.
import path from 'node:path';
import Decimal from 'decimal.js';
import type { ResolvedOptions } from './options';
import type { DayContext, DayStats } from './day';
import type { DaySetup } from './setup/day-setup';
import type { Manifest, ManifestFault } from './banks/manifest';
import type { Shortfall } from './banks/faults';
import type { Channel } from './banks/types';

export interface ChannelTotal {
  count: number;
  /** Rupiah, two decimals */
  amount: string;
}

export interface SimResult {
  date: string;
  seed: number;
  regions: string[];
  terminals: number;
  /** Payments the API acknowledged, per channel (the ledger's totals for this run) */
  payments: Record<Channel, ChannelTotal>;
  byRegion: Record<string, Record<Channel, ChannelTotal>>;
  stats: DayStats;
  assessed: Record<string, number>;
  provisioned: number;
  faults: Record<string, ManifestFault[]>;
  notInjected: Record<string, Shortfall[]>;
  /** Every file written, manifests included */
  files: string[];
  inbox: string;
  /** Unexpected answers; empty on a clean run */
  errors: string[];
  walkMs: number;
  elapsedMs: number;
  requests: number;
  paymentsPerSecond: number;
  requestsPerSecond: number;
}

interface Inputs {
  opts: ResolvedOptions;
  setup: DaySetup;
  ctx: DayContext;
  written: { manifest: Manifest; paths: string[] }[];
  walkMs: number;
  elapsedMs: number;
  requests: number;
}

function totals(ctx: DayContext, region?: string): Record<Channel, ChannelTotal> {
  const of = (channel: Channel) => {
    const mine = ctx.ledger.filter((l) => l.channel === channel && (!region || l.region === region));
    return { count: mine.length, amount: mine.reduce((acc, l) => acc.plus(l.amount), new Decimal(0)).toFixed(2) };
  };
  return { card: of('card'), qris: of('qris') };
}

export function summarise(x: Inputs): SimResult {
  const regions = x.setup.regions.map((r) => r.code);
  const seconds = Math.max(x.walkMs, 1) / 1000;
  return {
    date: x.opts.date,
    seed: x.opts.seed,
    regions,
    terminals: x.setup.terminals.length,
    payments: totals(x.ctx),
    byRegion: Object.fromEntries(regions.map((r) => [r, totals(x.ctx, r)])),
    stats: x.ctx.stats,
    assessed: x.setup.assessed,
    provisioned: x.setup.provisioned,
    faults: Object.fromEntries(x.written.map((w) => [w.manifest.region, w.manifest.faults])),
    notInjected: Object.fromEntries(x.written.map((w) => [w.manifest.region, w.manifest.notInjected])),
    files: x.written.flatMap((w) => w.paths),
    inbox: x.opts.inbox,
    errors: x.ctx.errors,
    walkMs: x.walkMs,
    elapsedMs: x.elapsedMs,
    requests: x.requests,
    paymentsPerSecond: round1(x.ctx.ledger.length / seconds),
    requestsPerSecond: round1(x.requests / (Math.max(x.elapsedMs, 1) / 1000)),
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Rp 1.234.500 (Indonesian grouping; sen only when there are any). */
export function rupiah(amount: string): string {
  const [whole, sen] = new Decimal(amount).toFixed(2).split('.');
  return `Rp ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${sen === '00' ? '' : `,${sen}`}`;
}

export function formatSummary(r: SimResult): string {
  const s = r.stats;
  const all = r.payments.card.count + r.payments.qris.count;
  const sum = new Decimal(r.payments.card.amount).plus(r.payments.qris.amount).toFixed(2);
  const row = (label: string, t: ChannelTotal, note = '') =>
    `  ${label.padEnd(6)} ${String(t.count).padStart(7)} payments  ${rupiah(t.amount).padStart(16)}${note}`;
  const lines = [
    `market day ${r.date}, seed ${r.seed}: ${r.terminals} terminals in ${r.regions.join(', ')}, ${s.stallsVisited} stalls visited`,
    row(
      'card',
      r.payments.card,
      `   (${s.uploadedPayments} uploaded after ${s.offlineStretches} offline stretches, in ${s.batchUploads} batches)`,
    ),
    row(
      'qris',
      r.payments.qris,
      `   (${s.qrisNotifications} notifications: ${s.qrisDelayed} delayed to the evening, ${s.qrisDuplicated} sent twice)`,
    ),
    ...(s.qrisLostNotifications || s.qrisReusedExternalIds
      ? [
          `         SNAP: ${s.qrisLostNotifications} paid but never notified (for the status query to find), ${s.qrisReusedExternalIds} X-EXTERNAL-IDs reused (a retry, then another body)`,
        ]
      : []),
    row('total', { count: all, amount: sum }),
    `  ${s.declines} cards declined (51), ${s.retries} requests retried after a lost answer, ${s.unpaid} traders paid nothing today`,
    `  ${r.paymentsPerSecond} payments/s over ${(r.walkMs / 1000).toFixed(1)} s of walking; ${r.requests} requests in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.requestsPerSecond}/s)`,
  ];
  for (const region of r.regions) {
    const kinds = r.faults[region].map((f) => f.kind);
    if (kinds.length)
      lines.push(
        `  faults ${region}: ${[...new Set(kinds)].map((k) => `${k} ${kinds.filter((x) => x === k).length}`).join(', ')}`,
      );
    for (const n of r.notInjected[region])
      lines.push(`  WARNING ${region}: ${n.kind} asked ${n.asked}, injected ${n.injected}`);
  }
  const shown = path.relative(process.cwd(), r.inbox);
  lines.push(`files in ${shown.startsWith('..') ? r.inbox : shown || '.'}/:`);
  for (const f of r.files) lines.push(`  ${path.relative(r.inbox, f)}`);
  if (r.errors.length)
    lines.push(`${r.errors.length} unexpected answers:`, ...r.errors.slice(0, 20).map((e) => `  ${e}`));
  return lines.join('\n');
}
