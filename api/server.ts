// npm start: the API and the daily schedule, on the embedded database unless DATABASE_URL is set.
import { loadConfig } from './core/config';
import { createApp } from './app';
import { systemClock } from './core/clock';
import { createLogger } from './core/logger';
import { openDatabase } from '../db/connect';
import { seedDemoIfEmpty } from '../db/seed/demo';
import { startSchedule } from '../jobs/schedule';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config, { logger });
  const deps = { knex: db.knex, config, clock: systemClock, logger };
  // The quick start shows a working system: an empty embedded database gets the demo data.
  if (db.embedded && (await seedDemoIfEmpty(deps)))
    logger.info('empty embedded database: demo data seeded (see README for credentials)');

  const schedule = config.SCHEDULER === 'on' ? startSchedule(deps) : undefined;
  const server = createApp(deps).listen(config.PORT, () => {
    logger.info(
      { port: config.PORT, database: db.embedded ? 'embedded' : 'DATABASE_URL' },
      `e-retribusi listening on ${config.PUBLIC_BASE_URL}`,
    );
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    schedule?.stop();
    server.close();
    server.closeAllConnections();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
