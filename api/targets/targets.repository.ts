import type { Db } from '../../db/knex';
import type { MarketTarget } from './targets.schemas';

export interface TargetRow {
  region_id: string;
  market_id: string;
  year: number;
  amount: string;
  set_by: string | null;
  set_at: Date;
}

export function fromRow(r: TargetRow): MarketTarget {
  return { marketId: r.market_id, year: r.year, amount: r.amount, setBy: r.set_by, setAt: r.set_at.toISOString() };
}

/** Sets a market's target for a year; `created` tells a first setting from a change (xmax is 0
 * only on a row this statement inserted). One statement, so two officers racing both succeed
 * and the later one wins, as with any PUT. */
export async function upsertTarget(
  db: Db,
  t: { regionId: string; marketId: string; year: number; amount: string; setBy: string },
): Promise<{ row: TargetRow; created: boolean }> {
  const { rows } = await db.raw(
    `insert into market_targets (region_id, market_id, year, amount, set_by) values (?, ?, ?, ?, ?)
     on conflict (region_id, market_id, year) do update set amount = excluded.amount, set_by = excluded.set_by, set_at = now()
     returning *, (xmax = 0) as created`,
    [t.regionId, t.marketId, t.year, t.amount, t.setBy],
  );
  const { created, ...row } = rows[0] as TargetRow & { created: boolean };
  return { row, created };
}

export async function listTargets(db: Db, regionId: string, marketId: string): Promise<TargetRow[]> {
  return db('market_targets').where({ region_id: regionId, market_id: marketId }).orderBy('year', 'desc');
}
