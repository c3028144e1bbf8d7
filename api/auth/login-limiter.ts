// Login attempts are limited per account (username or terminal id) and per client address, in a
// fixed window: the first attempt opens it, and when it has passed the count starts again, so the
// limiter can slow an account down for at most one window, never lock it for good. The counts live
// in PostgreSQL (table login_attempts, one row per kind and key) because every API instance
// behind the load balancer must see the same ones.
//
// Each attempt is counted before the password is checked, in one statement for both rows, so a
// burst of parallel guesses cannot slip past the limit; over the limit the password is not even
// checked (a right one is refused too, or guessing would go on). A successful login clears the
// account's count and takes its own attempt back from the address's.
import type { Request } from 'express';
import type { Knex } from 'knex';
import type { Deps } from '../deps';
import { AppError } from '../errors';

export type AttemptKind = 'user' | 'terminal';

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too-many-attempts', `too many login attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
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
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface Attempt {
  /** Call after a successful login. */
  succeeded(): Promise<void>;
}

export async function beginAttempt(deps: Deps, kind: AttemptKind, account: string, address: string): Promise<Attempt> {
  const { LOGIN_MAX_ATTEMPTS, LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_SECONDS: windowSeconds } = deps.config;
  const now = deps.clock.now();
  const opened = new Date(now.getTime() - windowSeconds * 1000);
  const { rows } = await deps.knex.raw<{ rows: { kind: string; window_start: Date; attempts: number }[] }>(
    `insert into login_attempts as a (kind, key, window_start, attempts) values (?, ?, ?, 1), ('address', ?, ?, 1)
     on conflict (kind, key) do update set
       window_start = case when a.window_start <= ? then excluded.window_start else a.window_start end,
       attempts = case when a.window_start <= ? then 1 else a.attempts + 1 end
     returning kind, window_start, attempts`,
    [kind, account, now, address, now, opened, opened],
  );
  const over = rows.filter((r) => r.attempts > (r.kind === 'address' ? LOGIN_MAX_ATTEMPTS_PER_ADDRESS : LOGIN_MAX_ATTEMPTS));
  if (Math.random() < 0.01) void sweep(deps.knex, opened).catch((err) => deps.logger.warn({ err }, 'login attempts sweep failed'));
  if (over.length) {
    const until = Math.max(...over.map((r) => r.window_start.getTime() + windowSeconds * 1000));
    throw new TooManyAttempts(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  return {
    succeeded: async () => {
      await deps.knex.raw(
        `with cleared as (delete from login_attempts where kind = ? and key = ?)
         update login_attempts set attempts = greatest(attempts - 1, 0) where kind = 'address' and key = ?`,
        [kind, account, address],
      );
    },
  };
}

/** Rows whose window has passed say nothing any more. */
function sweep(knex: Knex, opened: Date) {
  return knex('login_attempts').where('window_start', '<=', opened).delete();
}
