import type { Knex } from 'knex';
import { createHash, randomBytes } from 'node:crypto';
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../api/core/config';
import type { Deps } from '../../api/core/deps';
import { fixedClock, systemClock, type Clock } from '../../api/core/clock';
import { createLogger, type Logger } from '../../api/core/logger';
import { signToken } from '../../api/auth/jwt';
import type { Principal } from '../../api/auth/principal';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** What a test may change about the app it runs: the clock, settings of the config, the log. */
export interface TestSetup {
  clock?: Clock;
  config?: Partial<Config>;
  logger?: Logger;
}

const isClock = (o: Clock | TestSetup): o is Clock => typeof (o as Clock).now === 'function';

/** The deps a test's app and jobs run on: its database, a silent log, the system clock and the
 * test config unless told (testDeps(knex, clock) or testDeps(knex, { clock, config, logger })). */
export function testDeps(knex: Knex, setup: Clock | TestSetup = {}): Deps {
  const { clock = systemClock, config = {}, logger } = isClock(setup) ? { clock: setup } : setup;
  const base = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  return {
    knex: withMintedAccounts(knex),
    config: { ...base, ...config },
    clock,
    logger: logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  };
}

/** The product's own app (api/app.ts's createApp, every router and the one error handler) on
 * testDeps: a test checks the routes as they are served, never a copy of their mounting. */
export function testApp(knex: Knex, setup: Clock | TestSetup = {}) {
  const deps = testDeps(knex, setup);
  return { app: createApp(deps), deps };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A staff token's subject must be a user id: a test's made-up one ('officer-1') becomes a uuid
 * (one per role: tests give an admin and an auditor the same made-up one). */
export const userIdFor = (sub: string, role: string) => {
  if (UUID.test(sub)) return sub;
  const h = createHash('sha256').update(`test-user:${role}:${sub}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

// Staff principals minted by tokenFor that may have no account yet (a test names a role and a
// scope, not a user). The auth middleware requires an account that is active and at the token's
// credential version, so before the app next reads the users table through testDeps' knex they
// get one, at version 1. An account that exists is never touched: switching it off or changing
// its password still revokes its tokens.
const unminted: Principal[] = [];
const minted = new Set<string>();

/** Tokens carry the credential version of a principal never changed since, unless told. */
export function tokenFor(p: Principal, nowMs = Date.now()): string {
  const sub = p.role === 'terminal' ? p.sub : userIdFor(p.sub, p.role);
  if (p.role !== 'terminal' && !minted.has(sub)) {
    minted.add(sub);
    unminted.push({ ...p, sub });
  }
  return signToken(TEST_SECRET, { credentialVersion: 1, ...p, sub }, 3600, nowMs).token;
}

async function mintAccounts(knex: Knex): Promise<void> {
  for (const p of unminted.splice(0)) {
    try {
      await knex.raw(
        'insert into users (id, username, password_hash, role, region_id, market_id, display_name) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
        [
          p.sub,
          `tok-${randomBytes(6).toString('hex')}`,
          'no-password',
          p.role,
          p.regionId ?? null,
          p.marketId ?? null,
          `Uji ${p.role}`,
        ],
      );
    } catch {
      // a scope no account can have (a market that does not exist): the token stays without one
    }
  }
}

/** knex, except that a query on users first gives the tokens minted so far their accounts. */
function withMintedAccounts(knex: Knex): Knex {
  return new Proxy(knex, {
    apply(target, thisArg, args) {
      const builder = Reflect.apply(target, thisArg, args);
      if (args[0] !== 'users' || !unminted.length) return builder;
      const run = builder.then.bind(builder);
      // biome-ignore lint/suspicious/noThenProperty: the builder is a thenable; minting accounts runs before it settles
      builder.then = (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) =>
        mintAccounts(target).then(() => run(ok, fail));
      return builder;
    },
  });
}

export { fixedClock };
