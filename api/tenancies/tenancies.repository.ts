import type { Db } from '../../db/knex';
import type { NewTenancy, Tenancy } from './tenancies.schemas';

export interface TenancyRow {
  region_id: string;
  id: string;
  stall_id: string;
  trader_id: string;
  effective_from: string;
  effective_to: string | null;
  created_at: Date;
}

export function fromRow(r: TenancyRow): Tenancy {
  return {
    id: r.id,
    regionId: r.region_id,
    stallId: r.stall_id,
    traderId: r.trader_id,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    createdAt: r.created_at.toISOString(),
  };
}

export async function insertTenancies(db: Db, items: NewTenancy[]): Promise<TenancyRow[]> {
  const out: TenancyRow[] = [];
  for (let i = 0; i < items.length; i += 1000) {
    const rows = items.slice(i, i + 1000).map((t) => ({
      region_id: t.regionId,
      stall_id: t.stallId,
      trader_id: t.traderId,
      effective_from: t.effectiveFrom,
      effective_to: t.effectiveTo ?? null,
    }));
    out.push(...(await db('tenancies').insert(rows).returning('*')));
  }
  return out;
}

export async function findTenancy(db: Db, id: string, forUpdate = false): Promise<TenancyRow | undefined> {
  const q = db('tenancies').where({ id }).first();
  return forUpdate ? q.forUpdate() : q;
}

export async function setEnd(db: Db, t: TenancyRow, effectiveTo: string): Promise<TenancyRow> {
  const [row] = await db('tenancies')
    .where({ region_id: t.region_id, id: t.id })
    .update({ effective_to: effectiveTo })
    .returning('*');
  return row;
}

export async function listForStall(db: Db, regionId: string, stallId: string): Promise<TenancyRow[]> {
  return db('tenancies').where({ region_id: regionId, stall_id: stallId }).orderBy('effective_from', 'desc');
}

/** Stalls among `stallIds` with a tenancy that overlaps [from, ∞) for the given from-date each. */
export async function occupiedFrom(
  db: Db,
  regionId: string,
  wanted: { stallId: string; from: string }[],
): Promise<Set<string>> {
  if (wanted.length === 0) return new Set();
  const { rows } = await db.raw(
    `select distinct t.stall_id from tenancies t
       join unnest(?::uuid[], ?::date[]) as w(stall_id, from_date) on w.stall_id = t.stall_id
      where t.region_id = ? and (t.effective_to is null or t.effective_to >= w.from_date)`,
    [wanted.map((w) => w.stallId), wanted.map((w) => w.from), regionId],
  );
  return new Set(rows.map((r: { stall_id: string }) => r.stall_id));
}
