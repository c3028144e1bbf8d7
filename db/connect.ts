// Where the database is: DATABASE_URL when set, otherwise the embedded cluster under DATA_DIR.
import type { Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../api/core/config';
import { startEmbedded, type EmbeddedCluster } from './embedded';
import { createKnex, migrateLatest } from './knex';
import { keepPresence } from './presence';
import type { Logger } from '../api/core/logger';

export interface Database {
  knex: Knex;
  embedded: boolean;
  close: () => Promise<void>;
}

const EMBEDDED_DB = 'eretribusi';

export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; logger?: Logger } = {},
): Promise<Database> {
  let cluster: EmbeddedCluster | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    cluster = await startEmbedded({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      password: config.EMBEDDED_PG_PASSWORD,
    });
    await ensureDatabase(cluster.connectionString('postgres'), EMBEDDED_DB);
    url = cluster.connectionString(EMBEDDED_DB);
  }
  // While this process runs, one connection stays open: the pool may shrink to nothing when
  // idle, and a CLI job that finishes meanwhile must still see that the API uses the cluster.
  // It reconnects by itself when the database restarts (db/presence.ts).
  const presence = cluster
    ? await keepPresence({ connectionString: url, application_name: 'e-retribusi-presence' }, opts.logger)
    : undefined;
  const knex = createKnex(url, config.DB_POOL_MAX, opts.logger);
  if (opts.migrate !== false) await migrateWithLock(knex);
  return {
    knex,
    embedded: !!cluster,
    close: async () => {
      await knex.destroy();
      await presence?.close();
      if (cluster) await cluster.stopIfUnused();
    },
  };
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  client.on('error', () => undefined); // a lost connection fails the query in flight instead
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${name}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created by another process meanwhile
      });
    }
  } finally {
    await client.end();
  }
}

// Several instances may boot at once; one advisory lock lets one of them migrate.
async function migrateWithLock(knex: Knex): Promise<void> {
  const conn = await knex.client.acquireConnection();
  try {
    await conn.query('select pg_advisory_lock(727001)');
    try {
      await migrateLatest(knex);
    } finally {
      await conn.query('select pg_advisory_unlock(727001)');
    }
  } finally {
    await knex.client.releaseConnection(conn);
  }
}
