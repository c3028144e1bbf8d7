import type { Db } from '../../db/knex';
import type { ListUsersQuery, User } from './users.schemas';

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: User['role'];
  region_id: string | null;
  market_id: string | null;
  display_name: string;
  active: boolean;
  created_at: Date;
  /** bumped by the users_credential_version trigger when the password changes or the account is switched off */
  credential_version: number;
}

export function fromRow(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    regionId: r.region_id,
    marketId: r.market_id,
    displayName: r.display_name,
    active: r.active,
    createdAt: r.created_at.toISOString(),
  };
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: User['role'];
  regionId: string | null;
  marketId: string | null;
  displayName: string;
}

export async function insertUser(db: Db, u: NewUser): Promise<UserRow> {
  const [row] = await db('users')
    .insert({
      username: u.username,
      password_hash: u.passwordHash,
      role: u.role,
      region_id: u.regionId,
      market_id: u.marketId,
      display_name: u.displayName,
    })
    .returning('*');
  return row;
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db('users').where({ id }).first();
}

export async function updateUser(
  db: Db,
  id: string,
  v: { active?: boolean; passwordHash?: string; displayName?: string },
): Promise<UserRow> {
  const [row] = await db('users')
    .where({ id })
    .update({ active: v.active, password_hash: v.passwordHash, display_name: v.displayName })
    .returning('*');
  return row;
}

/**
 * A new password hash, only while the account is still at the credential version it was read at
 * (undefined when another change came first). The trigger bumps the version, so every token
 * issued before ends.
 */
export async function updatePasswordAt(
  db: Db,
  id: string,
  credentialVersion: number,
  passwordHash: string,
): Promise<UserRow | undefined> {
  const [row] = await db('users')
    .where({ id, credential_version: credentialVersion, active: true })
    .update({ password_hash: passwordHash })
    .returning('*');
  return row;
}

export async function listUsers(db: Db, q: ListUsersQuery): Promise<{ rows: UserRow[]; total: number }> {
  const base = db('users');
  if (q.role) base.where({ role: q.role });
  if (q.regionId) base.where({ region_id: q.regionId });
  if (q.marketId) base.where({ market_id: q.marketId });
  const [{ n }] = await base.clone().count<{ n: string }[]>('* as n');
  const rows = await base.orderBy('username').limit(q.limit).offset(q.offset);
  return { rows, total: Number(n) };
}
