import type { Db } from '../../db/knex';

export interface IntentRow {
  region_id: string;
  id: string;
  reference: string;
  market_id: string;
  stall_id: string;
  trader_id: string;
  /** null for a code the trader made on the stall's public page (origin 'public') */
  terminal_id: string | null;
  origin: 'terminal' | 'public';
  /** the address a public code was asked from */
  client_ip: string | null;
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

/** Supersedes the stall's open terminal codes: one payable QR per stall at a collector's at a time.
 * Codes the trader made on the stall's public page are left alone (and they supersede nothing). */
export function supersedeOpenTerminalIntents(db: Db, regionId: string, stallId: string, at: Date) {
  return db('qris_intents')
    .where({ region_id: regionId, stall_id: stallId, origin: 'terminal' })
    .whereNull('superseded_at')
    .whereNull('paid_payment_id')
    .update({ superseded_at: at });
}

/** The stall's public codes that can still be paid at `now` (pending, not expired, not
 * superseded): how many, and when the first of them expires. */
export async function livePublicIntents(
  db: Db,
  regionId: string,
  stallId: string,
  now: Date,
): Promise<{ count: number; firstExpiry: Date | null }> {
  const row = await db('qris_intents')
    .where({ region_id: regionId, stall_id: stallId, origin: 'public' })
    .whereNull('superseded_at')
    .whereNull('paid_payment_id')
    .where('expires_at', '>', now)
    .first(db.raw('count(*)::int as count'), db.raw('min(expires_at) as first_expiry'));
  return { count: row?.count ?? 0, firstExpiry: row?.first_expiry ?? null };
}

/** Serialises the public codes asked from one address in a region, across every instance of the
 * API, until the transaction ends: the count below stays true while a code is being made. */
export async function lockClientAddress(db: Db, regionId: string, clientIp: string): Promise<void> {
  await db.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`qris-public:${regionId}:${clientIp}`]);
}

/** The public codes asked from an address in a region since `since`: how many, and the first one's time. */
export async function publicIntentsFromAddress(
  db: Db,
  regionId: string,
  clientIp: string,
  since: Date,
): Promise<{ count: number; first: Date | null }> {
  const row = await db('qris_intents')
    .where({ region_id: regionId, origin: 'public', client_ip: clientIp })
    .where('created_at', '>', since)
    .first(db.raw('count(*)::int as count'), db.raw('min(created_at) as first'));
  return { count: row?.count ?? 0, first: row?.first ?? null };
}

/** A public code of this stall, by its id (a terminal's code or another stall's is not found). */
export function findPublicIntent(
  db: Db,
  regionId: string,
  stallId: string,
  intentId: string,
): Promise<IntentRow | undefined> {
  return db('qris_intents').where({ region_id: regionId, stall_id: stallId, id: intentId, origin: 'public' }).first();
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

/**
 * Takes the right to ask the bank about an intent now: stamps last_queried_at and counts the query
 * unless it was asked less than `minGapSeconds` ago (or is no longer pending). The update's row
 * lock decides between a terminal polling and the recovery job racing for it: one asks, the other
 * does not. True when this caller may ask.
 */
export async function claimQuery(
  db: Db,
  regionId: string,
  intentId: string,
  now: Date,
  minGapSeconds: number,
): Promise<boolean> {
  const n = await db('qris_intents')
    .where({ region_id: regionId, id: intentId })
    .whereNull('paid_payment_id')
    .whereNotNull('acquirer_reference')
    .where((q) =>
      q.whereNull('last_queried_at').orWhere('last_queried_at', '<=', new Date(now.getTime() - minGapSeconds * 1000)),
    )
    .update({ last_queried_at: now, query_count: db.raw('query_count + 1') });
  return n > 0;
}

/**
 * A region's codes to ask a SNAP bank about: generated by the bank (acquirer_reference), neither
 * paid nor superseded, made at least `after` ago or within 2 minutes of expiry, and still within
 * 10 minutes past their expiry (a code paid at its last moment whose notification was lost), not
 * asked about since `notSince`. Oldest first, at most `limit`.
 */
export function intentsDueForQuery(
  db: Db,
  regionId: string,
  p: { now: Date; afterMinutes: number; notSince: Date; limit: number },
): Promise<IntentRow[]> {
  const minutes = (m: number) => new Date(p.now.getTime() + m * 60_000);
  return db('qris_intents')
    .where({ region_id: regionId })
    .whereNull('paid_payment_id')
    .whereNull('superseded_at')
    .whereNotNull('acquirer_reference')
    .where((q) => q.where('created_at', '<=', minutes(-p.afterMinutes)).orWhere('expires_at', '<=', minutes(2)))
    .where('expires_at', '>', minutes(-10))
    .where((q) => q.whereNull('last_queried_at').orWhere('last_queried_at', '<=', p.notSince))
    .orderBy('created_at')
    .limit(p.limit);
}

/** What a SNAP acquirer answered to one of our calls, byte for byte (immutable). */
export async function archiveSnapAnswer(
  db: Db,
  a: {
    regionId: string;
    acquirerId: string;
    service: string;
    externalId: string;
    httpStatus: number;
    responseCode: string | null;
    rawBody: Buffer;
  },
): Promise<void> {
  await db('snap_answers').insert({
    region_id: a.regionId,
    acquirer_id: a.acquirerId,
    service: a.service,
    external_id: a.externalId,
    http_status: a.httpStatus,
    response_code: a.responseCode,
    raw_body: a.rawBody,
  });
}
