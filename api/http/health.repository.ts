// The health check's one statement: the database answers at all.
import type { Db } from '../../db/knex';

export async function selectOne(db: Db): Promise<void> {
  await db.raw('select 1');
}
