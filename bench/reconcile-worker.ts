// The timed part of the reconciliation bench, alone in its process so that its peak memory is
// its own: import the settlement file and the statement, then reconcile the day. Prints one JSON
// line for bench/reconcile.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { createKnex } from '../db/knex';
import { importBankFile } from '../api/reconcile/import.service';
import { reconcileDay } from '../api/reconcile/reconcile.service';

async function main(): Promise<void> {
  const url = process.env.BENCH_DB_URL!;
  const regionId = process.env.BENCH_REGION!;
  const knex = createKnex(url, 4);
  // BENCH_SLOW_MS=250: each statement slower than that, on stderr, to see where the time goes.
  const slowMs = Number(process.env.BENCH_SLOW_MS ?? 0);
  if (slowMs > 0) {
    const started = new Map<string, number>();
    knex.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, Date.now()));
    knex.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
      const ms = Date.now() - (started.get(q.__knexQueryUid) ?? Date.now());
      if (ms >= slowMs) console.error(`${ms} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 220)}`);
    });
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  const level = process.env.BENCH_LOG_LEVEL ?? 'silent';
  const deps = { knex, config, clock: systemClock, logger: createLogger(level) };
  try {
    let t = Date.now();
    const settlement = process.env.BENCH_SETTLEMENT!;
    const statement = process.env.BENCH_STATEMENT!;
    await importBankFile(deps, {
      regionId,
      kind: 'settlement',
      acquirerCode: 'bni-bench',
      content: readFileSync(settlement),
      name: path.basename(settlement),
      source: 'inbox',
    });
    await importBankFile(deps, {
      regionId,
      kind: 'statement',
      content: readFileSync(statement),
      name: path.basename(statement),
      source: 'inbox',
    });
    const importMs = Date.now() - t;
    t = Date.now();
    const s = await reconcileDay(deps, regionId, '2026-11-17');
    const reconcileMs = Date.now() - t;
    // maxRSS is in kilobytes: the most this process ever held in memory.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      JSON.stringify({
        importMs,
        reconcileMs,
        peakRssMb,
        status: s.status,
        matched: s.matched.count,
        open: s.exceptions.open,
      }),
    );
  } finally {
    await knex.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
