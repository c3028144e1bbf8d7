// Tokens: HS256 only (the algorithm is pinned on verify, so `alg: none` and RS/HS confusion are
// refused), with issuer, audience and expiry always checked.
import jwt from 'jsonwebtoken';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { unauthorized } from '../core/errors';
import type { Principal, Role } from './principal';

const ISSUER = 'e-retribusi';
const AUDIENCE = 'e-retribusi-api';

export interface SignedToken {
  token: string;
  expiresAt: string;
}

export function signToken(secret: string, p: Principal, ttlSeconds: number, nowMs = Date.now()): SignedToken {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const payload: Record<string, unknown> = { role: p.role, iat, exp };
  if (p.regionId) payload.regionId = p.regionId;
  if (p.marketId) payload.marketId = p.marketId;
  if (p.terminalId) payload.terminalId = p.terminalId;
  if (p.credentialVersion !== undefined) payload.cv = p.credentialVersion;
  const token = jwt.sign(payload, keyFor(secret), {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: p.sub,
  });
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

// jsonwebtoken tries a string secret as a PEM key on every call (~0.4 ms of CPU, half the API's
// cost of a payment, measured by npm run bench); a KeyObject made once skips that.
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

const ROLES: Role[] = ['admin', 'officer', 'manager', 'collector', 'auditor', 'feed', 'terminal'];

export function verifyToken(secret: string, token: string, nowMs = Date.now()): Principal {
  let claims: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, keyFor(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
    if (typeof decoded === 'string') throw new Error('unexpected payload');
    claims = decoded;
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError;
    throw unauthorized(expired ? 'token expired' : 'invalid token');
  }
  const role = claims.role as Role;
  if (!ROLES.includes(role) || typeof claims.sub !== 'string' || typeof claims.exp !== 'number')
    throw unauthorized('invalid token');
  return {
    role,
    sub: claims.sub,
    regionId: typeof claims.regionId === 'string' ? claims.regionId : undefined,
    marketId: typeof claims.marketId === 'string' ? claims.marketId : undefined,
    terminalId: typeof claims.terminalId === 'string' ? claims.terminalId : undefined,
    credentialVersion: Number.isSafeInteger(claims.cv) ? (claims.cv as number) : undefined,
  };
}
