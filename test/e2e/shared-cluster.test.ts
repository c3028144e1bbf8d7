// The API and the CLI share one embedded cluster: whoever finds it stopped starts it, and the
// last one out stops it. Uses its own cluster under a temporary DATA_DIR.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../api/core/config';
import { openDatabase } from '../../db/connect';
import { startEmbedded } from '../../db/embedded';

const run = promisify(execFile);
let dir: string;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

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

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'eret-shared-'));
  port = await freePort();
});
afterAll(async () => {
  // A failed test must not leave a postgres running.
  if (await clusterAnswers()) await (await startEmbedded({ dataDir: dir, port, password: 'e-retribusi-local' })).stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a CLI job run while the API holds the embedded cluster leaves it running; the last one out stops it', async () => {
  const api = await openDatabase(loadConfig(env()));
  expect(api.embedded).toBe(true);
  await api
    .knex('regions')
    .insert({ code: 'TST', name: 'Kota Uji', time_zone: 'Asia/Jakarta', treasury_bank: 'x', treasury_account: '1' });

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
  expect(await clusterAnswers()).toBe(false);
  const out = await run('npx', ['tsx', 'jobs/cli.ts', 'assess', '--date', '2026-11-24'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env() },
  });
  expect(out.stdout).toContain('assess TST 2026-11-24');
  expect(await clusterAnswers()).toBe(false);
}, 120000);
