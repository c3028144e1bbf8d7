// The API as the bench runs it: its own process (so the load generator does not share its event
// loop), the real createApp on a knex pointed at the bench database, no scheduler, no logging.
// With BENCH_WORKERS > 1 the node cluster module runs that many identical workers on one port
// (the API is stateless; this is how it scales out on one machine).
// Tells its parent over IPC: { ready: true, pids: [...] } once every worker listens.
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { loadConfig } from '../api/core/config';
import { createApp } from '../api/app';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { createKnex } from '../db/knex';

const workers = Math.max(1, Number(process.env.BENCH_WORKERS ?? '1'));

async function serve(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('bench/server.ts needs DATABASE_URL');
  const knex = createKnex(config.DATABASE_URL, config.DB_POOL_MAX);
  const deps = { knex, config, clock: systemClock, logger: createLogger(config.LOG_LEVEL) };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(config.PORT, '127.0.0.1', () => resolve(s));
  });
  // Keep-alive connections from the load generator must outlive a pause between phases.
  server.keepAliveTimeout = 60_000;
  const shutdown = async () => {
    server.close();
    server.closeAllConnections();
    await knex.destroy().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown()); // the parent (or the cluster primary) went away
  if (!cluster.isWorker) process.send?.({ ready: true, pids: [process.pid] });
}

function primary(): void {
  const pids: number[] = [];
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', (w) => {
    pids.push(w.process.pid!);
    if (pids.length === workers) process.send?.({ ready: true, pids: [process.pid, ...pids] });
  });
  cluster.on('exit', (w, code) => {
    if (!stopping) {
      console.error(`bench server: worker ${w.process.pid} exited with ${code}`);
      process.exit(1);
    }
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 50);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

if (workers > 1 && cluster.isPrimary) {
  primary();
} else {
  serve().catch((err) => {
    console.error('bench server:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
