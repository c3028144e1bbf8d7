// A whole market day against a running API: setup as an officer, collectors walking with their
// terminals, traders paying (or not), the acquirers and the treasury bank keeping their own books
// and writing their files, and a manifest of every fault injected. runSim is what the CLI and
// the tests call; it talks to the system only over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from './http';
import { resolveOptions, type ResolvedOptions, type SimOptions } from './options';
import { emptyStats, Limiter, startProgress, type DayContext } from './day';
import { setUpDay, type DaySetup } from './setup/day-setup';
import { walkTerminal } from './collector/terminal';
import { deliver } from './collector/qris-flow';
import { CardAcquirer } from './banks/card-acquirer';
import { QrisAcquirer } from './banks/qris-acquirer';
import { SnapQrisAcquirer } from './banks/snap/snap-acquirer';
import { planSnapFaults } from './banks/faults';
import { closeSnapBanks } from './setup/snap-setup';
import { closeRegionDay } from './banks/end-of-day';
import { writeRegionFiles } from './inbox';
import { int, streamFor } from './rng';
import { summarise, type SimResult } from './summary';

export type { SimOptions, SimResult };

/** How many delayed QRIS notifications the bank sends at once in the evening. */
const EVENING_CONCURRENCY = 16;
/** How many terminals sync their morning list at once. */
const MORNING_SYNCS = 4;

export async function runSim(options: SimOptions): Promise<SimResult> {
  const opts = resolveOptions(options);
  const api = new ApiClient(opts.api);
  const started = Date.now();
  try {
    const setup = await setUpDay(api, opts);
    try {
      const result = await runDay(api, opts, setup, started);
      await opts.afterDay?.();
      return result;
    } finally {
      await closeSnapBanks(setup.snapBanks);
    }
  } finally {
    api.close();
  }
}

async function runDay(api: ApiClient, opts: ResolvedOptions, setup: DaySetup, started: number): Promise<SimResult> {
  const ctx = dayContext(api, opts, setup);
  const walkStarted = Date.now();
  try {
    await Promise.all(setup.terminals.map((t) => walkTerminal(ctx, t)));
  } finally {
    ctx.progress.stop();
    // Every journal was uploaded (or lost on purpose) by now; the day's folder goes with them.
    rmSync(ctx.journalDir, { recursive: true, force: true });
  }
  await eveningNotifications(ctx);
  const walkMs = Date.now() - walkStarted;
  const written = setup.regions.map((region) => {
    const { files, manifest } = closeRegionDay(opts, {
      region,
      terminals: setup.terminals.filter((t) => t.region.code === region.code),
      card: ctx.cardAcquirers.get(region.code)!,
      qris: ctx.qrisAcquirers.get(region.code),
      ledger: ctx.ledger.filter((l) => l.region === region.code),
      lost: ctx.lost.filter((l) => l.region === region.code),
      snapFaults: ctx.snap?.faults.filter((f) => f.region === region.code),
    });
    return { manifest, paths: writeRegionFiles(opts.inbox, region.code, opts.date, files, manifest) };
  });
  return summarise({ opts, setup, ctx, written, walkMs, elapsedMs: Date.now() - started, requests: api.requests });
}

function dayContext(api: ApiClient, opts: ResolvedOptions, setup: DaySetup): DayContext {
  // Three digits of the run in every RRN, so runs with other seeds on the same day keep apart.
  const rrnTag = String(int(streamFor(opts.seed, 'rrn'), 0, 999)).padStart(3, '0');
  const ledger: DayContext['ledger'] = [];
  const ctx: DayContext = {
    api,
    opts,
    ledger,
    lost: [],
    delayed: [],
    stats: emptyStats(),
    errors: [],
    morningSync: new Limiter(MORNING_SYNCS),
    cardAcquirers: new Map(setup.regions.map((r) => [r.code, new CardAcquirer(r.card, rrnTag)])),
    qrisAcquirers: new Map(
      setup.regions.filter((r) => r.qris).map((r) => [r.code, qrisAcquirerOf(api, setup, r, rrnTag)]),
    ),
    // A folder of its own per run: two runs in one process (the tests) must not share journals.
    journalDir: mkdtempSync(path.join(os.tmpdir(), `e-retribusi-sim-${opts.date}-`)),
    progress: startProgress(opts.progress, setup.routeStalls, () => ledger.length),
    lostQueueBudget: lostQueuePlan(opts.faults['lost-queue'] ?? 0, setup),
    snap: setup.snapBanks.size
      ? { faultBudget: planSnapFaults(opts.faults, setup.regions, setup.terminals), faults: [] }
      : undefined,
  };
  return ctx;
}

function qrisAcquirerOf(api: ApiClient, setup: DaySetup, r: DaySetup['regions'][number], rrnTag: string) {
  const bank = setup.snapBanks.get(r.code);
  if (!bank) return new QrisAcquirer(r.qris!, api, rrnTag);
  return new SnapQrisAcquirer(r.qris!, api, rrnTag, bank.server, bank.keys, bank.agreement);
}

/** Lost-queue faults go round the region's terminals in id order, the same way every run. */
function lostQueuePlan(perRegion: number, setup: DaySetup): Map<string, number> {
  const budget = new Map<string, number>();
  for (const r of setup.regions) {
    const mine = setup.terminals.filter((t) => t.region.code === r.code);
    for (let k = 0; k < perRegion && mine.length > 0; k++) {
      const id = mine[k % mine.length].id;
      budget.set(id, (budget.get(id) ?? 0) + 1);
    }
  }
  return budget;
}

/** The notifications the QRIS acquirer held back all day go out in the evening. */
async function eveningNotifications(ctx: DayContext): Promise<void> {
  const queue = [...ctx.delayed].sort((a, b) => a.region.localeCompare(b.region) || a.txn.rrn.localeCompare(b.txn.rrn));
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await deliver(ctx, p);
  };
  await Promise.all(Array.from({ length: EVENING_CONCURRENCY }, worker));
}
