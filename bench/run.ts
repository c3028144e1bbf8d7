// npm run bench: card payments per second over HTTP for N concurrent terminals, against the API
// in its own process on a throwaway embedded Postgres, and in the same run the baseline this
// machine's Postgres sets (N connections committing one-row INSERTs). Target: payments/s at
// least half the baseline. Then the same terminals uploading offline queues (POST
// /payments/batch, --batch-size payments each): payments/s, target at least 3 x the card rate. Exits non-zero only when the bench itself fails (or the ledger it
// leaves behind is wrong), not when the target is missed.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { createKnex, migrateLatest } from '../db/knex';
import { parseOptions, type BenchOptions } from './options';
import { startBenchCluster, type BenchCluster, BENCH_DB } from './cluster';
import { freePort } from '../db/embedded';
import { assessEarlierDays, createFixture } from './fixture';
import { startApiProcess, type ApiProcess } from './api-process';
import { batchUploadOp, cardPaymentOp, terminalToken } from './card-load';
import { baselineInsert } from './baseline';
import { drive, sleep, type PhaseOptions, type PhaseResult, type Outcome } from './driver';
import { snapshot, used, describeCpu, type CpuSnapshot } from './cpu';
import { verifyLedger } from './verify';
import { runBreakdown } from './breakdown';
import { PG_STATS_SETTINGS, resetPgStats, reportPgStats } from './pg-stats';
import { reconcileBench, RECON_DB, type ReconcileBenchResult } from './reconcile';
import { arrearsBench, ARREARS_DB, type ArrearsBenchResult } from './arrears';

const log = (line: string) => console.log(`bench: ${line}`);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const rate = (v: number) => v.toFixed(0);

interface Resources {
  cluster?: BenchCluster;
  knex?: Knex;
  api?: ApiProcess;
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const res: Resources = {};
  const cleanup = async () => {
    await res.api?.stop().catch(() => undefined);
    await res.knex?.destroy().catch(() => undefined);
    await res.cluster?.cluster.stop().catch(() => undefined);
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await bench(o, res);
  } finally {
    await cleanup();
  }
}

async function bench(o: BenchOptions, res: Resources): Promise<number> {
  const n = o.terminals;
  // Every API worker may end up holding every connection; the baseline opens N more.
  res.cluster = await startBenchCluster(o.dataDir, n * o.workers + n + 10, o.pgStats ? PG_STATS_SETTINGS : {});
  const url = res.cluster.url(BENCH_DB);
  const knex = (res.knex = createKnex(url, 4));
  await migrateLatest(knex);
  await describeMachine(knex);

  let failed = false;
  if (!o.only || o.only === 'card') failed = await cardBench(o, res, knex, url);
  if ((!o.only || o.only === 'reconcile') && o.reconcileLines > 0) {
    for (const layout of o.reconcileLayouts) {
      console.log('');
      const r = await reconcileBench(
        res.cluster.url('postgres'),
        res.cluster.url(RECON_DB),
        o.reconcileLines,
        log,
        layout,
      );
      printReconcileSummary(r);
    }
  }
  if ((!o.only || o.only === 'arrears') && o.arrearsStalls > 0) {
    console.log('');
    const r = await arrearsBench(res.cluster.url('postgres'), res.cluster.url(ARREARS_DB), o.arrearsStalls, log);
    printArrearsSummary(r);
  }
  return failed ? 1 : 0;
}

async function cardBench(o: BenchOptions, res: Resources, knex: Knex, url: string): Promise<boolean> {
  const n = o.terminals;
  const jwtSecret = randomBytes(48).toString('base64url');
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: jwtSecret,
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    DATA_DIR: path.resolve(o.dataDir),
  });
  const fixture = await createFixture(
    { knex, config, clock: systemClock, logger: createLogger('silent') },
    {
      terminals: n,
      stallsPerTerminal: o.stallsPerTerminal,
      markets: o.markets,
      days: o.days,
    },
  );
  log(
    `setup    1 region, ${o.markets} markets, ${n} terminals x ${o.stallsPerTerminal} stalls, ${o.days} days assessed (${fixture.assessments} open assessments)`,
  );

  res.api = await startApiProcess({
    databaseUrl: url,
    port: await freePort(),
    workers: o.workers,
    poolMax: n,
    jwtSecret,
    dataDir: path.resolve(o.dataDir),
    profileDir: o.apiProfile,
  });
  log(
    `api      ${o.workers === 1 ? 'single process' : `node cluster, ${o.workers} workers`} (pids ${res.api.pids.join(',')}), knex pool ${n} per process, keep-alive HTTP`,
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: n });
  const tokens = await Promise.all(fixture.terminals.map((t) => terminalToken(agent, res.api!.port, t)));
  const phase = { concurrency: n, warmupS: o.warmupS, seconds: o.seconds };

  const card = await cardPhase(o, res, knex, phase, cardPaymentOp(agent, res.api.port, fixture.terminals, tokens));
  const uploaded = { items: 0 };
  if (o.batchSize > 0 && o.batchDays > 0) {
    const older = await assessEarlierDays(
      { knex, config, clock: systemClock, logger: createLogger('silent') },
      fixture.regionCode,
      o.days,
      o.batchDays,
    );
    log(`setup    ${o.batchDays} older days assessed for the batch upload (${older} more open assessments)`);
  }
  const batch =
    o.batchSize > 0
      ? await batchPhase(
          o,
          res,
          knex,
          phase,
          batchUploadOp(agent, res.api.port, fixture.terminals, tokens, o.batchSize, uploaded),
        )
      : undefined;
  const verified = await verifyLedger(knex, card.result.okTotal + uploaded.items);
  log(`verify   ${verified.line}`);
  const base = await baselinePhase(res, knex, url, phase);
  if (o.breakdown)
    await runBreakdown({
      url,
      fixture,
      agent,
      port: res.api.port,
      jwtSecret,
      phase,
      cpuWindow: () => cpuWindow(res),
      log,
    });
  agent.destroy();

  printSummary(o, card.result, base.result, batch?.result);
  const others = Math.max(card.cpu.othersShare, base.cpu.othersShare, batch?.cpu.othersShare ?? 0);
  if (others > 0.1)
    log(
      `WARNING: other processes used up to ${(others * 100).toFixed(0)}% of the machine during a measured window; these figures are low and the ratio is skewed`,
    );
  await res.api.stop();
  res.api = undefined;
  if (!verified.ok) {
    console.error('bench: FAILED: the ledger after the run is not what the responses said (see verify above)');
    return true;
  }
  if (card.result.okTotal === 0) {
    console.error('bench: FAILED: no card payment was recorded');
    return true;
  }
  if (batch && batch.result.okTotal === 0) {
    console.error('bench: FAILED: no offline upload was recorded whole');
    return true;
  }
  return false;
}

function printArrearsSummary(r: ArrearsBenchResult): void {
  const s = (v: number) => (v / 1000).toFixed(1);
  log(
    `arrears  ${r.stalls.toLocaleString('en')} stalls, ${r.assessments.toLocaleString('en')} assessments: Daftar Tunggakan PDF ${s(r.pdfMs)} s (${r.pdfPages} pages, ${r.rows.toLocaleString('en')} rows), CSV ${s(r.csvMs)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB (target: <= 20 s and <= 512 MB for 50,000 stalls); penalty run ${s(r.penaltyMs)} s for ${r.penaltyCharges.toLocaleString('en')} charges, floor (INSERT ... SELECT of the same rows) ${s(r.penaltyFloorMs)} s, ratio ${(r.penaltyMs / Math.max(1, r.penaltyFloorMs)).toFixed(1)}x`,
  );
}

function printReconcileSummary(r: ReconcileBenchResult): void {
  const s = (v: number) => (v / 1000).toFixed(1);
  const ratio = r.totalMs / r.floorMs;
  console.log('');
  log(
    `reconcile [${r.layout === 'real' ? "BNI's real layout, matched by TID + date + approval code + amount" : 'RRN layout, matched by RRN'}]`,
  );
  log(
    `reconcile ${r.lines.toLocaleString('en')} lines vs ${r.lines.toLocaleString('en')} payments: import ${s(r.importMs)} s + reconcile ${s(r.reconcileMs)} s = ${s(r.totalMs)} s (target <= 60 s: ${r.totalMs <= 60_000 ? 'met' : 'NOT met'})`,
  );
  log(
    `peak memory ${r.peakRssMb.toFixed(0)} MB RSS of the importing process (target <= 1024 MB: ${r.peakRssMb <= 1024 ? 'met' : 'NOT met'})`,
  );
  log(
    `floor: COPY ${s(r.floorCopyMs)} s + join ${s(r.floorJoinMs)} s = ${s(r.floorMs)} s; ratio ${ratio.toFixed(1)} x (target <= 3: ${ratio <= 3 ? 'met' : 'NOT met'})`,
  );
  log(`day ${r.status}: ${r.matched.toLocaleString('en')} matched, ${r.open} open exceptions`);
}

async function describeMachine(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `select version() as v, current_setting('fsync') as fs, current_setting('wal_sync_method') as wsm,
            current_setting('synchronous_commit') as sc, current_setting('shared_buffers') as sb`,
  );
  log(
    `machine  ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  log(`postgres ${rows[0].v}`);
  log(`         fsync ${rows[0].fs} (${rows[0].wsm}), synchronous_commit ${rows[0].sc}, shared_buffers ${rows[0].sb}`);
}

async function cardPhase(
  o: BenchOptions,
  res: Resources,
  knex: Knex,
  phase: PhaseOptions,
  op: (loop: number, seq: number) => Promise<Outcome>,
) {
  if (o.pgStats) await resetPgStats(res.cluster!.url(BENCH_DB));
  log(
    `running  card payments: ${o.warmupS} s warmup${o.analyze ? ', ANALYZE' : ' (no ANALYZE)'}, ${o.seconds} s measured ...`,
  );
  // A live database has statistics (autovacuum analyzes within a minute of the first payments).
  // This one starts empty, and plans that sessions cached while `payments` was empty may scan
  // the whole table on every payment; --no-analyze shows that.
  // The sessions replan after it; a second more of load lets that happen before the window.
  const analyze = o.analyze
    ? async () => {
        await knex.raw('analyze');
        await sleep(1000);
      }
    : undefined;
  const window = cpuWindow(res);
  const wal0 = await walBytes(knex);
  const result = await drive({ ...phase, ...window.hooks, afterWarmup: analyze }, op);
  const wal = (await walBytes(knex)) - wal0;
  const cpu = window.use();
  log(
    `         ${describeCpu(cpu, result.ok + result.errors)}; WAL ${kb(wal, result.okTotal + result.errorsTotal)}/op`,
  );
  log(`         per second: ${result.timeline.join(' ')}`);
  if (result.firstError) log(`first error: ${result.firstError}`);
  if (o.pgStats) await reportPgStats(res.cluster!.url(BENCH_DB), result.okTotal + result.errorsTotal, log);
  return { result, cpu };
}

/** Offline uploads, one at a time per terminal: figures per payment (an upload holds batchSize). */
async function batchPhase(
  o: BenchOptions,
  res: Resources,
  knex: Knex,
  phase: PhaseOptions,
  op: (loop: number, seq: number) => Promise<Outcome>,
) {
  log(
    `running  batch upload: ${o.batchSize} payments per upload, ${phase.warmupS} s warmup + ${phase.seconds} s measured ...`,
  );
  const window = cpuWindow(res);
  const wal0 = await walBytes(knex);
  const result = await drive({ ...phase, ...window.hooks }, op);
  const wal = (await walBytes(knex)) - wal0;
  const cpu = window.use();
  const n = o.batchSize;
  log(
    `         ${describeCpu(cpu, (result.ok + result.errors) * n)} (per payment); WAL ${kb(wal, (result.okTotal + result.errorsTotal) * n)}/payment`,
  );
  log(`         uploads per second: ${result.timeline.join(' ')}`);
  if (result.firstError) log(`first error: ${result.firstError}`);
  return { result, cpu };
}

async function baselinePhase(res: Resources, knex: Knex, url: string, phase: PhaseOptions) {
  log(`running  baseline insert: ${phase.warmupS} s warmup + ${phase.seconds} s measured ...`);
  const window = cpuWindow(res);
  const wal0 = await walBytes(knex);
  const result = await baselineInsert(url, { ...phase, ...window.hooks });
  const wal = (await walBytes(knex)) - wal0;
  const cpu = window.use();
  log(`         ${describeCpu(cpu, result.ok)}; WAL ${kb(wal, result.okTotal)}/op`);
  log(`         per second: ${result.timeline.join(' ')}`);
  return { result, cpu };
}

/** WAL position in bytes: the difference over a phase is what its operations wrote. */
async function walBytes(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 as b`);
  return rows[0].b;
}

const kb = (bytes: number, ops: number) => (ops > 0 ? `${(bytes / ops / 1024).toFixed(2)} kB` : '-');

/** CPU of the load generator, the API process(es) and Postgres over one measured window. */
function cpuWindow(res: Resources) {
  let a: CpuSnapshot | undefined, b: CpuSnapshot | undefined;
  const take = () => snapshot(res.api?.pids ?? [], res.cluster?.postmasterPid());
  return {
    hooks: { onWindowStart: () => void (a = take()), onWindowEnd: () => void (b = take()) },
    use: () => used(a!, b!),
  };
}

function printSummary(o: BenchOptions, card: PhaseResult, base: PhaseResult, batch?: PhaseResult): void {
  const n = o.terminals;
  const ratio = card.perSecond / base.perSecond;
  const workers = o.workers === 1 ? 'api 1 process' : `api ${o.workers} workers`;
  console.log('');
  log(
    `card payments  N=${n}  ${rate(card.perSecond)}/s  p50 ${ms(card.p50Ms)} ms  p99 ${ms(card.p99Ms)} ms  errors ${card.errorsTotal}  (${workers})`,
  );
  log(`baseline insert N=${n}  ${rate(base.perSecond)}/s  p50 ${ms(base.p50Ms)} ms  p99 ${ms(base.p99Ms)} ms`);
  log(
    `ratio ${rate(card.perSecond)}/${rate(base.perSecond)} = ${ratio.toFixed(2)} (target >= 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
  );
  if (!batch) return;
  const perSecond = batch.perSecond * o.batchSize;
  const batchRatio = perSecond / card.perSecond;
  log(
    `batch upload   N=${n} x ${o.batchSize}  ${rate(perSecond)} payments/s (${batch.perSecond.toFixed(1)} uploads/s)  p50 ${ms(batch.p50Ms)} ms  p99 ${ms(batch.p99Ms)} ms per upload  errors ${batch.errorsTotal}`,
  );
  log(
    `batch ratio ${rate(perSecond)}/${rate(card.perSecond)} = ${batchRatio.toFixed(2)} x single card payments (target >= 3: ${batchRatio >= 3 ? 'met' : 'NOT met'})`,
  );
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error('bench: FAILED:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
