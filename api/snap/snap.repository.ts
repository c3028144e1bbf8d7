// SNAP calls received, by X-EXTERNAL-ID (unique per acquirer and day), and what they were answered.
import type { Db } from '../../db/knex';

export interface SnapRequestKey {
  region_id: string;
  acquirer_id: string;
  day: string;
  external_id: string;
}

export interface SnapRequestRow extends SnapRequestKey {
  service: string;
  request_hash: string;
  notification_id: string | null;
  http_status: number | null;
  response: Record<string, unknown> | null;
}

/**
 * Claims the external id for this call; false when it was used already. A second call with the
 * same id waits here until the first one's transaction ends, then sees its answer.
 */
export async function claimRequest(
  db: Db,
  row: SnapRequestKey & { service: string; request_hash: string; notification_id: string },
): Promise<boolean> {
  const inserted = await db('snap_requests')
    .insert(row)
    .onConflict(['region_id', 'acquirer_id', 'day', 'external_id'])
    .ignore()
    .returning('external_id');
  return inserted.length === 1;
}

export function findRequest(db: Db, key: SnapRequestKey): Promise<SnapRequestRow | undefined> {
  return db('snap_requests').where(key).first();
}

export async function answerRequest(db: Db, key: SnapRequestKey, status: number, response: object): Promise<void> {
  await db('snap_requests')
    .where(key)
    .update({ http_status: status, response: JSON.stringify(response) });
}

/** Our intent's reference for the bank's referenceNo, when the bank did not echo ours. */
export async function intentReferenceOf(
  db: Db,
  regionId: string,
  acquirerId: string,
  acquirerReference: string,
): Promise<string | undefined> {
  const row = await db('qris_intents')
    .where({ region_id: regionId, acquirer_id: acquirerId, acquirer_reference: acquirerReference })
    .first('reference');
  return row?.reference;
}
