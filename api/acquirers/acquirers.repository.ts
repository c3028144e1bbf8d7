import type { Db } from '../../db/knex';
import type { Acquirer, CreateAcquirer, PatchAcquirer } from './acquirers.schemas';

export interface AcquirerRow {
  region_id: string;
  id: string;
  code: string;
  name: string;
  channel: Acquirer['channel'];
  mdr_rate: string;
  notification_secret: string | null;
  merchant_name: string | null;
  merchant_city: string | null;
  nmid: string | null;
  created_at: Date;
}

export function fromRow(r: AcquirerRow): Acquirer {
  return {
    id: r.id,
    regionId: r.region_id,
    code: r.code,
    name: r.name,
    channel: r.channel,
    mdrRate: r.mdr_rate,
    hasNotificationSecret: r.notification_secret !== null,
    merchantName: r.merchant_name,
    merchantCity: r.merchant_city,
    nmid: r.nmid,
    createdAt: r.created_at.toISOString(),
  };
}

function toRow(v: Partial<CreateAcquirer> | PatchAcquirer) {
  const c = v as Partial<CreateAcquirer>;
  return {
    code: c.code,
    channel: c.channel,
    name: v.name,
    mdr_rate: v.mdrRate,
    notification_secret: v.notificationSecret,
    merchant_name: v.merchantName,
    merchant_city: v.merchantCity,
    nmid: v.nmid,
  };
}

export async function findAcquirer(db: Db, id: string): Promise<AcquirerRow | undefined> {
  return db('acquirers').where({ id }).first();
}

export async function listAcquirers(db: Db, regionId: string): Promise<AcquirerRow[]> {
  return db('acquirers').where({ region_id: regionId }).orderBy('code');
}

export async function insertAcquirer(db: Db, regionId: string, v: CreateAcquirer): Promise<AcquirerRow> {
  const [row] = await db('acquirers').insert({ region_id: regionId, ...toRow(v) }).returning('*');
  return row;
}

export async function updateAcquirer(db: Db, a: AcquirerRow, v: PatchAcquirer): Promise<AcquirerRow> {
  const [row] = await db('acquirers').where({ region_id: a.region_id, id: a.id }).update(toRow(v)).returning('*');
  return row;
}
