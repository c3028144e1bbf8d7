// QRIS payment notifications from acquirers. Archived first, exactly as received; then the
// signature, the timestamp, the body; then the ledger records the payment once per RRN.
import type { Deps } from '../core/deps';
import { fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
import { newReceiptCode } from '../receipts/receipt-code';
import { notificationSchema } from '../qris/qris.schemas';
import { checkSignature } from './signature';
import { canonicalJson, sha256Hex } from '../core/canonical';
import { printable } from '../core/text';
import { postQrisPayment } from '../ledger/post';
import { formatMoney } from '../core/money';
import type { Db } from '../../db/knex';
import * as repo from './notification.repository';

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
  const acquirer = await repo.findQrisAcquirer(deps.knex, n.acquirerCode);
  if (!acquirer) throw new AppError(404, 'unknown-acquirer', 'no QRIS acquirer has this code');
  const archivedId = await archiveBankBody(deps, {
    regionId: acquirer.region_id,
    acquirerId: acquirer.id,
    source: 'notification',
    timestamp: n.timestamp,
    signature: n.signature,
    rawBody: n.rawBody,
    remoteAddr: n.remoteAddr,
  });
  const answer = await decide(deps, acquirer, archivedId, n);
  await repo.recordOutcome(deps.knex, {
    region_id: acquirer.region_id,
    notification_id: archivedId,
    http_status: answer.status,
    code: String(answer.body.status ?? (answer.body.error as { code?: string })?.code ?? 'unknown'),
    payment_id: (answer.body.paymentId as string | undefined) ?? null,
    response: JSON.stringify(answer.body),
  });
  return answer;
}

async function decide(
  deps: Deps,
  acquirer: repo.QrisAcquirerRow,
  notificationId: string,
  n: IncomingNotification,
): Promise<BankAnswer> {
  const failure = checkSignature(
    acquirer.notification_secret,
    n.timestamp,
    n.signature,
    n.rawBody,
    deps.clock.now().getTime(),
    deps.config.QRIS_NOTIFICATION_MAX_SKEW_SECONDS,
  );
  if (failure) return refusal(401, failure, SIGNATURE_MESSAGES[failure]);
  // After the signature: an anonymous caller learns nothing about the body, a bank learns exactly
  // why its (signed) bytes cannot be read.
  const encoding = encodingProblem(n.rawBody);
  if (encoding)
    return refusal(400, 'invalid-encoding', 'the body must be JSON in UTF-8', [{ field: '(body)', message: encoding }]);
  let json: unknown;
  try {
    json = JSON.parse(n.rawBody.toString('utf8'));
  } catch {
    return refusal(400, 'invalid-json', 'the body is not JSON');
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    // A hostile key is named written out (\u0000): the answer is stored as jsonb, which cannot hold NUL.
    const details = zodDetails(parsed.error).map((d) => ({ ...d, field: printable(d.field) }));
    return refusal(
      400,
      'invalid-input',
      `invalid ${details[0]?.field ?? 'body'}: ${details[0]?.message ?? ''}`,
      details,
    );
  }
  try {
    const posted = await postQrisPayment(deps.knex, {
      regionId: acquirer.region_id,
      acquirerId: acquirer.id,
      ...parsed.data,
      paidAt: new Date(parsed.data.paidAt).toISOString(),
      notificationId,
      requestHash: sha256Hex(canonicalJson({ ...parsed.data, paidAt: new Date(parsed.data.paidAt).toISOString() })),
      receiptCode: newReceiptCode(),
      verifyBaseUrl: deps.config.PUBLIC_BASE_URL,
    });
    const p = posted.response;
    return {
      status: 200,
      body: {
        status: 'recorded',
        paymentId: p.paymentId,
        reference: parsed.data.reference,
        rrn: parsed.data.rrn,
        amount: p.amount,
        flags: p.flags,
      },
    };
  } catch (err) {
    const known = fromDatabaseError(err);
    if (known && known.status < 500) return refusal(known.status, known.code, known.message, known.details);
    throw err;
  }
}

export interface BankBody {
  regionId: string;
  acquirerId: string;
  /** 'query': the bank's answer to our qr-mpm-query, archived like a notification */
  source: 'notification' | 'query';
  timestamp?: string;
  signature?: string;
  rawBody: Buffer;
  remoteAddr?: string;
}

/** Archives what a bank sent, exactly as received, before anything else; answers its id. */
export async function archiveBankBody(deps: Deps, b: BankBody): Promise<string> {
  // As text when PostgreSQL text holds these bytes unchanged, else as bytea.
  const asText = storableText(b.rawBody);
  return repo.archiveNotification(deps.knex, {
    region_id: b.regionId,
    acquirer_id: b.acquirerId,
    x_timestamp: b.timestamp?.slice(0, 64) ?? null,
    x_signature: b.signature?.slice(0, 256) ?? null,
    raw_body: asText ?? null,
    raw_bytes: asText === undefined ? b.rawBody : null,
    remote_addr: b.remoteAddr ?? null,
    source: b.source,
  });
}

/** A payment as a SNAP bank reports it, in a notification or in its answer to a query. */
export interface SnapPayment {
  /** our intent's reference (originalPartnerReferenceNo) */
  reference: string;
  amount: string;
  /** the bank's referenceNo (originalReferenceNo): names the transaction */
  acquirerReference: string;
  rrn: string;
  issuer: string;
  paidAt: string;
}

export interface PostedBankPayment {
  paymentId: string;
  replayed: boolean;
  response: Record<string, unknown>;
}

/**
 * Posts a payment a SNAP bank reported, in the caller's transaction, through the same ledger
 * function as a simple-hmac notification. Keyed by the bank's referenceNo: the hash covers the
 * intent's reference, the amount and that referenceNo (not the RRN, which notification and query
 * answer carry differently), so the second report of a payment is a replay of the first.
 */
export async function postSnapPayment(
  deps: Deps,
  db: Db,
  a: { regionId: string; acquirerId: string; notificationId: string },
  p: SnapPayment,
): Promise<PostedBankPayment> {
  const amount = formatMoney(p.amount);
  const posted = await postQrisPayment(db, {
    regionId: a.regionId,
    acquirerId: a.acquirerId,
    reference: p.reference,
    amount,
    rrn: p.rrn,
    issuer: p.issuer,
    paidAt: new Date(p.paidAt).toISOString(),
    acquirerReference: p.acquirerReference,
    notificationId: a.notificationId,
    requestHash: sha256Hex(
      canonicalJson({ snap: true, reference: p.reference, amount, acquirerReference: p.acquirerReference }),
    ),
    receiptCode: newReceiptCode(),
    verifyBaseUrl: deps.config.PUBLIC_BASE_URL,
  });
  const response = posted.response as Record<string, unknown>;
  return { paymentId: String(response.paymentId), replayed: posted.replayed === true, response };
}

/** What an archived body was answered (qris_notification_outcomes). */
export async function recordBankAnswer(
  deps: Deps,
  regionId: string,
  notificationId: string,
  answer: { status: number; code: string; paymentId: string | null; body: unknown },
): Promise<void> {
  await repo.recordOutcome(deps.knex, {
    region_id: regionId,
    notification_id: notificationId,
    http_status: answer.status,
    code: answer.code,
    payment_id: answer.paymentId,
    response: JSON.stringify(answer.body),
  });
}

/**
 * A paid QRIS payment learnt from a SNAP bank outside a notification (the answer to our
 * qr-mpm-query): archived as received with its source, posted exactly as a notification would be
 * (a notification before or after it is a replay), and its outcome recorded.
 */
export async function recordQrisPaymentFromBank(
  deps: Deps,
  b: BankBody,
  payment: SnapPayment,
): Promise<PostedBankPayment & { notificationId: string }> {
  const notificationId = await archiveBankBody(deps, b);
  try {
    const posted = await postSnapPayment(deps, deps.knex, { ...b, notificationId }, payment);
    await recordBankAnswer(deps, b.regionId, notificationId, {
      status: 200,
      code: posted.replayed ? 'replayed' : 'recorded',
      paymentId: posted.paymentId,
      body: posted.response,
    });
    return { ...posted, notificationId };
  } catch (err) {
    const known = fromDatabaseError(err);
    if (known)
      await recordBankAnswer(deps, b.regionId, notificationId, {
        status: known.status,
        code: known.code,
        paymentId: null,
        body: { error: { code: known.code, message: known.message, details: known.details } },
      });
    throw err;
  }
}

/** The body as text, when PostgreSQL text can hold it unchanged: UTF-8 and no NUL. */
function storableText(raw: Buffer): string | undefined {
  if (raw.includes(0)) return undefined;
  const text = raw.toString('utf8');
  return Buffer.byteLength(text, 'utf8') === raw.length && Buffer.from(text, 'utf8').equals(raw) ? text : undefined;
}

/** Why these bytes are not UTF-8 JSON text, or undefined when they may be. */
function encodingProblem(raw: Buffer): string | undefined {
  const utf16 =
    (raw[0] === 0xff && raw[1] === 0xfe) ||
    (raw[0] === 0xfe && raw[1] === 0xff) ||
    (raw.length > 1 && (raw[0] === 0 || raw[1] === 0));
  if (utf16) return 'is UTF-16 (a byte order mark or NUL bytes between the characters); send UTF-8';
  const nul = raw.indexOf(0);
  if (nul >= 0) return `contains a NUL byte at offset ${nul}`;
  if (storableText(raw) === undefined) return 'is not valid UTF-8';
  return undefined;
}

function refusal(status: number, code: string, message: string, details?: unknown): BankAnswer {
  return { status, body: { error: { code, message, details } } };
}
