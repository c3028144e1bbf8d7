// Login attempts are limited per account (username or terminal id) and per client address, in a
// fixed window: the first attempt opens it, and when it has passed the count starts again, so the
// limiter can slow an account down for at most one window, never lock it for good. The counts live
// in PostgreSQL (table login_attempts, one row per kind and key) because every API instance
// behind the load balancer must see the same ones.
//
// An account's attempts are counted before the password is checked, so a burst of parallel
// guesses at one account cannot slip past its limit; over the limit the password is not even
// checked (a right one is refused too, or guessing would go on). A successful login clears the
// account's count. An address counts only its failures: a market's thirty terminals behind one
// carrier NAT all logging in at six in the morning are thirty successes, not an attack.
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';
import * as repo from './login-attempts.repository';

export type { AttemptKind } from './login-attempts.repository';

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too-many-attempts', `too many login attempts; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

/** The key an address is counted by: IPv6 clients per /64, what one subscriber usually holds. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export interface Attempt {
  /** Call after a successful login. */
  succeeded(): Promise<void>;
  /** Call after a wrong password, unknown account or switched-off principal. */
  failed(): Promise<void>;
}

export async function beginAttempt(
  deps: Deps,
  kind: repo.AttemptKind,
  account: string,
  address: string,
): Promise<Attempt> {
  const { LOGIN_MAX_ATTEMPTS, LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_SECONDS: windowSeconds } = deps.config;
  const now = deps.clock.now();
  const opened = new Date(now.getTime() - windowSeconds * 1000);
  const rows = await repo.countAttempt(deps.knex, kind, account, address, now, opened);
  // The address's row holds its failures so far: this attempt would be one more.
  const over = rows.filter(
    (r) => r.attempts > (r.kind === 'address' ? LOGIN_MAX_ATTEMPTS_PER_ADDRESS : LOGIN_MAX_ATTEMPTS),
  );
  if (Math.random() < 0.01)
    void repo.sweepPassed(deps.knex, opened).catch((err) => deps.logger.warn({ err }, 'login attempts sweep failed'));
  if (over.length) {
    const until = Math.max(...over.map((r) => r.window_start.getTime() + windowSeconds * 1000));
    throw new TooManyAttempts(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  return {
    succeeded: () => repo.clearAccount(deps.knex, kind, account),
    failed: () => repo.countAddressFailure(deps.knex, address, now, opened),
  };
}
