// Bank notifications are signed: X-Signature = hex HMAC-SHA256(secret, X-Timestamp + "." + raw body).
// The raw bytes are what was signed, so the body is verified before it is parsed.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing-signature' | 'stale-timestamp' | 'bad-signature' | 'no-secret';

export function signNotification(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** null when the signature is good and fresh; otherwise why not. */
export function checkSignature(
  secret: string | null,
  timestamp: string | undefined,
  signature: string | undefined,
  rawBody: Buffer,
  nowMs: number,
  maxSkewSeconds: number,
): SignatureFailure | null {
  if (!secret) return 'no-secret';
  if (!timestamp || !signature) return 'missing-signature';
  // Unix seconds; anything outside the window is a replay of an old capture or a bad clock.
  if (!/^\d{9,11}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > maxSkewSeconds)
    return 'stale-timestamp';
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return 'bad-signature';
  const expected = Buffer.from(signNotification(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, given) ? null : 'bad-signature';
}
