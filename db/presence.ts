// The presence connection: while a process uses the embedded cluster it keeps one connection
// open, so a CLI job that finishes meanwhile sees the cluster is in use (db/embedded.ts
// stopIfUnused). The database may go away under it (a restart, a crash, the postmaster killed):
// the connection then ends with 57P01 or "Connection terminated unexpectedly". That is logged,
// never thrown (an 'error' event with no listener would end the process), and the connection is
// opened again with backoff until the database is back.
import pg from 'pg';
import type { Logger } from '../api/core/logger';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

export interface Presence {
  /** Stops reconnecting and closes the connection. */
  close: () => Promise<void>;
}

/** Resolves once the first connection is open (a database that is not there at boot is an
 * error for the caller); afterwards every loss is repaired in the background. */
export async function keepPresence(config: pg.ClientConfig, logger?: Pick<Logger, 'warn' | 'info'>): Promise<Presence> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const c = new pg.Client(config);
    // Both listeners before connect: a connection lost at any moment lands here.
    // A connect that fails is the caller's to handle (boot fails, or the next attempt is
    // scheduled); only a connection that was open counts as lost.
    let connected = false;
    let lost = false;
    const onLost = (err?: Error) => {
      if (!connected || lost) return;
      lost = true;
      c.end().catch(() => undefined);
      if (client === c) client = undefined;
      if (closed) return;
      logger?.warn({ err, retryInMs: retryMs }, 'database presence connection lost; reconnecting');
      schedule();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    await c.connect();
    connected = true;
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
  };

  const schedule = () => {
    if (closed || timer) return;
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    timer = setTimeout(() => {
      timer = undefined;
      open().then(
        () => {
          if (client) {
            retryMs = FIRST_RETRY_MS;
            logger?.info({}, 'database presence connection open again');
          }
        },
        () => schedule(),
      );
    }, wait);
    // Reconnecting alone does not keep a process alive that has nothing else to do.
    timer.unref();
  };

  await open();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
