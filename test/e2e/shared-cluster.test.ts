// The API and the CLI share one embedded cluster: whoever finds it stopped starts it, and the
// last one out stops it. Each test has its own cluster under a temporary DATA_DIR.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../api/core/config';
import { openDatabase } from '../../db/connect';
import { freePort, startEmbedded } from '../../db/embedded';

const run = promisify(execFile);
let dir: string;
let port: number;

const env = () =>
  ({ DATA_DIR: dir, EMBEDDED_PG_PORT: String(port), NODE_ENV: 'test', LOG_LEVEL: 'silent' }) as NodeJS.ProcessEnv;

async function clusterAnswers(): Promise<boolean> {
  const c = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'e-retribusi-local',
    database: 'postgres',
  });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The region the CLI's jobs find in the cluster. */
async function regionTst(api: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  await api
    .knex('regions')
    .insert({ code: 'TST', name: 'Kota Uji', time_zone: 'Asia/Jakarta', treasury_bank: 'x', treasury_account: '1' });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'eret-shared-'));
  port = await freePort();
});
afterEach(async () => {
  // A failed test must not leave a postgres running.
  if (await clusterAnswers()) await (await startEmbedded({ dataDir: dir, port, password: 'e-retribusi-local' })).stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a CLI job run while the API holds the embedded cluster leaves it running; the last one out stops it', async () => {
  const api = await openDatabase(loadConfig(env()));
  expect(api.embedded).toBe(true);
  await regionTst(api);

  // The real CLI, in another process, on the same DATA_DIR.
  const out = await run('npx', ['tsx', 'jobs/cli.ts', 'assess', '--region', 'TST', '--date', '2026-11-23'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env() },
  });
  expect(out.stdout).toContain('assess TST 2026-11-23: 0 created');
  expect(await clusterAnswers()).toBe(true);

  await api.close();
  expect(await clusterAnswers()).toBe(false);
}, 120000);

test('the CLI starts the cluster itself when nothing runs, and stops it when done', async () => {
  // A cluster that has a region, stopped: the API came and went.
  const api = await openDatabase(loadConfig(env()));
  await regionTst(api);
  await api.close();
  expect(await clusterAnswers()).toBe(false);
  const out = await run('npx', ['tsx', 'jobs/cli.ts', 'assess', '--date', '2026-11-24'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env() },
  });
  expect(out.stdout).toContain('assess TST 2026-11-24');
  expect(await clusterAnswers()).toBe(false);
}, 120000);
