// A throwaway embedded cluster for the bench, under its own data directory and on a free port,
// so a bench never touches the dev database (./data/pg) or the tests' cluster.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded, type EmbeddedCluster, freePort } from '../db/embedded';
import { sleep } from './driver';

const PASSWORD = 'bench-password';
export const BENCH_DB = 'eretribusi_bench';

export interface BenchCluster {
  cluster: EmbeddedCluster;
  dataDir: string;
  port: number;
  url: (database: string) => string;
  postmasterPid: () => number | undefined;
}

function postmasterPidOf(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A bench that was killed may have left its own cluster running on this directory: shut that
// one down (fast shutdown, SIGINT) before the directory is wiped under it.
async function stopLeftover(dataDir: string): Promise<void> {
  const pid = postmasterPidOf(dataDir);
  if (!pid || !alive(pid)) return;
  // A stale pid file may name an unrelated process by now: only a postgres on this directory.
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return;
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(path.join(dataDir, 'pg'))) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && alive(pid); i++) await sleep(100);
  if (alive(pid)) throw new Error(`a Postgres (pid ${pid}) still runs on ${dataDir}; stop it and retry`);
}

/** Wipes dataDir, starts a fresh cluster there with room for `connections` clients and the
 * given server settings, and creates BENCH_DB. */
export async function startBenchCluster(
  dataDir: string,
  connections: number,
  settings: Record<string, string> = {},
): Promise<BenchCluster> {
  const dir = path.resolve(dataDir);
  await stopLeftover(dir);
  rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  let cluster = await startEmbedded({ dataDir: dir, port, password: PASSWORD });
  const url = (database: string) => cluster.connectionString(database);

  const wanted = { ...settings };
  if ((await maxConnections(url('postgres'))) < connections + 10) wanted.max_connections = String(connections + 20);
  if (Object.keys(wanted).length > 0) {
    // These only change at start-up: set them and restart the fresh cluster.
    for (const [name, value] of Object.entries(wanted)) {
      await query(url('postgres'), `alter system set ${pg.escapeIdentifier(name)} = ${pg.escapeLiteral(value)}`);
    }
    await cluster.stop();
    cluster = await startEmbedded({ dataDir: dir, port, password: PASSWORD });
  }
  await query(url('postgres'), `create database ${BENCH_DB}`);
  return { cluster, dataDir: dir, port, url, postmasterPid: () => postmasterPidOf(dir) };
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

async function maxConnections(url: string): Promise<number> {
  const { rows } = await query(url, `select setting::int as n from pg_settings where name = 'max_connections'`);
  return rows[0].n;
}
