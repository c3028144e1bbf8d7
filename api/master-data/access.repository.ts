// What the scope checks of master data read.
import type { Db } from '../../db/knex';

/** The region a market is in (undefined when there is no such market). */
export async function regionIdOfMarket(db: Db, marketId: string): Promise<string | undefined> {
  const market = await db('markets').where({ id: marketId }).first('region_id');
  return market?.region_id as string | undefined;
}
