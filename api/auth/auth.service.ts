import type { Deps } from '../core/deps';
import { AppError, unauthorized } from '../core/errors';
import * as repo from './auth.repository';
import { signToken } from './jwt';
import { beginAttempt } from './login-limiter.service';
import { hashSecret, verifySecret } from './password';
import type { Principal, StaffRole } from './principal';

// Compared against when the user does not exist, so a wrong username takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** address: the client's, from clientAddress(req); attempts are limited per username and per address. */
export async function loginStaff(deps: Deps, username: string, password: string, address: string) {
  const attempt = await beginAttempt(deps, 'user', username.toLowerCase(), address);
  const user = await repo.findUserByUsername(deps.knex, username.toLowerCase());
  dummyHash ??= hashSecret('not-a-password');
  const ok = await verifySecret(password, user?.password_hash ?? (await dummyHash));
  if (!user || !ok || !user.active) {
    await attempt.failed();
    throw unauthorized('wrong username or password');
  }
  await attempt.succeeded();
  const role = user.role as StaffRole;
  const signed = signToken(
    deps.config.JWT_SECRET,
    {
      role,
      sub: user.id,
      regionId: user.region_id ?? undefined,
      marketId: user.market_id ?? undefined,
      credentialVersion: user.credential_version,
    },
    deps.config.STAFF_TOKEN_TTL_SECONDS,
    deps.clock.now().getTime(),
  );
  return { ...signed, role, regionId: user.region_id ?? undefined, marketId: user.market_id ?? undefined };
}

export async function loginTerminal(deps: Deps, terminalId: string, secret: string, address: string) {
  const attempt = await beginAttempt(deps, 'terminal', terminalId, address);
  const terminal = await repo.findTerminalForLogin(deps.knex, terminalId);
  dummyHash ??= hashSecret('not-a-secret');
  const ok = await verifySecret(secret, terminal?.secret_hash ?? (await dummyHash));
  if (!terminal || !ok || !terminal.active) {
    await attempt.failed();
    throw unauthorized('wrong terminal id or secret');
  }
  await attempt.succeeded();
  const signed = signToken(
    deps.config.JWT_SECRET,
    {
      role: 'terminal',
      sub: terminal.id,
      terminalId: terminal.id,
      regionId: terminal.region_id,
      marketId: terminal.market_id,
      credentialVersion: terminal.credential_version,
    },
    deps.config.TERMINAL_TOKEN_TTL_SECONDS,
    deps.clock.now().getTime(),
  );
  return { ...signed, marketId: terminal.market_id, regionId: terminal.region_id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const revoked = (message: string) => new AppError(401, 'token-revoked', message);

/**
 * A token is good only while its principal is: the user or terminal must still be active and its
 * credential version (bumped when the password or secret changes and when it is switched off)
 * must be the one the token was issued with. Read on every request, when the request arrives:
 * the requests that reach this process in the same turn of its event loop (32 terminals paying
 * at once arrive so) are checked with one read by primary key for all of them (currentRow), not
 * one each; none waits for a later one, and none is answered from an earlier read.
 */
export async function assertCurrent(deps: Deps, p: Principal): Promise<void> {
  if (p.credentialVersion === undefined)
    throw revoked('this token was issued before tokens carried a credential version; log in again');
  if (p.role === 'terminal') {
    if (p.terminalId !== p.sub) throw unauthorized('invalid token');
  } else if (!UUID.test(p.sub)) throw unauthorized('invalid token');
  const row = await (p.role === 'terminal'
    ? currentRow(deps, 'terminal', p.sub)
    : currentRow(deps, 'user', p.sub.toLowerCase()));
  if (!row || (row.role !== undefined && row.role !== p.role))
    throw revoked('the account this token was issued to no longer exists');
  if (!row.active) throw revoked('the account this token was issued to is switched off');
  if (row.credential_version !== p.credentialVersion)
    throw revoked('the password or secret changed after this token was issued; log in again');
}

type Kind = 'terminal' | 'user';
type Rows = Map<string, repo.CurrentPrincipalRow>;
/** Per app (Deps) and kind, the read that the requests of this turn of the event loop wait for. */
const gathering = new WeakMap<Deps, Partial<Record<Kind, { ids: Set<string>; rows: Promise<Rows> }>>>();

async function currentRow(deps: Deps, kind: Kind, id: string): Promise<repo.CurrentPrincipalRow | undefined> {
  let mine = gathering.get(deps);
  if (!mine) gathering.set(deps, (mine = {}));
  let read = mine[kind];
  if (!read) {
    const ids = new Set<string>();
    const rows = new Promise<Rows>((resolve, reject) =>
      setImmediate(() => {
        delete mine[kind]; // a request from now on waits for the next read
        repo.currentPrincipals(deps.knex, kind, [...ids]).then((found) => {
          resolve(new Map(found.map((r) => [r.id, r])));
        }, reject);
      }),
    );
    mine[kind] = read = { ids, rows };
  }
  read.ids.add(id);
  return (await read.rows).get(id);
}

/**
 * A new token for the session whose user just changed their own password: the token it had
 * carries the old credential version and is dead. Issued only when the account is active, still
 * has the role and is at exactly the version the change produced (a later change or switching
 * off wins), with the scope the session had.
 */
export async function renewStaffToken(deps: Deps, p: Principal, credentialVersion: number) {
  if (p.role === 'terminal' || !UUID.test(p.sub)) throw unauthorized('invalid token');
  const row = await repo.currentUser(deps.knex, p.sub);
  if (!row || row.role !== p.role || !row.active || row.credential_version !== credentialVersion)
    throw revoked('the account changed again; log in again');
  return signToken(
    deps.config.JWT_SECRET,
    { role: p.role, sub: p.sub, regionId: p.regionId, marketId: p.marketId, credentialVersion },
    deps.config.STAFF_TOKEN_TTL_SECONDS,
    deps.clock.now().getTime(),
  );
}
