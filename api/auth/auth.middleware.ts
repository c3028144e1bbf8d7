import type { Request, RequestHandler } from 'express';
import { AppError, unauthorized } from '../core/errors';
import type { Deps } from '../core/deps';
import { verifyToken } from './jwt';
import { assertRole, type Principal, type Role } from './principal';

const PRINCIPAL = Symbol('principal');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const revoked = (message: string) => new AppError(401, 'token-revoked', message);

/**
 * A token is good only while its principal is: the user or terminal must still be active and its
 * credential version (bumped when the password or secret changes and when it is switched off)
 * must be the one the token was issued with. One read by primary key per request.
 */
export async function assertCurrent(deps: Deps, p: Principal): Promise<void> {
  if (p.credentialVersion === undefined)
    throw revoked('this token was issued before tokens carried a credential version; log in again');
  let row: { active: boolean; credential_version: number; role?: string } | undefined;
  if (p.role === 'terminal') {
    if (p.terminalId !== p.sub) throw unauthorized('invalid token');
    row = await deps.knex('terminals').first('active', 'credential_version').where({ id: p.sub });
  } else {
    if (!UUID.test(p.sub)) throw unauthorized('invalid token');
    row = await deps.knex('users').first('active', 'credential_version', 'role').where({ id: p.sub });
  }
  if (!row || (row.role !== undefined && row.role !== p.role))
    throw revoked('the account this token was issued to no longer exists');
  if (!row.active) throw revoked('the account this token was issued to is switched off');
  if (row.credential_version !== p.credentialVersion)
    throw revoked('the password or secret changed after this token was issued; log in again');
}

/** Requires a valid bearer token of a current principal; with roles, also one of those roles (else 403). */
export function requireAuth(deps: Deps, ...roles: Role[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match) throw unauthorized('a bearer token is required');
    const seen = (req as unknown as Record<symbol, Principal | undefined>)[PRINCIPAL];
    // A second gate on the same request (nested routers) does not read the row again.
    const principal = seen ?? verifyToken(deps.config.JWT_SECRET, match[1], deps.clock.now().getTime());
    if (!seen) await assertCurrent(deps, principal);
    if (roles.length) assertRole(principal, ...roles);
    (req as unknown as Record<symbol, Principal>)[PRINCIPAL] = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  const p = (req as unknown as Record<symbol, Principal | undefined>)[PRINCIPAL];
  if (!p) throw unauthorized();
  return p;
}
