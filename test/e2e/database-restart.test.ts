// Issue 13: the API survives a database restart. The real API process (node + tsx, the same entry
// point as npm start) runs on its own embedded cluster, so it holds the presence connection of
// db/connect.ts; 32 terminals pay by card without pause; the postmaster is killed with SIGKILL
// and started again on the same data directory. The same API process must answer 503 while the
// database is away (never 500, never die), serve again once it is back, and every payment it
// acknowledged must be recorded exactly once in a balanced ledger.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { startEmbedded, type EmbeddedCluster, freePort } from '../../db/embedded';
import { createKnex, migrateLatest } from '../../db/knex';
import { cardScenario, cardBody, ledgerBalanced } from '../support/scenario';
import { TEST_SECRET } from '../support/app';

const ROOT = path.resolve(__dirname, '../..');
const DATA_DIR = path.join(ROOT, 'data', `test-restart-${process.pid}`);
const PASSWORD = 'test-restart-password';
const DB = 'eretribusi'; // the database db/connect.ts uses on an embedded cluster
const TERMINALS = 32;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pgPort: number;
let apiPort: number;
let cluster: EmbeddedCluster | undefined;
let api: ChildProcess | undefined;
let apiExit: { code: number | null; signal: string | null } | undefined;
const apiOutput: string[] = [];

const postmasterPid = () => Number(readFileSync(path.join(DATA_DIR, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const startCluster = () => startEmbedded({ dataDir: DATA_DIR, port: pgPort, password: PASSWORD });
const dbUrl = () => `postgres://postgres:${PASSWORD}@127.0.0.1:${pgPort}/${DB}`;
const apiTail = () => apiOutput.join('').split('\n').slice(-30).join('\n');

/** Polls until check() is truthy; fails with what the API printed if it died or time ran out. */
async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (apiExit)
      throw new Error(`the API process exited (${JSON.stringify(apiExit)}) while waiting for ${what}:\n${apiTail()}`);
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${apiTail()}`);
    await sleep(100);
  }
}

async function call(
  method: string,
  urlPath: string,
  token?: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the answer's body, read by field
): Promise<{ status: number | 'network'; json?: any; retryAfter?: string | null }> {
  try {
    const res = await fetch(`http://127.0.0.1:${apiPort}${urlPath}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 'network' };
  }
}

/** Starts the real API process (as npm start does) on apiPort; `api` and `apiExit` follow it. */
function startApi(extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(apiPort),
    DATA_DIR,
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_PASSWORD: PASSWORD,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'warn',
    SCHEDULER: 'off',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  apiExit = undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    apiOutput.push(chunk.toString());
    if (apiOutput.length > 400) apiOutput.splice(0, 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (api === child) apiExit = { code, signal };
  });
  api = child;
  return child;
}

/** kill -9 of the API process, on purpose (its exit is not a failure). */
async function killApi(): Promise<void> {
  const child = api;
  api = undefined;
  apiExit = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  rmSync(DATA_DIR, { recursive: true, force: true });
  [pgPort, apiPort] = await Promise.all([freePort(), freePort()]);
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
  await admin.connect();
  await admin.query(`create database ${DB}`);
  await admin.end();
}, 30_000);

afterAll(async () => {
  if (api && !apiExit) {
    api.kill('SIGKILL');
    await new Promise((r) => api!.once('exit', r));
  }
  await cluster?.stop();
  // A postmaster that did not stop (the test failed half-way) must not outlive the run.
  const pidFile = path.join(DATA_DIR, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(postmasterPid(), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(DATA_DIR, { recursive: true, force: true });
}, 30_000);

test('killing the postmaster under 32 concurrent card payments: 503 while it is away, the same API process serves again, every acknowledged payment once', async () => {
  // The world, written before the API boots (so it does not seed the demo data).
  let knex: Knex = createKnex(dbUrl(), 2);
  await migrateLatest(knex);
  const s = await cardScenario(knex);
  await knex.destroy();

  // The real API process, on the embedded-cluster path (DATA_DIR + EMBEDDED_PG_PORT, no
  // DATABASE_URL): it finds the cluster running, so it does not own it, and holds its presence
  // connection open the whole time.
  startApi();
  const apiPid = api!.pid;
  await until('the API to answer /health', 30_000, async () => (await call('GET', '/health')).status === 200);

  // 32 terminals, each paying, and retrying the same payment (same clientTxnId) on 503 or a lost
  // answer, as a terminal does.
  const acked: string[] = [];
  const unexpected: { status: number | 'network'; body: unknown }[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the answer's body, read by field
  let unavailable: { json?: any; retryAfter?: string | null } | undefined;
  let count503 = 0;
  let stopping = false;
  const terminal = async () => {
    let body: ReturnType<typeof cardBody> | undefined;
    for (;;) {
      if (!body) {
        if (stopping || apiExit) return;
        body = cardBody(s, { amount: '1000' });
      }
      const r = await call('POST', '/api/v1/payments/card', s.terminalToken, body);
      if (r.status === 201 || r.status === 200) {
        acked.push(body.clientTxnId);
        body = undefined;
      } else if (r.status === 503) {
        count503 += 1;
        unavailable ??= r;
        await sleep(50);
      } else if (r.status === 'network') {
        if (apiExit) return;
        await sleep(50);
      } else {
        unexpected.push({ status: r.status, body: r.json });
        body = undefined;
      }
    }
  };
  const terminals = Array.from({ length: TERMINALS }, terminal);

  try {
    await until('payments before the kill', 20_000, () => acked.length >= TERMINALS);

    // SIGKILL the postmaster: its backends end every connection with 57P01 ("terminating
    // connection due to unexpected postmaster exit"), the idle presence connection among them.
    process.kill(postmasterPid(), 'SIGKILL');
    await until('payments answered 503', 15_000, () => count503 > 0);
    const health = await until('/health to answer 503', 15_000, async () => {
      const h = await call('GET', '/health');
      return h.status === 503 ? h : undefined;
    });
    expect(health.json.error.code).toBe('database-unavailable');
    expect(unavailable?.json?.error).toMatchObject({ code: 'database-unavailable', message: expect.any(String) });
    expect(Number(unavailable?.retryAfter)).toBeGreaterThan(0);

    // Started again on the same data directory; the killed postmaster's backends may need a
    // moment to exit before it can.
    cluster = await until('the cluster to start again', 20_000, async () => {
      try {
        return await startCluster();
      } catch {
        return undefined;
      }
    });
    const before = acked.length;
    await until('payments after the restart', 20_000, () => acked.length >= before + TERMINALS);
    await until('/health to answer 200 again', 10_000, async () => (await call('GET', '/health')).status === 200);
  } finally {
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(terminals), new Promise((r) => (timer = setTimeout(r, 25_000)))]);
    clearTimeout(timer);
  }

  expect(unexpected).toEqual([]);
  expect(apiExit).toBeUndefined();
  expect(api!.pid).toBe(apiPid);
  expect((await call('GET', '/health')).status).toBe(200);

  knex = createKnex(dbUrl(), 2);
  try {
    // The presence connection came back by itself.
    await until('the presence connection to reconnect', 15_000, async () => {
      const { rows } = await knex.raw(
        `select count(*)::int as n from pg_stat_activity where application_name = 'e-retribusi-presence'`,
      );
      return rows[0].n === 1;
    });
    const { rows } = await knex.raw(
      `select client_txn_id, count(*)::int as n from payments where region_id = ? and client_txn_id = any(?) group by client_txn_id`,
      [s.region.id, acked],
    );
    expect(new Set(acked).size).toBe(acked.length);
    expect(rows.length).toBe(acked.length);
    expect(rows.filter((r: { n: number }) => r.n !== 1)).toEqual([]);
    expect(await ledgerBalanced(knex, s.region.id)).toBe(true);
  } finally {
    await knex.destroy();
  }
}, 60_000);

test('killing the API process (kill -9) under 32 concurrent terminals with grouped posting: every acknowledged payment is recorded exactly once, and the retries of the unanswered ones too', async () => {
  const knex0: Knex = createKnex(dbUrl(), 2);
  const s = await cardScenario(knex0);
  await knex0.destroy();
  await killApi(); // the first test's
  // Grouping on, with a window long enough that groups are in flight when the process dies.
  const grouped = { CARD_GROUP_WINDOW_MS: '5', CARD_GROUP_MAX: '64' };
  startApi(grouped);
  await until('the API to answer /health', 30_000, async () => (await call('GET', '/health')).status === 200);

  // Each terminal keeps its payment (same clientTxnId) until it is answered, and retries it on a
  // lost answer or a refused connection, as a terminal does; it stops only once it holds none.
  const acked = new Map<string, number>();
  const unexpected: { status: number | 'network'; body: unknown }[] = [];
  let lostAnswers = 0;
  let stopping = false;
  const terminal = async () => {
    let body: ReturnType<typeof cardBody> | undefined;
    for (;;) {
      if (!body) {
        if (stopping) return;
        body = cardBody(s, { amount: '1000' });
      }
      const r = await call('POST', '/api/v1/payments/card', s.terminalToken, body);
      if (r.status === 201 || r.status === 200) {
        acked.set(body.clientTxnId, r.status);
        body = undefined;
      } else if (r.status === 'network' || r.status === 503) {
        lostAnswers += 1;
        await sleep(50);
      } else {
        unexpected.push({ status: r.status, body: r.json });
        body = undefined;
      }
    }
  };
  const terminals = Array.from({ length: TERMINALS }, terminal);
  try {
    await until('payments before the kill', 20_000, () => acked.size >= 3 * TERMINALS);
    await killApi();
    await until('answers lost while the API is down', 10_000, () => lostAnswers > 0);
    const before = acked.size;
    startApi(grouped);
    await until('payments after the new API process started', 30_000, () => acked.size >= before + 3 * TERMINALS);
  } finally {
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(terminals), new Promise((r) => (timer = setTimeout(r, 25_000)))]);
    clearTimeout(timer);
  }
  expect(unexpected).toEqual([]);
  expect(apiExit).toBeUndefined();

  const knex = createKnex(dbUrl(), 2);
  try {
    const { rows } = await knex.raw(
      `select p.client_txn_id, count(*)::int as n, count(r.payment_id)::int as receipts
         from payments p left join receipts r on r.region_id = p.region_id and r.payment_id = p.id
        where p.region_id = ? group by p.client_txn_id`,
      [s.region.id],
    );
    const recorded = new Map(rows.map((r: { client_txn_id: string; n: number }) => [r.client_txn_id, r.n]));
    // Every payment the terminals sent was answered in the end, so the ledger holds exactly those.
    expect([...acked.keys()].filter((k) => recorded.get(k) !== 1)).toEqual([]);
    expect(recorded.size).toBe(acked.size);
    expect(rows.filter((r: { receipts: number }) => r.receipts !== 1)).toEqual([]);
    // They were posted in groups: fewer transactions than payments.
    const tx = await knex.raw(`select count(distinct xmin::text)::int as n from payments where region_id = ?`, [
      s.region.id,
    ]);
    expect(tx.rows[0].n).toBeLessThan(acked.size);
    const serials = await knex.raw(
      `select count(*)::int as n, count(distinct serial)::int as d, max(serial)::int as top from receipts where region_id = ?`,
      [s.region.id],
    );
    expect(serials.rows[0]).toEqual({ n: acked.size, d: acked.size, top: acked.size });
    expect(await ledgerBalanced(knex, s.region.id)).toBe(true);
  } finally {
    await knex.destroy();
  }
}, 90_000);
