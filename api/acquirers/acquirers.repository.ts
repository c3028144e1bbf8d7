import type { Db } from '../../db/knex';
import type { Acquirer, CreateAcquirer, MdrRateRow, PatchAcquirer, SnapSettings } from './acquirers.schemas';

export interface AcquirerRow {
  region_id: string;
  id: string;
  code: string;
  name: string;
  channel: Acquirer['channel'];
  mdr_rate: string;
  mdr_basis: Acquirer['mdrBasis'];
  mdr_rounding: Acquirer['mdrRounding'];
  notification_secret: string | null;
  merchant_name: string | null;
  merchant_city: string | null;
  nmid: string | null;
  protocol: Acquirer['protocol'];
  snap: SnapSettings | null;
  /** secret: never in an answer */
  snap_client_secret: string | null;
  /** secret: never in an answer */
  snap_private_key: string | null;
  created_at: Date;
}

/** What a SNAP acquirer's settings become in its columns (the secrets apart from the rest). */
export interface SnapColumns {
  snap: SnapSettings | null;
  snap_client_secret?: string | null;
  snap_private_key?: string | null;
}

export function fromRow(r: AcquirerRow, rates: MdrRateRow[]): Acquirer {
  return {
    id: r.id,
    regionId: r.region_id,
    code: r.code,
    name: r.name,
    channel: r.channel,
    mdrRate: r.mdr_rate,
    mdrBasis: r.mdr_basis,
    mdrRounding: r.mdr_rounding,
    mdrRates: rates,
    hasNotificationSecret: r.notification_secret !== null,
    merchantName: r.merchant_name,
    merchantCity: r.merchant_city,
    nmid: r.nmid,
    protocol: r.protocol,
    snap: r.snap,
    hasClientSecret: r.snap_client_secret !== null,
    createdAt: r.created_at.toISOString(),
  };
}

function toRow(v: Partial<CreateAcquirer> | PatchAcquirer, snap?: SnapColumns) {
  const c = v as Partial<CreateAcquirer>;
  return {
    protocol: v.protocol,
    ...(snap
      ? {
          snap: snap.snap === null ? null : JSON.stringify(snap.snap),
          snap_client_secret: snap.snap_client_secret,
          snap_private_key: snap.snap_private_key,
        }
      : {}),
    code: c.code,
    channel: c.channel,
    name: v.name,
    mdr_rate: v.mdrRate,
    mdr_basis: v.mdrBasis,
    mdr_rounding: v.mdrRounding,
    notification_secret: v.notificationSecret,
    merchant_name: v.merchantName,
    merchant_city: v.merchantCity,
    nmid: v.nmid,
  };
}

interface RateRow {
  acquirer_id: string;
  mid: string | null;
  network: string | null;
  bin_prefix: string | null;
  rate: string;
}

/** Each acquirer's MDR rate rows, in a stable order (MID, network, BIN prefix). */
export async function mdrRatesOf(db: Db, regionId: string, acquirerIds: string[]): Promise<Map<string, MdrRateRow[]>> {
  const rows: RateRow[] = await db('acquirer_mdr_rates')
    .where('region_id', regionId)
    .whereIn('acquirer_id', acquirerIds)
    .select('acquirer_id', 'mid', 'network', 'bin_prefix', db.raw('rate::text as rate'))
    .orderByRaw("coalesce(mid, ''), coalesce(network, ''), coalesce(bin_prefix, '')");
  const out = new Map<string, MdrRateRow[]>(acquirerIds.map((id) => [id, []]));
  for (const r of rows) {
    out.get(r.acquirer_id)?.push({
      ...(r.mid !== null ? { mid: r.mid } : {}),
      ...(r.network !== null ? { network: r.network } : {}),
      ...(r.bin_prefix !== null ? { binPrefix: r.bin_prefix } : {}),
      rate: r.rate,
    });
  }
  return out;
}

/** The acquirer's rate rows become these (config data, not ledger: replaced, not appended). */
export async function replaceMdrRates(
  db: Db,
  regionId: string,
  acquirerId: string,
  rates: MdrRateRow[],
): Promise<void> {
  await db('acquirer_mdr_rates').where({ region_id: regionId, acquirer_id: acquirerId }).delete();
  if (rates.length === 0) return;
  await db('acquirer_mdr_rates').insert(
    rates.map((r) => ({
      region_id: regionId,
      acquirer_id: acquirerId,
      mid: r.mid ?? null,
      network: r.network ?? null,
      bin_prefix: r.binPrefix ?? null,
      rate: r.rate,
    })),
  );
}

export async function findAcquirer(db: Db, id: string): Promise<AcquirerRow | undefined> {
  return db('acquirers').where({ id }).first();
}

/** The QRIS acquirer a bank's SNAP URL names, by its code. */
export async function findQrisAcquirerByCode(db: Db, code: string): Promise<AcquirerRow | undefined> {
  return db('acquirers').where({ code, channel: 'qris' }).first();
}

export async function listAcquirers(db: Db, regionId: string): Promise<AcquirerRow[]> {
  return db('acquirers').where({ region_id: regionId }).orderBy('code');
}

export async function insertAcquirer(
  db: Db,
  regionId: string,
  v: CreateAcquirer,
  snap?: SnapColumns,
): Promise<AcquirerRow> {
  const { mdrRates: _rates, snap: _snap, ...fields } = v;
  const [row] = await db('acquirers')
    .insert({ region_id: regionId, ...toRow(fields, snap) })
    .returning('*');
  return row;
}

export async function updateAcquirer(
  db: Db,
  a: AcquirerRow,
  v: PatchAcquirer,
  snap?: SnapColumns,
): Promise<AcquirerRow> {
  const { mdrRates: _rates, snap: _snap, ...fields } = v;
  const changes = Object.fromEntries(Object.entries(toRow(fields, snap)).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length === 0) return a;
  const [row] = await db('acquirers').where({ region_id: a.region_id, id: a.id }).update(changes).returning('*');
  return row;
}
