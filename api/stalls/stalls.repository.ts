import type { Db } from '../../db/knex';
import type { CreateStall, MarketRef, PatchStall, Stall, StallRegisterQuery } from './stalls.schemas';

export interface StallRow {
  region_id: string;
  id: string;
  market_id: string;
  code: string;
  kind: Stall['kind'];
  area_m2: string;
  block: string | null;
  zone: string | null;
  status: Stall['status'];
  exempt: boolean;
  created_at: Date;
}

export function fromRow(r: StallRow): Stall {
  return {
    id: r.id,
    regionId: r.region_id,
    marketId: r.market_id,
    code: r.code,
    kind: r.kind,
    areaM2: r.area_m2,
    block: r.block,
    zone: r.zone,
    status: r.status,
    exempt: r.exempt,
    createdAt: r.created_at.toISOString(),
  };
}

export function toRow(v: Partial<CreateStall>) {
  return {
    code: v.code,
    kind: v.kind,
    area_m2: v.areaM2,
    block: v.block,
    zone: v.zone,
    status: v.status,
    exempt: v.exempt,
  };
}

export async function findStall(db: Db, id: string): Promise<StallRow | undefined> {
  return db('stalls').where({ id }).first();
}

export async function insertStalls(db: Db, m: MarketRef, stalls: CreateStall[]): Promise<StallRow[]> {
  // Chunks keep one statement's bind parameters well under Postgres's 65535 limit.
  const out: StallRow[] = [];
  for (let i = 0; i < stalls.length; i += 1000) {
    const rows = stalls.slice(i, i + 1000).map((s) => ({ region_id: m.region_id, market_id: m.id, ...toRow(s) }));
    out.push(...(await db('stalls').insert(rows).returning('*')));
  }
  return out;
}

export async function updateStall(db: Db, s: StallRow, v: PatchStall): Promise<StallRow> {
  const [row] = await db('stalls').where({ region_id: s.region_id, id: s.id }).update(toRow(v)).returning('*');
  return row;
}

export async function stallRegister(
  db: Db,
  m: MarketRef,
  q: StallRegisterQuery,
): Promise<{ rows: StallRow[]; total: number }> {
  const base = db('stalls').where({ region_id: m.region_id, market_id: m.id });
  if (q.status) base.where({ status: q.status });
  const [{ n }] = await base.clone().count<{ n: string }[]>('* as n');
  const rows = await base.orderBy('code').limit(q.limit).offset(q.offset);
  return { rows, total: Number(n) };
}

/** Codes of the market among `codes`, for reporting duplicates by line before inserting. */
export async function existingCodes(db: Db, m: MarketRef, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db('stalls')
    .where({ region_id: m.region_id, market_id: m.id })
    .whereRaw('code = any(?)', [codes])
    .select('code');
  return new Set(rows.map((r: { code: string }) => r.code));
}

/** The ids of the market's stalls among `codes`, by code. */
export async function stallIdsByCode(db: Db, m: MarketRef, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db('stalls')
    .where({ region_id: m.region_id, market_id: m.id })
    .whereRaw('code = any(?)', [codes])
    .select('id', 'code');
  return new Map(rows.map((r: { id: string; code: string }) => [r.code, r.id]));
}
