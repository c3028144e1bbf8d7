// The accounts a login or a token names: staff users by username or id, terminals by id. Read
// here for authentication only; the users and terminals areas keep their own registers.
import type { Db } from '../../db/knex';

export interface LoginUserRow {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  region_id: string | null;
  market_id: string | null;
  active: boolean;
  credential_version: number;
}

export interface LoginTerminalRow {
  id: string;
  region_id: string;
  market_id: string;
  secret_hash: string;
  active: boolean;
  credential_version: number;
}

/** What a token is checked against on every request, read by primary key (currentPrincipals). */
export interface CurrentPrincipalRow {
  active: boolean;
  credential_version: number;
  role?: string;
}

export async function findUserByUsername(db: Db, username: string): Promise<LoginUserRow | undefined> {
  return db('users').where({ username }).first();
}

export async function findTerminalForLogin(db: Db, terminalId: string): Promise<LoginTerminalRow | undefined> {
  return db('terminals').where({ id: terminalId }).first();
}

/** The rows of several terminals or users in one read (the requests of one moment, auth.service). */
export async function currentPrincipals(
  db: Db,
  kind: 'terminal' | 'user',
  ids: string[],
): Promise<(CurrentPrincipalRow & { id: string })[]> {
  return kind === 'terminal'
    ? db('terminals').select('id', 'active', 'credential_version').whereRaw('id = any(?::text[])', [ids])
    : db('users').select('id', 'active', 'credential_version', 'role').whereRaw('id = any(?::uuid[])', [ids]);
}

export async function currentUser(db: Db, userId: string): Promise<CurrentPrincipalRow | undefined> {
  return db('users').first('active', 'credential_version', 'role').where({ id: userId });
}
