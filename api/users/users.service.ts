// Staff accounts. The admin creates anyone; an officer staffs their own region's markets
// (managers and collectors) and gives its command center a feed account, nothing above that,
// so no officer can mint another officer.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { hashSecret, verifySecret } from '../auth/password';
import { beginAttempt } from '../auth/login-limiter.service';
import { conflict, forbidden, notFound, unauthorized } from '../core/errors';
import { visibleRegions } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { findMarketIn } from '../markets/markets.service';
import { findRegionIn } from '../regions/regions.service';
import {
  type ChangeOwnPassword,
  type CreateUser,
  type ListUsersQuery,
  type PatchUser,
  STAFF_ROLES,
  type User,
} from './users.schemas';
import * as repo from './users.repository';
import type { Db } from '../../db/knex';

/** The user row (undefined when there is none), read in the caller's transaction. */
export const findUserIn = (db: Db, userId: string) => repo.findUser(db, userId);

const constraints = {
  users_username_key: () => fieldError(409, 'duplicate-username', 'username', 'this username is taken'),
};

const OFFICER_MAY_MANAGE: User['role'][] = ['manager', 'collector', 'feed'];

/** Whether p may create, switch off and on, or set the password of an account of this role and region. */
export function mayManage(p: Principal, role: User['role'], regionId: string | null | undefined): boolean {
  if (p.role === 'admin') return true;
  return p.role === 'officer' && !!p.regionId && OFFICER_MAY_MANAGE.includes(role) && regionId === p.regionId;
}

/** The roles p may make accounts of (in their own region, for an officer). */
export function rolesManagedBy(p: Principal): User['role'][] {
  if (p.role === 'admin') return [...STAFF_ROLES];
  return p.role === 'officer' && p.regionId ? [...OFFICER_MAY_MANAGE] : [];
}

function assertMayManage(p: Principal, role: User['role'], regionId: string | null | undefined): void {
  if (!mayManage(p, role, regionId))
    throw forbidden('you may manage only manager, collector and feed accounts of your own region');
}

/** Region and market must exist, and the market must be in the region. */
async function checkScope(deps: Deps, regionId?: string | null, marketId?: string | null): Promise<void> {
  if (regionId && !(await findRegionIn(deps.knex, regionId)))
    throw fieldError(422, 'unknown-region', 'regionId', 'no region with this id');
  if (!marketId) return;
  const m = await findMarketIn(deps.knex, marketId);
  if (!m) throw fieldError(422, 'unknown-market', 'marketId', 'no market with this id');
  if (m.region_id !== regionId)
    throw fieldError(422, 'market-outside-region', 'marketId', 'the market is not in regionId');
}

export async function createUser(deps: Deps, p: Principal, input: CreateUser): Promise<User> {
  assertMayManage(p, input.role, input.regionId);
  await checkScope(deps, input.regionId, input.marketId);
  const passwordHash = await hashSecret(input.password);
  const row = await guarded(
    () =>
      repo.insertUser(deps.knex, {
        username: input.username,
        passwordHash,
        role: input.role,
        regionId: input.regionId ?? null,
        marketId: input.marketId ?? null,
        displayName: input.displayName,
      }),
    constraints,
  );
  return repo.fromRow(row);
}

/** Officers and region auditors see their region's accounts only, whatever filter they ask for. */
export async function listUsers(deps: Deps, p: Principal, q: ListUsersQuery) {
  const scope = visibleRegions(p);
  if (!scope.all && (!scope.regionId || (q.regionId && q.regionId !== scope.regionId)))
    throw forbidden('this region is outside your scope');
  const { rows, total } = await repo.listUsers(deps.knex, scope.all ? q : { ...q, regionId: scope.regionId });
  return { items: rows.map(repo.fromRow), total, limit: q.limit, offset: q.offset };
}

export async function patchUser(deps: Deps, p: Principal, userId: string, input: PatchUser): Promise<User> {
  const u = await repo.findUser(deps.knex, userId);
  if (!u) throw notFound('user');
  assertMayManage(p, u.role, u.region_id);
  // Locking yourself out would leave a region (or the deployment) without its administrator.
  if (input.active === false && u.id === p.sub)
    throw fieldError(422, 'cannot-deactivate-self', 'active', 'you cannot deactivate your own account');
  const passwordHash = input.password === undefined ? undefined : await hashSecret(input.password);
  const row = await repo.updateUser(deps.knex, u.id, {
    active: input.active,
    passwordHash,
    displayName: input.displayName,
  });
  return repo.fromRow(row);
}

/**
 * A user sets their own password, proving the current one. Attempts count with the login
 * limiter's (same account key, same client address), so the form cannot be used to guess the
 * password of a session left open. The users_credential_version trigger bumps the account's
 * version, which ends every session and token issued before; the caller may renew its own with
 * the version returned. The password is never logged or kept other than as its scrypt hash.
 */
export async function changeOwnPassword(
  deps: Deps,
  p: Principal,
  input: ChangeOwnPassword,
  address: string,
): Promise<{ user: User; credentialVersion: number }> {
  if (p.role === 'terminal') throw forbidden('a terminal has a secret, not a password');
  const u = await repo.findUser(deps.knex, p.sub);
  if (!u?.active) throw unauthorized('the account of this session is gone or switched off');
  const attempt = await beginAttempt(deps, 'user', u.username, address);
  if (!(await verifySecret(input.currentPassword, u.password_hash))) {
    await attempt.failed();
    throw fieldError(422, 'wrong-current-password', 'currentPassword', 'the current password is wrong');
  }
  await attempt.succeeded();
  if (input.newPassword === input.currentPassword)
    throw fieldError(422, 'same-password', 'newPassword', 'the new password must differ from the current one');
  const row = await repo.updatePasswordAt(deps.knex, u.id, u.credential_version, await hashSecret(input.newPassword));
  if (!row) throw conflict('credentials-changed', 'the account changed while its password was being set; try again');
  return { user: repo.fromRow(row), credentialVersion: row.credential_version };
}
