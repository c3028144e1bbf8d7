import type { Request, RequestHandler } from 'express';
import { unauthorized } from '../core/errors';
import type { Deps } from '../core/deps';
import { assertCurrent } from './auth.service';
import { verifyToken } from './jwt';
import { assertRole, type Principal, type Role } from './principal';

const PRINCIPAL = Symbol('principal');

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
