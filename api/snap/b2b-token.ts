// Our B2B access tokens for banks that fetch one before notifying (notifyScheme 'symmetric-token',
// SNAP_QRIS.md §1.6): HS256 JWTs under the app's secret, audience 'snap-b2b' (so a staff or
// terminal token is never one, nor one of these a staff token), subject the acquirer's id.
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ISSUER = 'e-retribusi';
const AUDIENCE = 'snap-b2b';
export const B2B_TOKEN_TTL_SECONDS = 900;

export function signB2bToken(secret: string, acquirerId: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  return jwt.sign({ iat, exp: iat + B2B_TOKEN_TTL_SECONDS }, createSecretKey(Buffer.from(secret, 'utf8')), {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: acquirerId,
  });
}

/** True when the token is ours, unexpired and for this acquirer. */
export function verifyB2bToken(secret: string, token: string, acquirerId: string, nowMs: number): boolean {
  try {
    const claims = jwt.verify(token, createSecretKey(Buffer.from(secret, 'utf8')), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: acquirerId,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
    return typeof claims !== 'string';
  } catch {
    return false;
  }
}
