// The QRIS notifications archive: each notification exactly as received, then what it was answered.
import type { Db } from '../../db/knex';

export interface QrisAcquirerRow {
  id: string;
  region_id: string;
  notification_secret: string | null;
  protocol: 'simple-hmac' | 'snap';
}

/** The QRIS acquirer a notification's URL names, by its code. */
export function findQrisAcquirer(db: Db, code: string): Promise<QrisAcquirerRow | undefined> {
  return db('acquirers').where({ code, channel: 'qris' }).first();
}

export interface ArchivedNotification {
  region_id: string;
  acquirer_id: string;
  x_timestamp: string | null;
  x_signature: string | null;
  raw_body: string | null;
  raw_bytes: Buffer | null;
  remote_addr: string | null;
  /** 'query': the bank's answer to our qr-mpm-query, archived like a notification */
  source?: 'notification' | 'query';
}

/** Archives the notification; answers its id. */
export async function archiveNotification(db: Db, row: ArchivedNotification): Promise<string> {
  const [archived] = await db('qris_notifications').insert(row).returning('id');
  return archived.id;
}

export interface NotificationOutcome {
  region_id: string;
  notification_id: string;
  http_status: number;
  code: string;
  payment_id: string | null;
  /** the answer, as JSON text */
  response: string;
}

export async function recordOutcome(db: Db, row: NotificationOutcome): Promise<void> {
  await db('qris_notification_outcomes').insert(row);
}
