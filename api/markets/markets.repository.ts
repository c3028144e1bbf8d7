import type { Db } from '../../db/knex';
import type { Closure, ClosuresQuery, CreateClosure, CreateMarket, Market, PatchMarket } from './markets.schemas';

export interface MarketRow {
  region_id: string;
  id: string;
  code: string;
  name: string;
  class: Market['class'];
  open_days: number[];
  annual_target: string;
  address: string | null;
  active: boolean;
  created_at: Date;
}

export function fromRow(r: MarketRow): Market {
  return {
    id: r.id,
    regionId: r.region_id,
    code: r.code,
    name: r.name,
    class: r.class,
    openDays: r.open_days.map(Number),
    annualTarget: r.annual_target,
    address: r.address,
    active: r.active,
    createdAt: r.created_at.toISOString(),
  };
}

function toRow(v: Partial<CreateMarket>) {
  return {
    code: v.code,
    name: v.name,
    class: v.class,
    open_days: v.openDays,
    annual_target: v.annualTarget,
    address: v.address,
    active: v.active,
  };
}

export async function findMarket(db: Db, id: string): Promise<MarketRow | undefined> {
  return db('markets').where({ id }).first();
}

export async function listMarkets(db: Db, regionId: string): Promise<MarketRow[]> {
  return db('markets').where({ region_id: regionId }).orderBy('code');
}

export async function insertMarket(db: Db, regionId: string, v: CreateMarket): Promise<MarketRow> {
  const [row] = await db('markets')
    .insert({ region_id: regionId, ...toRow(v) })
    .returning('*');
  return row;
}

export async function updateMarket(db: Db, m: MarketRow, v: PatchMarket): Promise<MarketRow> {
  const [row] = await db('markets').where({ region_id: m.region_id, id: m.id }).update(toRow(v)).returning('*');
  return row;
}

interface ClosureRow {
  market_id: string;
  closed_on: string;
  reason: string;
}

export const closureFromRow = (r: ClosureRow): Closure => ({
  marketId: r.market_id,
  date: r.closed_on,
  reason: r.reason,
});

export async function insertClosure(db: Db, m: MarketRow, v: CreateClosure): Promise<ClosureRow> {
  const [row] = await db('market_closures')
    .insert({ region_id: m.region_id, market_id: m.id, closed_on: v.date, reason: v.reason })
    .returning('*');
  return row;
}

export async function listClosures(db: Db, m: MarketRow, range: ClosuresQuery): Promise<ClosureRow[]> {
  const q = db('market_closures').where({ region_id: m.region_id, market_id: m.id }).orderBy('closed_on');
  if (range.from) q.where('closed_on', '>=', range.from);
  if (range.to) q.where('closed_on', '<=', range.to);
  return q;
}
