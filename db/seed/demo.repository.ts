// The demo seed's SQL: is the demo (or any region) there already, the lock that makes two seeders
// take turns, and the set-based inserts of the demo world.
import type { Db } from '../knex';

// Taken inside the seeding transaction: `npm start` and `npm run seed:demo` started together
// must not both decide the database is empty.
const SEED_LOCK = 727002;
// Rows per INSERT: well under Postgres' 65,535 bind parameters for the widest table.
const CHUNK = 1000;

/** Waits for any other seeder; held until the caller's transaction ends. */
export async function lockSeeding(trx: Db): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?)', [SEED_LOCK]);
}

/** The code of some region, when the database has any. */
export async function anyRegionCode(db: Db): Promise<string | undefined> {
  const row = await db('regions').first('code');
  return row?.code;
}

export async function regionCodeExists(db: Db, code: string): Promise<boolean> {
  const row = await db('regions').where({ code }).first('id');
  return !!row;
}

/** The rows into `table`, CHUNK rows a statement, in order. */
export async function insertChunked(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await db(table).insert(rows.slice(i, i + CHUNK));
}
