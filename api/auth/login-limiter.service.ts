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
import type { Request } from 'express';
import type { Knex } from 'knex';
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';

export type AttemptKind = 'user' | 'terminal';

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too-many-attempts', `too many login attempts; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

/** The client's address as Express sees it (X-Forwarded-For only as far as trust proxy allows).
 * IPv6 clients are counted per /64, what one subscriber usually holds. */
export function clientAddress(req: Request): string {
  return addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

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

export async function beginAttempt(deps: Deps, kind: AttemptKind, account: string, address: string): Promise<Attempt> {
  const { LOGIN_MAX_ATTEMPTS, LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_SECONDS: windowSeconds } = deps.config;
  const now = deps.clock.now();
  const opened = new Date(now.getTime() - windowSeconds * 1000);
  const { rows } = await deps.knex.raw<{ rows: { kind: string; window_start: Date; attempts: number }[] }>(
    `with account as (
       ${UPSERT} returning kind, window_start, attempts)
     select kind, window_start, attempts from account
     union all
     select kind, window_start, attempts + 1 from login_attempts where kind = 'address' and key = ? and window_start > ?`,
    [kind, account, now, opened, opened, address, opened],
  );
  // The address's row holds its failures so far: this attempt would be one more.
  const over = rows.filter(
    (r) => r.attempts > (r.kind === 'address' ? LOGIN_MAX_ATTEMPTS_PER_ADDRESS : LOGIN_MAX_ATTEMPTS),
  );
  if (Math.random() < 0.01)
    void sweep(deps.knex, opened).catch((err) => deps.logger.warn({ err }, 'login attempts sweep failed'));
  if (over.length) {
    const until = Math.max(...over.map((r) => r.window_start.getTime() + windowSeconds * 1000));
    throw new TooManyAttempts(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  return {
    succeeded: async () => {
      await deps.knex.raw('delete from login_attempts where kind = ? and key = ?', [kind, account]);
    },
    failed: async () => {
      await deps.knex.raw(UPSERT, ['address', address, now, opened, opened]);
    },
  };
}

/** One more attempt on a (kind, key) row, in a window opened by its first attempt. */
const UPSERT = `insert into login_attempts as a (kind, key, window_start, attempts) values (?, ?, ?, 1)
     on conflict (kind, key) do update set
       window_start = case when a.window_start <= ? then excluded.window_start else a.window_start end,
       attempts = case when a.window_start <= ? then 1 else a.attempts + 1 end`;

/** Rows whose window has passed say nothing any more. */
function sweep(knex: Knex, opened: Date) {
  return knex('login_attempts').where('window_start', '<=', opened).delete();
}
