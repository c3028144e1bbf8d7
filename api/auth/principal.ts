// Who is calling and what they may see. A token carries role and scope; every service checks
// scope against the row it touches (wrong scope is 403).
import { forbidden } from '../core/errors';

// feed: a command center's dashboard account. It reads the feed's aggregates and payment stream
// (no personal data) of its region, or of every region when it has none, and nothing else.
export type StaffRole = 'admin' | 'officer' | 'manager' | 'collector' | 'auditor' | 'feed';
export type Role = StaffRole | 'terminal';

export interface Principal {
  role: Role;
  /** user id, or the terminal id for terminals */
  sub: string;
  regionId?: string;
  marketId?: string;
  terminalId?: string;
  /** The user's or terminal's credential version when the token was issued (claim "cv"). */
  credentialVersion?: number;
}

export function canReadRegion(p: Principal, regionId: string): boolean {
  if (p.role === 'admin') return true;
  if (p.role === 'auditor') return !p.regionId || p.regionId === regionId;
  if (p.role === 'officer') return p.regionId === regionId;
  return false;
}

export function canReadMarket(p: Principal, regionId: string, marketId: string): boolean {
  if (canReadRegion(p, regionId)) return true;
  return p.regionId === regionId && p.marketId === marketId;
}

/** Master data: the admin anywhere, an officer in their own region. */
export function canManageRegion(p: Principal, regionId: string): boolean {
  return p.role === 'admin' || (p.role === 'officer' && p.regionId === regionId);
}

export function assertRole(p: Principal, ...roles: Role[]): void {
  if (!roles.includes(p.role)) throw forbidden(`the ${p.role} role cannot do this`, { allowed: roles });
}

export function assertReadRegion(p: Principal, regionId: string): void {
  if (!canReadRegion(p, regionId)) throw forbidden('this region is outside your scope');
}

export function assertReadMarket(p: Principal, regionId: string, marketId: string): void {
  if (!canReadMarket(p, regionId, marketId)) throw forbidden('this market is outside your scope');
}

export function assertManageRegion(p: Principal, regionId: string): void {
  if (!canManageRegion(p, regionId)) throw forbidden('you cannot change master data of this region');
}
