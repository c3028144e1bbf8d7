// One knex per process. numeric, bigint and date columns come back as strings: money is turned
// into Decimal by the repository that reads it, never through a JS number.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../api/core/logger';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export type Db = Knex | Knex.Transaction;

/** logger: where the pool's own warnings go (a connection lost, a failed connect), instead of
 * the console; they are logged, never thrown: the request that needed the connection fails. */
export function createKnex(connectionString: string, poolMax = 20, logger?: Logger): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: 'e-retribusi' },
    pool: { min: 0, max: poolMax },
    ...(logger
      ? {
          log: {
            warn: (message: unknown) => logger.warn({ knex: String(message) }, 'database pool'),
            error: (message: unknown) => logger.error({ knex: String(message) }, 'database pool'),
            deprecate: (method: string, alternative: string) =>
              logger.warn({ method, alternative }, 'knex deprecation'),
            debug: () => undefined,
          },
        }
      : {}),
    migrations: { migrationSource: migrationSource(), tableName: 'knex_migrations' },
  });
}

// Migrations are the files db/migrations/YYYYMMDDHHMMSS_verb_object.ts, loaded with require so
// the same list works under tsx, jest and compiled JavaScript.
function migrationSource(): Knex.MigrationSource<string> {
  const dir = path.join(__dirname, 'migrations');
  return {
    getMigrations: async () =>
      readdirSync(dir)
        .filter((f) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
        .sort(),
    getMigrationName: (file) => file.replace(/\.(ts|js)$/, ''),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    getMigration: async (file) => require(path.join(dir, file)),
  };
}

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest();
}
