// What one card payment writes: rows per table, index entries per index and WAL bytes by relation
// (pg_walinspect over the LSN range of a run, after a checkpoint, so the full-page images a
// payment causes are counted apart). A measuring tool, run by hand on its own throwaway cluster:
//   npx tsx bench/payment-writes.ts [--payments N] [--concurrency C]
//       [--path single|sql-group|grouped] [--group G] [--pg-stats] [--explain]
// `single` calls ledger_post_card_payment once per payment on C connections; `sql-group` calls
// ledger_post_card_payments with G payments of one terminal per call; `grouped` posts through the
// API's service (recordCardPayment) with the group window on. --pg-stats prints the costliest
// statements, --explain the plans of one more call (auto_explain).
import { parseArgs } from 'node:util';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { createKnex, migrateLatest } from '../db/knex';
import { startBenchCluster, BENCH_DB } from './cluster';
import { createFixture } from './fixture';
import { cardBody } from './card-load';
import { connectAll } from './baseline';
import { canonicalJson, sha256Hex } from '../api/core/canonical';
import { newReceiptCode } from '../api/receipts/receipt-code';
import { recordCardPayment } from '../api/payments/payments.service';
import type { Deps } from '../api/core/deps';
import { PG_STATS_SETTINGS, reportPgStats, resetPgStats } from './pg-stats';

async function main() {
  const { values } = parseArgs({
    options: {
      payments: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '1' },
      path: { type: 'string', default: 'single' },
      group: { type: 'string', default: '16' },
      'pg-stats': { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: path.join(os.tmpdir(), 'eret-payment-writes') },
    },
  });
  const payments = Number(values.payments);
  const concurrency = Number(values.concurrency);
  const mode = values.path as 'single' | 'grouped' | 'sql-group';
  const groupSize = Number(values.group);
  const cluster = await startBenchCluster(
    values['data-dir']!,
    concurrency * 2 + 10,
    values['pg-stats'] ? PG_STATS_SETTINGS : {},
  );
  const url = cluster.url(BENCH_DB);
  const knex = createKnex(url, concurrency + 2);
  try {
    await migrateLatest(knex);
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(48),
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      CARD_GROUP_WINDOW_MS: mode === 'grouped' ? '3' : '0',
    });
    const deps: Deps = { knex, config, clock: systemClock, logger: createLogger('silent') };
    const fixture = await createFixture(deps, { terminals: concurrency, stallsPerTerminal: 50, markets: 4, days: 14 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    admin.on('error', () => undefined);
    await admin.query('create extension if not exists pg_walinspect');
    let clients: pg.Client[] = [];

    const paramsOf = (loop: number, seq: number, tag: string) => {
      const t = fixture.terminals[loop];
      const body = cardBody(t, seq, tag);
      return {
        regionId: fixture.regionId,
        terminalId: t.id,
        clientTxnId: body.clientTxnId,
        requestHash: sha256Hex(canonicalJson(body)),
        stallId: body.stallId,
        amount: body.amount,
        paidAt: new Date(body.paidAt).toISOString(),
        ...body.card,
        receiptCode: newReceiptCode(),
        verifyBaseUrl: 'http://127.0.0.1',
      };
    };
    const pay = async (loop: number, seq: number, tag: string) => {
      const t = fixture.terminals[loop];
      const body = cardBody(t, seq, tag);
      if (mode === 'sql-group') {
        // groupSize payments of this loop's terminal in one call (seq .. seq + groupSize - 1)
        const items = Array.from({ length: groupSize }, (_, k) => paramsOf(loop, seq * groupSize + k, tag));
        const { rows } = await clients[loop].query('select ledger_post_card_payments($1::jsonb) as r', [
          JSON.stringify({ regionId: fixture.regionId, waitForLocks: true, items }),
        ]);
        const bad = (rows[0].r as { replayed?: boolean }[]).filter((r) => r.replayed !== false);
        if (bad.length) throw new Error(`not recorded: ${JSON.stringify(bad[0])}`);
        return;
      }
      if (mode === 'grouped') {
        const principal = { role: 'terminal', sub: t.id, terminalId: t.id, regionId: fixture.regionId } as const;
        const r = await recordCardPayment(deps, principal, body);
        if (r.status !== 201) throw new Error(`not recorded: ${JSON.stringify(r.body)}`);
        return;
      }
      const params = {
        regionId: fixture.regionId,
        terminalId: t.id,
        clientTxnId: body.clientTxnId,
        requestHash: sha256Hex(canonicalJson(body)),
        stallId: body.stallId,
        amount: body.amount,
        paidAt: new Date(body.paidAt).toISOString(),
        ...body.card,
        receiptCode: newReceiptCode(),
        verifyBaseUrl: 'http://127.0.0.1',
      };
      const { rows } = await clients[loop].query('select ledger_post_card_payment($1::jsonb) as r', [
        JSON.stringify(params),
      ]);
      if (rows[0].r.replayed !== false) throw new Error('replayed');
    };
    // Each run on connections of its own, closed at its end: a backend reports its row counts
    // when it exits.
    const run = async (payments: number, tag: string) => {
      clients = await connectAll(url, concurrency);
      const n = mode === 'sql-group' ? Math.ceil(payments / groupSize) : payments;
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, loop) => {
          for (let seq = 0; next < n; seq++) {
            next++;
            await pay(loop, seq, tag);
          }
        }),
      );
      await Promise.all(clients.map((c) => c.end()));
    };

    // Warm the caches and the pages, then a checkpoint: the measured run pays the full-page
    // images a payment causes after a checkpoint, as production does every checkpoint_timeout.
    await run(Math.min(500, payments), 'W');
    // Statistics, as autovacuum keeps them on a live database (plans made on an empty table scan it).
    await admin.query('analyze');
    await admin.query('checkpoint');
    if (values['pg-stats']) await resetPgStats(url);
    const stats0 = await tableStats(admin);
    const lsn0 = (await admin.query('select pg_current_wal_lsn() as l')).rows[0].l;
    const t0 = Date.now();
    await run(payments, 'M');
    const ms = Date.now() - t0;
    const lsn1 = (await admin.query('select pg_current_wal_lsn() as l')).rows[0].l;
    const stats1 = await tableStats(admin);

    const total = Number((await admin.query('select pg_wal_lsn_diff($2, $1)::float8 as b', [lsn0, lsn1])).rows[0].b);
    console.log(
      `payment-writes: ${payments} payments, concurrency ${concurrency}, path ${mode}: ${(payments / (ms / 1000)).toFixed(0)}/s; WAL ${(total / payments).toFixed(0)} bytes per payment`,
    );
    const rm = await admin.query(
      `select "resource_manager/record_type" as resource_manager, count::bigint as n, combined_size::bigint as bytes,
              fpi_size::bigint as fpi
         from pg_get_wal_stats($1, $2, true) where count > 0 order by 3 desc`,
      [lsn0, lsn1],
    );
    console.log('by resource manager (records, bytes, of which full-page images, per payment):');
    for (const r of rm.rows)
      console.log(
        `  ${String(r.resource_manager).padEnd(28)} ${(r.n / payments).toFixed(2).padStart(7)} rec ${(r.bytes / payments).toFixed(0).padStart(6)} B  fpi ${(r.fpi / payments).toFixed(0).padStart(6)} B`,
      );
    const rel = await admin.query(
      `select coalesce(c.relname, b.relfilenode::text) as rel, c.relkind, count(distinct b.start_lsn)::bigint as records,
              sum(b.block_data_length)::bigint as data, sum(b.block_fpi_length)::bigint as fpi
         from pg_get_wal_block_info($1, $2, false) b left join pg_class c on c.relfilenode = b.relfilenode
        group by 1, 2 order by sum(b.block_data_length + b.block_fpi_length) desc`,
      [lsn0, lsn1],
    );
    console.log('by relation (records, block data bytes, full-page image bytes, per payment):');
    for (const r of rel.rows)
      console.log(
        `  ${String(r.rel).padEnd(44)} ${String(r.relkind ?? '?')} ${(r.records / payments).toFixed(2).padStart(6)} rec ${(r.data / payments).toFixed(0).padStart(6)} B  fpi ${(r.fpi / payments).toFixed(0).padStart(6)} B`,
      );
    console.log('rows per payment (inserted, updated, of which HOT):');
    for (const [name, s1] of Object.entries(stats1)) {
      const s0 = stats0[name] ?? { ins: 0, upd: 0, hot: 0 };
      const ins = s1.ins - s0.ins,
        upd = s1.upd - s0.upd,
        hot = s1.hot - s0.hot;
      if (ins + upd === 0) continue;
      console.log(
        `  ${name.padEnd(24)} +${(ins / payments).toFixed(2)}  ~${(upd / payments).toFixed(2)} (hot ${(hot / payments).toFixed(2)})`,
      );
    }
    if (values['pg-stats']) await reportPgStats(url, payments, (l) => console.log(l), 30);
    if (values.explain) {
      // One more call, its nested statements' plans sent back as notices (auto_explain).
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      c.on('notice', (n) => console.log(n.message));
      await c.query(
        `load 'auto_explain'; set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
         set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice; set auto_explain.log_buffers = on`,
      );
      clients = [c];
      await pay(0, 999_999, 'E');
      await c.end();
    }
    await admin.end();
  } catch (err) {
    console.error(err);
  } finally {
    await knex.destroy();
    await cluster.cluster.stop();
  }
}

async function tableStats(c: pg.Client): Promise<Record<string, { ins: number; upd: number; hot: number }>> {
  // A backend reports its row counts when it exits or, idle, within ten seconds.
  await new Promise((r) => setTimeout(r, 11_000));
  await c.query('select pg_stat_clear_snapshot()');
  const { rows } = await c.query(
    `select relname, n_tup_ins::float8 as ins, n_tup_upd::float8 as upd, n_tup_hot_upd::float8 as hot from pg_stat_user_tables`,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, { ins: r.ins, upd: r.upd, hot: r.hot }]));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
