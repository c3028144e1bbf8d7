// The arrears-report bench (issue 6): a region with N occupied stalls (default 50,000) in ten
// markets, assessed by the real assessment job on days spread over four months so every ageing
// bucket has rows, a quarter of the stalls having paid some days; then, timed, in a child process
// whose peak memory is read: the monthly penalty run, and the region's Daftar Tunggakan issued
// as a streamed PDF (and as CSV). Target: the arrears list for 50,000 stalls within 20 s and 512 MB.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex, migrateLatest } from '../db/knex';
import { openMarketAccounts, openRegionAccounts } from '../api/ledger/accounts.service';
import { assessDay } from '../api/assessments/assessment.service';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';

export const ARREARS_DB = 'eretribusi_arrears_bench';
export const AS_OF = '2026-11-20';
/** Days assessed, oldest first: > 90, 61–90, 31–60 and 1–30 days before AS_OF. */
const DAYS = [
  '2026-07-20',
  '2026-08-05',
  '2026-08-25',
  '2026-09-10',
  '2026-10-01',
  '2026-10-15',
  '2026-11-02',
  '2026-11-12',
  '2026-11-19',
];
const MARKETS = 10;

export interface ArrearsBenchResult {
  stalls: number;
  assessments: number;
  penaltyMs: number;
  penaltyCharges: number;
  /** an INSERT ... SELECT of the same charges into a table of the same shape and indexes */
  penaltyFloorMs: number;
  pdfMs: number;
  pdfPages: number;
  pdfMb: number;
  csvMs: number;
  rows: number;
  peakRssMb: number;
}

type Log = (line: string) => void;

export async function arrearsBench(
  adminUrl: string,
  dbUrl: string,
  stalls: number,
  log: Log,
): Promise<ArrearsBenchResult> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${ARREARS_DB} with (force)`);
  await admin.query(`create database ${ARREARS_DB}`);
  await admin.end();
  const knex = createKnex(dbUrl, 4);
  const dir = mkdtempSync(path.join(tmpdir(), 'eret-arrears-bench-'));
  try {
    await migrateLatest(knex);
    let t = Date.now();
    const regionId = await fixture(knex, dbUrl, stalls);
    const assessments = Number((await knex('assessments').count<{ count: string }[]>('* as count'))[0].count);
    log(
      `setup    ${stalls.toLocaleString('en')} stalls in ${MARKETS} markets, ${assessments.toLocaleString('en')} assessments on ${DAYS.length} days, a quarter partly paid [${((Date.now() - t) / 1000).toFixed(1)} s]`,
    );
    await knex.raw('analyze');
    log('running  penalties + arrears PDF + CSV in a child process ...');
    t = Date.now();
    const run = await worker(dbUrl, regionId, dir);
    log(
      `         penalties ${(run.penaltyMs / 1000).toFixed(1)} s (${run.penaltyCharges.toLocaleString('en')} charges; floor ${(run.penaltyFloorMs / 1000).toFixed(1)} s); PDF ${(run.pdfMs / 1000).toFixed(1)} s, ${run.pdfPages} pages, ${run.pdfMb.toFixed(1)} MB; CSV ${(run.csvMs / 1000).toFixed(1)} s, ${run.rows.toLocaleString('en')} rows; peak RSS ${run.peakRssMb.toFixed(0)} MB`,
    );
    return { stalls, assessments, ...run };
  } finally {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fixture(knex: Knex, url: string, n: number): Promise<string> {
  const [region] = await knex('regions')
    .insert({
      code: 'BNA',
      name: 'Kota Bench',
      time_zone: 'Asia/Jakarta',
      treasury_bank: 'BPD Bench',
      treasury_account: '2001001234',
    })
    .returning('id');
  await openRegionAccounts(knex, region.id);
  for (let m = 1; m <= MARKETS; m++) {
    const code = `P${String(m).padStart(2, '0')}`;
    const [market] = await knex('markets')
      .insert({ region_id: region.id, code, name: `Pasar Bench ${m}`, class: 'I' })
      .returning('id');
    await openMarketAccounts(knex, region.id, market.id, code);
  }
  await knex('tariffs').insert({
    region_id: region.id,
    stall_kind: 'kios',
    market_class: 'I',
    basis: 'per_m2_day',
    rate: '350',
    effective_from: '2020-01-01',
  });
  await knex.raw(
    `insert into stalls (region_id, market_id, code, kind, area_m2, status, block)
     select :r, m.id, 'K-' || lpad(g::text, 6, '0'), 'kios', 4 + g % 5, 'active', chr(65 + g % 6)
       from generate_series(1, :n) g
       join (select id, row_number() over (order by code) - 1 as k from markets where region_id = :r) m on m.k = g % ${MARKETS}`,
    { r: region.id, n },
  );
  await knex.raw(
    `insert into traders (region_id, name) select ?, 'Pedagang Bench ' || lpad(g::text, 6, '0') from generate_series(1, ?) g`,
    [region.id, n],
  );
  await knex.raw(
    `with s as (select id, row_number() over (order by code) k from stalls where region_id = :r),
          t as (select id, row_number() over (order by name) k from traders where region_id = :r)
     insert into tenancies (region_id, stall_id, trader_id, effective_from) select :r, s.id, t.id, '2026-01-01' from s join t using (k)`,
    { r: region.id },
  );
  await knex('penalty_rules').insert([
    {
      region_id: region.id,
      effective_from: '2011-01-01',
      monthly_rate: '0.02',
      cap_months: 24,
      legal_basis: 'Perda (UU 28/2009)',
    },
    {
      region_id: region.id,
      effective_from: '2024-01-05',
      monthly_rate: '0.01',
      cap_months: 24,
      legal_basis: 'Perda HKPD (UU 1/2022)',
    },
  ]);
  // What autovacuum would have done after the import: without statistics the assessment's join
  // of 50,000 stalls to their tenancies is planned as if the tables were empty (minutes, not s).
  await knex.raw('analyze');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  const deps = { knex, config, clock: systemClock, logger: createLogger('silent') };
  for (const day of DAYS) await assessDay(deps, 'BNA', day);
  // A quarter of the stalls paid their first two days (same-day allocations), so the report is
  // not every stall with every day: what the ledger would hold after card payments.
  await knex.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `select a.id, a.amount::text as amount, a.business_date::text as date from assessments a join stalls s on s.region_id = a.region_id and s.id = a.stall_id
        where a.region_id = ? and a.business_date in (?, ?) and right(s.code, 1) in ('0', '4', '8') order by a.business_date`,
      [region.id, DAYS[0], DAYS[1]],
    );
    for (const date of [DAYS[0], DAYS[1]]) {
      const mine = rows.filter((r: { date: string }) => r.date === date);
      if (mine.length === 0) continue;
      const entry = (
        await trx.raw(
          `insert into journal_entries (region_id, kind, business_date, memo) values (?, 'adjustment', ?, 'bench: paid days') returning id`,
          [region.id, date],
        )
      ).rows[0].id;
      await trx.raw(
        `insert into journal_lines (region_id, entry_id, account_id, debit, credit, stall_id, trader_id)
         select a.region_id, cast(:e as uuid), ledger_account(a.region_id, 'treasury_bank'), a.amount, 0, null, null from assessments a where a.id = any(:ids::uuid[])
         union all
         select a.region_id, cast(:e as uuid), ledger_account(a.region_id, 'stall_receivable', a.market_id), 0, a.amount, a.stall_id, a.trader_id from assessments a where a.id = any(:ids::uuid[])`,
        { e: entry, ids: mine.map((r: { id: string }) => r.id) },
      );
      await trx.raw(
        `insert into allocations (region_id, assessment_id, journal_entry_id, amount) select region_id, id, cast(:e as uuid), amount from assessments where id = any(:ids::uuid[])`,
        { e: entry, ids: mine.map((r: { id: string }) => r.id) },
      );
      await trx.raw(`update assessments set open_amount = 0 where id = any(?::uuid[])`, [
        mine.map((r: { id: string }) => r.id),
      ]);
    }
  });
  return region.id;
}

async function worker(
  url: string,
  regionId: string,
  dir: string,
): Promise<Omit<ArrearsBenchResult, 'stalls' | 'assessments'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'arrears-worker.ts')], {
    env: { ...process.env, BENCH_DB_URL: url, BENCH_REGION: regionId, BENCH_AS_OF: AS_OF, BENCH_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`arrears worker exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}
