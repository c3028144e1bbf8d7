import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/knex';
import type { CreateTrader, ListTradersQuery, PatchTrader, Trader } from './traders.schemas';

export interface TraderRow {
  region_id: string;
  id: string;
  nik: string | null;
  name: string;
  phone: string | null;
  address: string | null;
  created_at: Date;
}

export function fromRow(r: TraderRow): Trader {
  return {
    id: r.id,
    regionId: r.region_id,
    nik: r.nik,
    name: r.name,
    phone: r.phone,
    address: r.address,
    createdAt: r.created_at.toISOString(),
  };
}

const toRow = (v: Partial<CreateTrader>) => ({ nik: v.nik, name: v.name, phone: v.phone, address: v.address });

export async function findTrader(db: Db, id: string): Promise<TraderRow | undefined> {
  return db('traders').where({ id }).first();
}

/** Inserts with ids chosen here, so a caller can pair each trader with its input row. */
export async function insertTraders(
  db: Db,
  regionId: string,
  traders: (CreateTrader & { id?: string })[],
): Promise<TraderRow[]> {
  const out: TraderRow[] = [];
  for (let i = 0; i < traders.length; i += 1000) {
    const rows = traders
      .slice(i, i + 1000)
      .map((t) => ({ region_id: regionId, id: t.id ?? randomUUID(), ...toRow(t) }));
    out.push(...(await db('traders').insert(rows).returning('*')));
  }
  return out;
}

export async function updateTrader(db: Db, t: TraderRow, v: PatchTrader): Promise<TraderRow> {
  const [row] = await db('traders').where({ region_id: t.region_id, id: t.id }).update(toRow(v)).returning('*');
  return row;
}

export async function listTraders(
  db: Db,
  regionId: string,
  q: ListTradersQuery,
): Promise<{ rows: TraderRow[]; total: number }> {
  const base = db('traders').where({ region_id: regionId });
  // A name search: % and _ typed by a user are literal characters, not wildcards.
  if (q.q) base.whereILike('name', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [{ n }] = await base.clone().count<{ n: string }[]>('* as n');
  const rows = await base
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(q.limit)
    .offset(q.offset);
  return { rows, total: Number(n) };
}

export async function existingNiks(db: Db, regionId: string, niks: string[]): Promise<Set<string>> {
  if (niks.length === 0) return new Set();
  const rows = await db('traders').where({ region_id: regionId }).whereRaw('nik = any(?)', [niks]).select('nik');
  return new Set(rows.map((r: { nik: string }) => r.nik));
}
