// A signed, fresh notification's body: read as SNAP defines it, then a paid one ('00') posted once
// through the banks' QRIS posting (the same as a query's answer, so the second is a replay).
import type { Deps } from '../core/deps';
import type { Db } from '../../db/knex';
import type { SnapCredentials } from '../acquirers/acquirers.schemas';
import { postSnapPayment, type SnapPayment } from '../banks/notification.service';
import { fromDatabaseError } from '../core/db-errors';
import type { ZodError } from 'zod';
import * as repo from './snap.repository';
import { snapNotifySchema, type SnapNotify } from './snap.schemas';
import {
  badRequest,
  invalidField,
  missingField,
  notFound,
  ok,
  SERVICE,
  type SnapAnswer,
  snapAnswer,
} from './snap-answers';

const S = SERVICE.notify;

export async function decideNotification(
  deps: Deps,
  trx: Db,
  acquirer: SnapCredentials,
  notificationId: string,
  rawBody: Buffer,
): Promise<SnapAnswer> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return badRequest(S, 'Bad Request: the body is not JSON in UTF-8');
  }
  const parsed = snapNotifySchema.safeParse(json);
  if (!parsed.success) return fieldRefusal(parsed.error, json);
  const n = parsed.data;
  // Only a success is a payment; the others (pending, failed, ...) are kept in the archive.
  if (n.latestTransactionStatus !== '00') return ok(S);
  if (!n.amount) return missingField(S, 'amount');
  const reference =
    n.originalPartnerReferenceNo ??
    (await repo.intentReferenceOf(trx, acquirer.regionId, acquirer.acquirerId, n.originalReferenceNo));
  if (!reference) return notFound(S);
  const payment = paymentOf(n, reference, deps.clock.now());
  if (typeof payment === 'string') return invalidField(S, payment);
  try {
    // A savepoint: a refusal by the ledger leaves the external id's claim standing with its answer.
    const posted = await trx.transaction((sp) => postSnapPayment(deps, sp, { ...acquirer, notificationId }, payment));
    return { ...ok(S), paymentId: posted.paymentId };
  } catch (err) {
    const known = fromDatabaseError(err);
    if (!known || known.status >= 500) throw err;
    if (known.code === 'unknown-reference') return notFound(S);
    if (known.code === 'idempotency-conflict') return snapAnswer(409, S, '01', 'Duplicate partnerReferenceNo');
    return badRequest(S, `Bad Request: ${known.message}`);
  }
}

// The RRN, issuer and payment time are in additionalInfo under each bank's own names (§4.2).
const RRN_KEYS = ['rrn', 'retrievalReferenceNo', 'issuerRrn'];
const ISSUER_KEYS = ['issuerName', 'issuer', 'brandName'];

function paymentOf(n: SnapNotify, reference: string, now: Date): SnapPayment | string {
  const info = n.additionalInfo ?? {};
  const pick = (keys: string[]) =>
    keys.map((k) => info[k]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const paidTime = info.paidTime;
  let paidAt = now.toISOString();
  if (paidTime !== undefined) {
    const d = typeof paidTime === 'string' ? new Date(paidTime) : new Date(Number.NaN);
    if (Number.isNaN(d.getTime())) return 'additionalInfo.paidTime';
    paidAt = d.toISOString();
  }
  return {
    reference,
    amount: n.amount?.value ?? '0',
    acquirerReference: n.originalReferenceNo,
    // No RRN from the bank: its referenceNo names the transaction as well.
    rrn: (pick(RRN_KEYS) ?? n.originalReferenceNo).slice(0, 64),
    issuer: (pick(ISSUER_KEYS) ?? 'QRIS').slice(0, 60),
    paidAt,
  };
}

/** The first problem as SNAP names it: a field missing (4005202) or malformed or unknown (4005201). */
function fieldRefusal(error: ZodError, json: unknown): SnapAnswer {
  const issue = error.issues[0];
  if (!issue) return badRequest(S);
  if (issue.code === 'unrecognized_keys') return invalidField(S, [...issue.path, issue.keys[0]].join('.'));
  const field = issue.path.join('.') || 'body';
  let value: unknown = json;
  for (const k of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey];
  return value === undefined && issue.path.length > 0 ? missingField(S, field) : invalidField(S, field);
}
