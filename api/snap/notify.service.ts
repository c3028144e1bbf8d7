// POST /snap/{acquirer}/v1.0/qr/qr-mpm-notify (service 52, SNAP_QRIS.md §4.3): archived first,
// exactly as received; then the signature as the acquirer's notifyScheme says (§2.3) and a fresh
// X-TIMESTAMP; then X-EXTERNAL-ID, once per acquirer and day (a true retry gets the first answer,
// another body under a used id 4095200); then the body; then the payment, posted once through
// the same ledger function as every QRIS notification.
import { createHash } from 'node:crypto';
import type { Deps } from '../core/deps';
import { snapAcquirerByCode } from '../acquirers/acquirers.service';
import type { SnapCredentials } from '../acquirers/acquirers.schemas';
import { archiveBankBody, recordBankAnswer } from '../banks/notification.service';
import { businessDate } from '../core/time';
import { authenticateNotification } from './notify-auth';
import { decideNotification } from './notify-payment';
import * as repo from './snap.repository';
import type { SnapNotification } from './snap.schemas';
import {
  conflict,
  generalError,
  invalidField,
  missingField,
  SERVICE,
  type SnapAnswer,
  unauthorized,
} from './snap-answers';

const S = SERVICE.notify;
// SNAP's "same day" is the banks' day: Western Indonesia Time, whatever the region's zone.
const SNAP_DAY_ZONE = 'Asia/Jakarta';

export async function receiveSnapNotification(deps: Deps, n: SnapNotification): Promise<SnapAnswer> {
  const acquirer = await snapAcquirerByCode(deps.knex, n.acquirerCode);
  if (!acquirer) return unauthorized(S, 'Unknown Client');
  const notificationId = await archiveBankBody(deps, {
    regionId: acquirer.regionId,
    acquirerId: acquirer.acquirerId,
    source: 'notification',
    timestamp: n.timestamp,
    signature: n.signature,
    rawBody: n.rawBody,
    remoteAddr: n.remoteAddr,
  });
  let answer: SnapAnswer;
  try {
    answer = await decide(deps, acquirer, notificationId, n);
  } catch (err) {
    deps.logger.error({ err, notificationId }, 'snap notification failed');
    return generalError(S);
  }
  await recordBankAnswer(deps, acquirer.regionId, notificationId, {
    status: answer.status,
    code: answer.body.responseCode,
    paymentId: answer.paymentId ?? null,
    body: answer.body,
  });
  return answer;
}

async function decide(
  deps: Deps,
  acquirer: SnapCredentials,
  notificationId: string,
  n: SnapNotification,
): Promise<SnapAnswer> {
  const refused = authenticateNotification(deps, acquirer, n);
  if (refused) return refused;
  if (!n.externalId) return missingField(S, 'X-EXTERNAL-ID');
  if (!/^[0-9A-Za-z-]{1,36}$/.test(n.externalId)) return invalidField(S, 'X-EXTERNAL-ID');
  const key: repo.SnapRequestKey = {
    region_id: acquirer.regionId,
    acquirer_id: acquirer.acquirerId,
    day: businessDate(deps.clock.now(), SNAP_DAY_ZONE),
    external_id: n.externalId,
  };
  const requestHash = createHash('sha256').update(n.rawBody).digest('hex');
  return deps.knex.transaction(async (trx) => {
    const claimed = await repo.claimRequest(trx, {
      ...key,
      service: S,
      request_hash: requestHash,
      notification_id: notificationId,
    });
    if (!claimed) {
      const first = await repo.findRequest(trx, key);
      if (!first || first.request_hash !== requestHash || !first.response || !first.http_status) return conflict(S);
      return { status: first.http_status, body: first.response as SnapAnswer['body'] };
    }
    const answer = await decideNotification(deps, trx, acquirer, notificationId, n.rawBody);
    await repo.answerRequest(trx, key, answer.status, answer.body);
    return answer;
  });
}
