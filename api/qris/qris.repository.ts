import type { Db } from '../../db/knex';

export interface IntentRow {
  region_id: string;
  id: string;
  reference: string;
  market_id: string;
  stall_id: string;
  trader_id: string;
  terminal_id: string;
  acquirer_id: string;
  amount: string;
  payload: string;
  created_at: Date;
  expires_at: Date;
  superseded_at: Date | null;
  paid_payment_id: string | null;
  /** The bank's referenceNo, for a code a SNAP acquirer generated. */
  acquirer_reference: string | null;
  /** Our X-EXTERNAL-ID of the qr-mpm-generate call (the query's originalExternalId). */
  generate_external_id: string | null;
  last_queried_at: Date | null;
  query_count: number;
}

export interface QrisAcquirerRow {
  id: string;
  region_id: string;
  code: string;
  nmid: string | null;
  merchant_name: string | null;
  merchant_city: string | null;
  mcc: string;
  postal_code: string | null;
  qris_global_id: string | null;
  qris_merchant_pan: string | null;
  protocol: 'simple-hmac' | 'snap';
}

/** The stall's row lock, the one the ledger's payment functions take first (stall, then intent):
 * the same order, so no deadlock, and the open assessments read under it stay what they are. */
export async function lockStall(db: Db, regionId: string, stallId: string): Promise<void> {
  await db.raw('select 1 from stalls where region_id = ? and id = ? for no key update', [regionId, stallId]);
}

export function qrisAcquirer(db: Db, regionId: string): Promise<QrisAcquirerRow | undefined> {
  return db('acquirers').where({ region_id: regionId, channel: 'qris' }).orderBy('code').first();
}

/** Supersedes the stall's open intents: one payable QR per stall at a time. */
export function supersedeOpenIntents(db: Db, regionId: string, stallId: string, at: Date) {
  return db('qris_intents')
    .where({ region_id: regionId, stall_id: stallId })
    .whereNull('superseded_at')
    .whereNull('paid_payment_id')
    .update({ superseded_at: at });
}

export async function insertIntent(
  db: Db,
  row: Omit<IntentRow, 'id' | 'superseded_at' | 'paid_payment_id' | 'last_queried_at' | 'query_count'> & {
    assessment_ids: string[];
  },
) {
  const [inserted] = await db('qris_intents').insert(row).returning('*');
  return inserted as IntentRow;
}

export function findIntent(db: Db, intentId: string) {
  return db('qris_intents').where({ id: intentId }).first() as Promise<IntentRow | undefined>;
}

export async function paymentResponse(db: Db, regionId: string, paymentId: string) {
  const row = await db('payments').where({ region_id: regionId, id: paymentId }).first('response');
  return row?.response as Record<string, unknown> | undefined;
}
