import type { Knex } from 'knex';
import { createApp } from '../../api/app';
import { loadConfig } from '../../api/config';
import type { Deps } from '../../api/deps';
import { fixedClock, systemClock, Clock } from '../../api/shared/clock';
import { createLogger } from '../../api/shared/logger';
import { signToken } from '../../api/auth/jwt';
import type { Principal } from '../../api/auth/principal';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testDeps(knex: Knex, clock: Clock = systemClock): Deps {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  return { knex, config, clock, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') };
}

export function testApp(knex: Knex, clock: Clock = systemClock) {
  const deps = testDeps(knex, clock);
  return { app: createApp(deps), deps };
}

export function tokenFor(p: Principal, nowMs = Date.now()): string {
  return signToken(TEST_SECRET, p, 3600, nowMs).token;
}

export { fixedClock };
