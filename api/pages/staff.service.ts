// Staff and feed accounts in the pages: the admin manages every region's, an officer the manager,
// collector and feed accounts of their own region. Every rule is the users API's own
// (users.service: mayManage, createUser, patchUser); this file only turns a form into its input,
// names regions and markets, and says no in Indonesian before the API would say it in English.
import { randomInt } from 'node:crypto';
import type { Deps } from '../core/deps';
import { AppError, forbidden } from '../core/errors';
import { parseInput } from '../core/schemas';
import type { Principal } from '../auth/principal';
import { createUserSchema, patchUserSchema, STAFF_ROLES, type User } from '../users/users.schemas';
import { createUser, findUserIn, listUsers, mayManage, patchUser, rolesManagedBy } from '../users/users.service';
import { loadMarketScope, marketChoices, regionChoices } from './scope';

export type StaffRole = User['role'];
export { STAFF_ROLES, mayManage, rolesManagedBy };

export const PAGE_SIZE = 50;

/** Only the admin and officers manage accounts; everyone else gets a 403 page. */
export function assertStaffManager(p: Principal): void {
  if (p.role !== 'admin' && !(p.role === 'officer' && p.regionId))
    throw forbidden('halaman pengguna hanya untuk administrator dan petugas Bapenda');
}

export interface Places {
  regions: { id: string; code: string; name: string }[];
  markets: { id: string; code: string; name: string; regionId: string }[];
}

/** The regions and markets p may give an account: all for the admin, an officer's own region. */
export async function placesFor(deps: Deps, p: Principal): Promise<Places> {
  const regions = (await regionChoices(deps)).filter((r) => p.role === 'admin' || r.id === p.regionId);
  const markets = (
    await Promise.all(
      regions.map(async (r) => (await marketChoices(deps, r.id)).map((m) => ({ ...m, regionId: r.id }))),
    )
  ).flat();
  return { regions, markets };
}

export interface StaffListQuery {
  role?: StaffRole;
  regionId?: string;
  offset: number;
}

export async function staffList(deps: Deps, p: Principal, q: StaffListQuery) {
  assertStaffManager(p);
  if (p.role === 'officer' && q.regionId && q.regionId !== p.regionId)
    throw forbidden('wilayah ini di luar wewenang Anda');
  return listUsers(deps, p, { limit: PAGE_SIZE, offset: q.offset, role: q.role, regionId: q.regionId });
}

// No 0/O, 1/l/I: read off a screen and typed on a phone by someone else.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random first or reset password (about 70 bits), shown once and never kept but as its hash. */
export function generatePassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

export interface CreateStaffForm {
  role: StaffRole;
  username: string;
  displayName: string;
  marketId?: string;
  regionId?: string;
  /** blank: one is generated */
  password?: string;
}

/** The account made, and the password when the system made it (to be shown once). */
export interface Created {
  user: User;
  generatedPassword?: string;
}

/**
 * A new account from the form. An officer's accounts are in their own region; the admin names a
 * region, or a market whose region it is. Then the API's own schema and createUser.
 */
export async function createStaff(deps: Deps, p: Principal, f: CreateStaffForm): Promise<Created> {
  assertStaffManager(p);
  let regionId: string | undefined;
  if (p.role === 'officer') regionId = p.regionId;
  else if (f.regionId) regionId = f.regionId;
  else if (f.marketId) regionId = (await loadMarketScope(deps, f.marketId))?.regionId;
  if (!rolesManagedBy(p).includes(f.role) || !mayManage(p, f.role, regionId ?? null))
    throw forbidden('Anda hanya dapat membuat akun kepala pasar, petugas pemungut dan feed di wilayah Anda sendiri');
  const generatedPassword = f.password ? undefined : generatePassword();
  const input = parseInput(createUserSchema, {
    username: f.username,
    displayName: f.displayName,
    role: f.role,
    password: f.password || generatedPassword,
    regionId,
    marketId: f.marketId,
  });
  return { user: await createUser(deps, p, input), generatedPassword };
}

/** An account p may manage, as the API shows it; a 404 or 403 page otherwise. */
export async function manageable(deps: Deps, p: Principal, userId: string): Promise<User> {
  assertStaffManager(p);
  const u = await findUserIn(deps.knex, userId);
  if (!u) throw new AppError(404, 'not-found', 'akun pengguna ini tidak ada');
  if (!mayManage(p, u.role, u.region_id))
    throw forbidden(
      'akun ini di luar wewenang Anda: Anda hanya mengelola kepala pasar, petugas pemungut dan feed di wilayah Anda',
    );
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    regionId: u.region_id,
    marketId: u.market_id,
    displayName: u.display_name,
    active: u.active,
    createdAt: u.created_at.toISOString(),
  };
}

/** Your own password is changed on the account page, with the current one. */
function assertNotSelf(p: Principal, u: User): void {
  if (u.id === p.sub) throw forbidden('ganti kata sandi dan status akun Anda sendiri melalui menu Akun');
}

/** A new password set by the admin or officer (typed, or generated and shown once): the
 * account's sessions end (the credential version moves on). */
export async function resetPassword(deps: Deps, p: Principal, userId: string, typed?: string): Promise<Created> {
  const u = await manageable(deps, p, userId);
  assertNotSelf(p, u);
  const generatedPassword = typed ? undefined : generatePassword();
  const input = parseInput(patchUserSchema, { password: typed || generatedPassword });
  return { user: await patchUser(deps, p, u.id, input), generatedPassword };
}

/** Switch an account off (its sessions end) or back on (old sessions stay ended). */
export async function setActive(deps: Deps, p: Principal, userId: string, active: boolean): Promise<User> {
  const u = await manageable(deps, p, userId);
  assertNotSelf(p, u);
  return patchUser(deps, p, u.id, parseInput(patchUserSchema, { active }));
}
