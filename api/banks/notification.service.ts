// QRIS payment notifications from acquirers. Archived first, exactly as received; then the
// signature, the timestamp, the body; then the ledger records the payment once per RRN.
import type { Deps } from '../deps';
import { AppError, fromDatabaseError, zodDetails } from '../errors';
import { newReceiptCode } from '../receipts/receipt-code';
import { notificationSchema } from '../qris/qris.schemas';
import { checkSignature } from './signature';
import { canonicalJson, sha256Hex } from '../shared/canonical';

export interface IncomingNotification {
  acquirerCode: string;
  timestamp?: string;
  signature?: string;
  rawBody: Buffer;
  remoteAddr?: string;
}

export interface BankAnswer {
  status: number;
  body: Record<string, unknown>;
}

const SIGNATURE_MESSAGES = {
  'missing-signature': 'X-Timestamp and X-Signature are required',
  'stale-timestamp': 'X-Timestamp is outside the allowed window',
  'bad-signature': 'X-Signature does not match',
  'no-secret': 'no notification secret is configured for this acquirer',
} as const;

export async function receiveNotification(deps: Deps, n: IncomingNotification): Promise<BankAnswer> {
  const acquirer = await deps.knex('acquirers').where({ code: n.acquirerCode, channel: 'qris' }).first();
  if (!acquirer) throw new AppError(404, 'unknown-acquirer', 'no QRIS acquirer has this code');
  const [archived] = await deps.knex('qris_notifications')
    .insert({
      region_id: acquirer.region_id, acquirer_id: acquirer.id, x_timestamp: n.timestamp?.slice(0, 64) ?? null,
      x_signature: n.signature?.slice(0, 256) ?? null, raw_body: n.rawBody.toString('utf8'), remote_addr: n.remoteAddr ?? null,
    })
    .returning('id');
  const answer = await decide(deps, acquirer, archived.id, n);
  await deps.knex('qris_notification_outcomes').insert({
    region_id: acquirer.region_id, notification_id: archived.id, http_status: answer.status,
    code: String(answer.body.status ?? (answer.body.error as { code?: string })?.code ?? 'unknown'),
    payment_id: (answer.body.paymentId as string | undefined) ?? null, response: JSON.stringify(answer.body),
  });
  return answer;
}

type Acquirer = { id: string; region_id: string; notification_secret: string | null };

async function decide(deps: Deps, acquirer: Acquirer, notificationId: string, n: IncomingNotification): Promise<BankAnswer> {
  const failure = checkSignature(acquirer.notification_secret, n.timestamp, n.signature, n.rawBody, deps.clock.now().getTime(), deps.config.QRIS_NOTIFICATION_MAX_SKEW_SECONDS);
  if (failure) return refusal(401, failure, SIGNATURE_MESSAGES[failure]);
  let json: unknown;
  try {
    json = JSON.parse(n.rawBody.toString('utf8'));
  } catch {
    return refusal(400, 'invalid-json', 'the body is not JSON');
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) return refusal(400, 'invalid-input', 'the notification body is not valid', zodDetails(parsed.error));
  try {
    const { rows } = await deps.knex.raw('select ledger_post_qris_payment(?::jsonb) as r', [
      JSON.stringify({
        regionId: acquirer.region_id, acquirerId: acquirer.id, ...parsed.data, paidAt: new Date(parsed.data.paidAt).toISOString(),
        notificationId, requestHash: sha256Hex(canonicalJson({ ...parsed.data, paidAt: new Date(parsed.data.paidAt).toISOString() })),
        receiptCode: newReceiptCode(), verifyBaseUrl: deps.config.PUBLIC_BASE_URL,
      }),
    ]);
    const p = rows[0].r.response as Record<string, unknown>;
    return { status: 200, body: { status: 'recorded', paymentId: p.paymentId, reference: parsed.data.reference, rrn: parsed.data.rrn, amount: p.amount, flags: p.flags } };
  } catch (err) {
    const known = fromDatabaseError(err);
    if (known && known.status < 500) return refusal(known.status, known.code, known.message, known.details);
    throw err;
  }
}

function refusal(status: number, code: string, message: string, details?: unknown): BankAnswer {
  return { status, body: { error: { code, message, details } } };
}
