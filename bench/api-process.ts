// Starts bench/server.ts in a child process and waits until every worker listens.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ApiProcess {
  port: number;
  /** the child and, with workers, each worker: whose CPU is the API's */
  pids: number[];
  stop: () => Promise<void>;
}

export interface ApiProcessOptions {
  databaseUrl: string;
  port: number;
  workers: number;
  poolMax: number;
  jwtSecret: string;
  dataDir: string;
  /** write V8 CPU profiles (one per process) here */
  profileDir?: string;
}

const ROOT = path.resolve(__dirname, '..');

export function startApiProcess(o: ApiProcessOptions): Promise<ApiProcess> {
  const profile = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.profileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(__dirname, 'server.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      PORT: String(o.port),
      JWT_SECRET: o.jwtSecret,
      LOG_LEVEL: 'silent',
      SCHEDULER: 'off',
      DB_POOL_MAX: String(o.poolMax),
      DATA_DIR: o.dataDir,
      PUBLIC_BASE_URL: `http://127.0.0.1:${o.port}`,
      BENCH_WORKERS: String(o.workers),
    },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('the bench API server did not start within 60 s'));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench API server exited with ${code} before it was ready`));
    });
    child.on('message', (m: { ready?: boolean; pids?: number[] }) => {
      if (!m?.ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ port: o.port, pids: m.pids ?? [child.pid!], stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
