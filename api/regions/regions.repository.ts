import type { Db } from '../../db/knex';
import type { CreateRegion, PatchRegion, Region } from './regions.schemas';

export interface RegionRow {
  id: string;
  code: string;
  name: string;
  time_zone: string;
  treasury_bank: string;
  treasury_account: string;
  allow_cash: boolean;
  allocation_order: Region['allocationOrder'];
  created_at: Date;
}

export function fromRow(r: RegionRow): Region {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timeZone: r.time_zone,
    treasuryBank: r.treasury_bank,
    treasuryAccount: r.treasury_account,
    allowCash: r.allow_cash,
    allocationOrder: r.allocation_order,
    createdAt: r.created_at.toISOString(),
  };
}

function toRow(v: Partial<CreateRegion>) {
  return {
    code: v.code,
    name: v.name,
    time_zone: v.timeZone,
    treasury_bank: v.treasuryBank,
    treasury_account: v.treasuryAccount,
    allow_cash: v.allowCash,
    allocation_order: v.allocationOrder,
  };
}

export async function findRegion(db: Db, id: string): Promise<RegionRow | undefined> {
  return db('regions').where({ id }).first();
}

export async function listRegions(db: Db, onlyId?: string): Promise<RegionRow[]> {
  const q = db('regions').orderBy('code');
  if (onlyId) q.where({ id: onlyId });
  return q;
}

export async function insertRegion(db: Db, v: CreateRegion): Promise<RegionRow> {
  const [row] = await db('regions').insert(toRow(v)).returning('*');
  return row;
}

export async function updateRegion(db: Db, id: string, v: PatchRegion): Promise<RegionRow> {
  const [row] = await db('regions').where({ id }).update(toRow(v)).returning('*');
  return row;
}
