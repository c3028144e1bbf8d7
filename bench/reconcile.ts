// The reconciliation bench (issues 5 and 12): a region with N card payments of one business day
// in the ledger, the acquirer's BNI settlement file of the same N lines and the treasury's MT940
// that credits its batches; then, timed, in a child process whose peak memory is read: import both
// files and reconcile the day. In the same run the floor: COPY of the same lines into a table
// plus one SQL join against the payments on the layout's key. Targets: <= 60 s, <= 1 GB, <= 3 x
// the floor.
//
// Two layouts: 'real' is BNI's own (23 columns, STOP last, no RRN, DISC AMOUNT = AMOUNT x RATE
// half up to the rupiah): a line is matched by acquirer + TID + date + approval code + amount,
// the approval codes 6 characters, unique per TID and day, some with a letter first, many with
// leading zeros. 'rrn' is the same file with an RRN column appended, matched by RRN.
//
// The payments are generated set-based in SQL (the posting path has its own bench above); they
// are the rows the API would have written, with one journal entry carrying their total.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createKnex, migrateLatest } from '../db/knex';
import { openAcquirerAccounts, openMarketAccounts, openRegionAccounts } from '../api/ledger/accounts.service';
import { writeMt940 } from '../terminal-sim/banks/files/mt940';
import type { Statement } from '../terminal-sim/banks/types';

export const RECON_DB = 'eretribusi_recon_bench';
const DATE = '2026-11-17';
const SETTLE = '2026-11-18';
const TIDS = 200;
const MDR_RATE = '0.0015';

export type ReconcileLayout = 'real' | 'rrn';

/** The approval code of the k-th payment of a TID on the day: unique per TID and day, one in seven
 * starting with a letter (R01234), the others digits with their leading zeros (000042). The same
 * rule in SQL below. */
const approvalCode = (k: number) =>
  k % 7 === 0 ? String.fromCharCode(65 + (k % 26)) + String(k % 100000).padStart(5, '0') : String(k).padStart(6, '0');
const APPROVAL_SQL = `case when kk.i % 7 = 0 then chr(65 + (kk.i % 26)::int) || lpad((kk.i % 100000)::text, 5, '0') else lpad(kk.i::text, 6, '0') end`;

export interface ReconcileBenchResult {
  layout: ReconcileLayout;
  lines: number;
  importMs: number;
  reconcileMs: number;
  totalMs: number;
  peakRssMb: number;
  floorCopyMs: number;
  floorJoinMs: number;
  floorMs: number;
  status: string;
  matched: number;
  open: number;
}

type Log = (line: string) => void;

export async function reconcileBench(
  adminUrl: string,
  dbUrl: string,
  lines: number,
  log: Log,
  layout: ReconcileLayout = 'real',
): Promise<ReconcileBenchResult> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${RECON_DB} with (force)`);
  await admin.query(`create database ${RECON_DB}`);
  await admin.end();
  const knex = createKnex(dbUrl, 4);
  const dir = mkdtempSync(path.join(tmpdir(), 'eret-recon-bench-'));
  try {
    await migrateLatest(knex);
    let t = Date.now();
    const world = await fixture(knex, lines);
    log(
      `setup    ${lines.toLocaleString('en')} card payments of ${DATE} generated in SQL [${((Date.now() - t) / 1000).toFixed(1)} s]`,
    );
    t = Date.now();
    const files = await writeFiles(dir, world, lines, layout);
    log(
      `files    BNI settlement (${layout === 'real' ? "BNI's real layout, no RRN" : 'with an RRN column'}) ${(statSync(files.settlement).size / 2 ** 20).toFixed(0)} MB (${lines.toLocaleString('en')} lines, ${TIDS} batches), MT940 ${TIDS} credits [${((Date.now() - t) / 1000).toFixed(1)} s]`,
    );
    await knex.raw('checkpoint');
    await knex.raw('analyze');

    log('running  import + reconcile in a child process ...');
    const run = await worker(dbUrl, world.regionId, files);
    log(
      `         import ${(run.importMs / 1000).toFixed(1)} s, reconcile ${(run.reconcileMs / 1000).toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB; day ${run.status}, ${run.matched.toLocaleString('en')} matched, ${run.open} open exceptions`,
    );

    log('running  floor: COPY of the same lines + one join ...');
    const floor = await floorRun(dbUrl, world, files.settlement, layout);
    log(
      `         COPY ${(floor.copyMs / 1000).toFixed(1)} s, join ${(floor.joinMs / 1000).toFixed(1)} s (${floor.joined.toLocaleString('en')} rows joined)`,
    );
    return {
      layout,
      lines,
      importMs: run.importMs,
      reconcileMs: run.reconcileMs,
      totalMs: run.importMs + run.reconcileMs,
      peakRssMb: run.peakRssMb,
      floorCopyMs: floor.copyMs,
      floorJoinMs: floor.joinMs,
      floorMs: floor.copyMs + floor.joinMs,
      status: run.status,
      matched: run.matched,
      open: run.open,
    };
  } finally {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface World {
  regionId: string;
  acquirerId: string;
  acquirerCode: string;
  mid: string;
}

async function fixture(knex: Knex, n: number): Promise<World> {
  const [region] = await knex('regions')
    .insert({
      code: 'BNC',
      name: 'Kota Bench',
      time_zone: 'Asia/Jakarta',
      treasury_bank: 'BPD Bench',
      treasury_account: '2001001234',
    })
    .returning('id');
  await openRegionAccounts(knex, region.id);
  const [market] = await knex('markets')
    .insert({ region_id: region.id, code: 'PB', name: 'Pasar Bench', class: 'I', open_days: [1, 2, 3, 4, 5, 6, 7] })
    .returning('id');
  await openMarketAccounts(knex, region.id, market.id, 'PB');
  // BNI rounds its DISC AMOUNT half up to the whole rupiah, per line.
  const [acq] = await knex('acquirers')
    .insert({
      region_id: region.id,
      code: 'bni-bench',
      name: 'BNI EDC',
      channel: 'card',
      mdr_rate: MDR_RATE,
      mdr_basis: 'per-line',
      mdr_rounding: 'rupiah',
    })
    .returning(['id', 'code']);
  await openAcquirerAccounts(knex, region.id, acq.id, acq.code);
  const mid = '000885337100001';
  await knex.raw(
    `insert into terminals (region_id, id, market_id, acquirer_id, secret_hash, tid, mid)
     select ?, 'B-' || lpad(g::text, 4, '0'), ?, ?, 'x', (71000000 + g)::text, ? from generate_series(1, ?) g`,
    [region.id, market.id, acq.id, mid, TIDS],
  );
  await knex.raw(
    `insert into stalls (region_id, market_id, code, kind, area_m2, status, block)
     select ?, ?, 'S-' || g, 'kios', 6, 'active', 'A' from generate_series(1, 1000) g`,
    [region.id, market.id],
  );
  await knex.raw(`insert into traders (region_id, name) select ?, 'Pedagang ' || g from generate_series(1, 1000) g`, [
    region.id,
  ]);
  await knex.transaction(async (trx) => {
    const entry = (
      await trx.raw(
        `insert into journal_entries (region_id, kind, business_date, memo) values (?, 'payment', ?, 'bench payments') returning id`,
        [region.id, DATE],
      )
    ).rows[0].id;
    // Amounts from Rp 1.000 to Rp 25.500; the sum is what the one entry carries.
    const sum = (await trx.raw(`select sum(1000 + (g % 50) * 500)::text as s from generate_series(1, ?) g`, [n]))
      .rows[0].s;
    await trx.raw(
      `insert into journal_lines (region_id, entry_id, account_id, debit, credit) values
         (:r, :e, ledger_account(:r, 'acquirer_clearing', null, :a), :s, 0), (:r, :e, ledger_account(:r, 'trader_credit'), 0, :s)`,
      { r: region.id, e: entry, a: acq.id, s: sum },
    );
    await trx.raw(
      `with st as (select id, row_number() over (order by code) as k from stalls where region_id = :r),
            tr as (select id, row_number() over (order by name) as k from traders where region_id = :r)
       insert into payments (region_id, market_id, stall_id, trader_id, terminal_id, acquirer_id, channel, amount, paid_at,
         business_date, client_txn_id, request_hash, tid, mid, stan, rrn, approval_code, masked_pan, allocated_amount, credit_amount,
         journal_entry_id, response)
       select :r, :m, st.id, tr.id, 'B-' || lpad((1 + g % ${TIDS})::text, 4, '0'), :a, 'card', 1000 + (g % 50) * 500,
              timestamptz '${DATE} 01:00:00+00' + (g * interval '30 milliseconds'), date '${DATE}', 'bench-' || g, 'h',
              (71000000 + 1 + g % ${TIDS})::text, :mid, lpad((g % 1000000)::text, 6, '0'), lpad(g::text, 12, '0'), ${APPROVAL_SQL},
              '522184******1234', 0, 1000 + (g % 50) * 500, :e, '{}'::jsonb
         from generate_series(1, :n) g
         cross join lateral (select g / ${TIDS} as i) kk
         join st on st.k = 1 + g % 1000 join tr on tr.k = 1 + g % 1000`,
      { r: region.id, m: market.id, a: acq.id, mid, e: entry, n },
    );
  });
  return { regionId: region.id, acquirerId: acq.id, acquirerCode: acq.code, mid };
}

const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The BNI layout the simulator writes (see terminal-sim/banks/files/bni-settlement-csv.ts), streamed. */
async function writeFiles(
  dir: string,
  world: World,
  n: number,
  layout: ReconcileLayout,
): Promise<{ settlement: string; statement: string }> {
  const settlement = path.join(dir, `settlement_${world.acquirerCode}_${SETTLE.replace(/-/g, '')}.csv`);
  const out = createWriteStream(settlement);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const rrn = layout === 'rrn';
  await write(`${BNI_HEADER.join(',')}${rrn ? ',RRN' : ''}\r\n`);
  const nets: Decimal[] = Array.from({ length: TIDS }, () => new Decimal(0));
  const seq = new Array<number>(TIDS).fill(0);
  // Batch by batch (one per TID), as an acquirer writes them.
  const perTid = Array.from({ length: TIDS }, () => [] as number[]);
  for (let g = 1; g <= n; g++) perTid[g % TIDS].push(g);
  let buf = '';
  for (let k = 0; k < TIDS; k++) {
    const batch = `1${SETTLE.slice(2).replace(/-/g, '')}${String(k + 1).padStart(3, '0')}`;
    for (const g of perTid[k]) {
      const gross = 1000 + (g % 50) * 500;
      const mdr = new Decimal(gross).times(MDR_RATE).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
      const net = new Decimal(gross).minus(mdr);
      nets[k] = nets[k].plus(net);
      seq[k] += 1;
      // SEQ numbers the rows of a GB; past 999 it keeps counting, as the key must stay unique.
      buf += `${dmy(SETTLE)},${world.mid},00001,${batch},${String(seq[k]).padStart(3, '0')},M,${dmy(DATE)},${approvalCode(Math.floor(g / TIDS))},522184XXXXXX1234,${gross},${71000000 + 1 + k},,0,0.15,${mdr.toFixed()},0,,0,0,,${net.toFixed()},0000002001001234,RETRIBUSI PASAR BENCH${rrn ? `,${String(g).padStart(12, '0')}` : ''}\r\n`;
      if (buf.length > 1 << 20) {
        await write(buf);
        buf = '';
      }
    }
  }
  await write(`${buf}STOP\r\n`);
  out.end();
  await once(out, 'finish');

  const opening = new Decimal('1000000000.00');
  const entries = nets.map((net, k) => ({
    valueDate: SETTLE,
    bookingDate: SETTLE,
    amount: net.toFixed(2),
    direction: 'credit' as const,
    reference: `1${SETTLE.slice(2).replace(/-/g, '')}${String(k + 1).padStart(3, '0')}`,
    description: `STL BNI EDC ${DATE.replace(/-/g, '')}`,
  }));
  const statement: Statement = {
    bankName: 'BPD BENCH',
    bic: 'PDJGIDJ1',
    accountNumber: '2001001234',
    accountName: 'RKUD KOTA BENCH',
    currency: 'IDR',
    statementNumber: 322,
    date: SETTLE,
    openingBalance: opening.toFixed(2),
    entries,
    closingBalance: nets.reduce((a, b) => a.plus(b), opening).toFixed(2),
    generatedAt: new Date(`${SETTLE}T16:30:00Z`),
  };
  const statementFile = path.join(dir, `statement_2001001234_${SETTLE.replace(/-/g, '')}.mt940`);
  const s = createWriteStream(statementFile);
  s.end(writeMt940(statement));
  await once(s, 'finish');
  return { settlement, statement: statementFile };
}

interface WorkerResult {
  importMs: number;
  reconcileMs: number;
  peakRssMb: number;
  status: string;
  matched: number;
  open: number;
}

function worker(
  dbUrl: string,
  regionId: string,
  files: { settlement: string; statement: string },
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'reconcile-worker.ts')], {
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_DB_URL: dbUrl,
        BENCH_REGION: regionId,
        BENCH_SETTLEMENT: files.settlement,
        BENCH_STATEMENT: files.statement,
        LOG_LEVEL: 'silent',
        BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`reconcile worker exited with ${code}: ${out}`));
      const said = out.trim().split('\n');
      if (process.env.BENCH_LOG_LEVEL) for (const l of said.slice(0, -1)) console.error(l);
      try {
        resolve(JSON.parse(said[said.length - 1]));
      } catch {
        reject(new Error(`reconcile worker said: ${out}`));
      }
    });
  });
}

const BNI_HEADER = [
  'PROC DATE',
  'MID',
  'OB',
  'GB',
  'SEQ',
  'TYPE',
  'TRX DATE',
  'AUTH',
  'CARD NO',
  'AMOUNT',
  'TID',
  'JENIS TRX',
  'PTR',
  'RATE',
  'DISC AMOUNT',
  'AIR FARE',
  'PLAN',
  'SS AMOUNT',
  'SS FEE TYPE',
  'FLAG',
  'NETT AMOUNT',
  'MERCHANT ACCOUNT',
  'MERCHANT NAME',
];

/** COPY the file's lines (not its STOP trailer) into a plain table, then one join against the
 * payments on the layout's key: acquirer + TID + date + approval code + amount, or the RRN. */
async function floorRun(
  dbUrl: string,
  world: World,
  file: string,
  layout: ReconcileLayout,
): Promise<{ copyMs: number; joinMs: number; joined: number }> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const cols = [...BNI_HEADER.map((h) => h.toLowerCase().replace(/ /g, '_')), ...(layout === 'rrn' ? ['rrn'] : [])];
    await c.query(
      `drop table if exists floor_lines; create table floor_lines (${cols.map((x) => `${x} text`).join(', ')})`,
    );
    let t = Date.now();
    const copy = c.query(copyFrom(`copy floor_lines from stdin (format csv, header true)`));
    // Everything but the 6-byte "STOP\r\n" trailer the writer puts last.
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20, end: statSync(file).size - 7 }), copy);
    const copyMs = Date.now() - t;
    t = Date.now();
    const on =
      layout === 'rrn'
        ? 'p.rrn = f.rrn'
        : `p.tid = f.tid and p.approval_code = f.auth and p.amount = f.amount::numeric and to_date(f.trx_date, 'DD/MM/YYYY') = p.business_date`;
    const { rows } = await c.query(
      `select count(*)::int as n, sum(p.amount) as total from floor_lines f
         join payments p on p.region_id = $1 and p.acquirer_id = $2 and p.business_date = $3 and ${on}`,
      [world.regionId, world.acquirerId, DATE],
    );
    return { copyMs, joinMs: Date.now() - t, joined: rows[0].n };
  } finally {
    await c.end();
  }
}
