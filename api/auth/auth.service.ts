import type { Deps } from '../core/deps';
import { unauthorized } from '../core/errors';
import { signToken } from './jwt';
import { beginAttempt } from './login-limiter';
import { hashSecret, verifySecret } from './password';
import type { StaffRole } from './principal';

// Compared against when the user does not exist, so a wrong username takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** address: the client's, from clientAddress(req); attempts are limited per username and per address. */
export async function loginStaff(deps: Deps, username: string, password: string, address: string) {
  const attempt = await beginAttempt(deps, 'user', username.toLowerCase(), address);
  const user = await deps.knex('users').where({ username: username.toLowerCase() }).first();
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
  const terminal = await deps.knex('terminals').where({ id: terminalId }).first();
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
  return { ...signed, marketId: terminal.market_id as string, regionId: terminal.region_id as string };
}
