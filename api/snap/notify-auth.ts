// Who may notify: the three schemes banks use (SNAP_QRIS.md §2.3), each over the exact headers and
// raw bytes received, and a fresh X-TIMESTAMP (an old capture replayed is refused).
//   asymmetric        SHA256withRSA(bank key, POST:path:sha256hex(minified body):X-TIMESTAMP)
//   symmetric-token   Authorization: Bearer <our B2B token>, and
//                     HMAC-SHA512(client secret, POST:path:token:sha256hex(minified body):X-TIMESTAMP)
//   client-timestamp  SHA256withRSA(bank key, clientId|X-TIMESTAMP) (NICEPAY, BRI's library)
import type { Deps } from '../core/deps';
import type { SnapCredentials } from '../acquirers/acquirers.schemas';
import { verifyB2bToken } from './b2b-token';
import {
  parseSnapTimestamp,
  tokenStringToSign,
  transactionStringToSign,
  verifyAsymmetric,
  verifySymmetric,
} from './signature';
import { invalidField, invalidToken, missingField, SERVICE, type SnapAnswer, unauthorized } from './snap-answers';
import type { SnapNotification } from './snap.schemas';

const S = SERVICE.notify;

/** undefined when the notification is the bank's and fresh; otherwise the SNAP refusal. */
export function authenticateNotification(
  deps: Deps,
  acquirer: SnapCredentials,
  n: SnapNotification,
): SnapAnswer | undefined {
  if (!n.timestamp) return missingField(S, 'X-TIMESTAMP');
  if (!n.signature) return missingField(S, 'X-SIGNATURE');
  const at = parseSnapTimestamp(n.timestamp);
  if (!at) return invalidField(S, 'X-TIMESTAMP');
  const nowMs = deps.clock.now().getTime();
  if (Math.abs(nowMs - at.getTime()) > deps.config.QRIS_NOTIFICATION_MAX_SKEW_SECONDS * 1000)
    return unauthorized(S, 'X-TIMESTAMP is outside the allowed window');
  const { settings } = acquirer;
  const encoding = settings.signatureEncoding;
  const signed = { method: 'POST', path: n.path, body: n.rawBody, timestamp: n.timestamp };
  let good: boolean;
  if (settings.notifyScheme === 'symmetric-token') {
    const token = /^Bearer (\S+)$/i.exec(n.authorization ?? '')?.[1];
    if (!token || !verifyB2bToken(deps.config.JWT_SECRET, token, acquirer.acquirerId, nowMs)) return invalidToken(S);
    if (!acquirer.clientSecret) return unauthorized(S, 'Verify Client Secret Fail');
    const stringToSign = transactionStringToSign({ ...signed, accessToken: token });
    good = verifySymmetric(acquirer.clientSecret, stringToSign, n.signature, encoding);
  } else if (settings.notifyScheme === 'client-timestamp') {
    const stringToSign = tokenStringToSign(settings.clientId, n.timestamp);
    good = verifyAsymmetric(settings.bankPublicKey, stringToSign, n.signature, encoding);
  } else {
    good = verifyAsymmetric(settings.bankPublicKey, transactionStringToSign(signed), n.signature, encoding);
  }
  return good ? undefined : unauthorized(S, 'Invalid Signature');
}
