import type { Request, RequestHandler } from 'express';
import { unauthorized } from '../errors';
import type { Deps } from '../deps';
import { verifyToken } from './jwt';
import { assertRole, Principal, Role } from './principal';

const PRINCIPAL = Symbol('principal');

/** Requires a valid bearer token; with roles, also one of those roles (else 403). */
export function requireAuth(deps: Deps, ...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match) throw unauthorized('a bearer token is required');
    const principal = verifyToken(deps.config.JWT_SECRET, match[1], deps.clock.now().getTime());
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
