// Login attempts per (kind, key): an account (kind user or terminal, key its username or id) or a
// client address (kind address). One row each, its window opened by the first attempt in it.
import type { Db } from '../../db/knex';

export type AttemptKind = 'user' | 'terminal';

export interface AttemptCount {
  kind: string;
  window_start: Date;
  attempts: number;
}

/** One more attempt on a (kind, key) row, in a window opened by its first attempt. */
const UPSERT = `insert into login_attempts as a (kind, key, window_start, attempts) values (?, ?, ?, 1)
     on conflict (kind, key) do update set
       window_start = case when a.window_start <= ? then excluded.window_start else a.window_start end,
       attempts = case when a.window_start <= ? then 1 else a.attempts + 1 end`;

/**
 * Counts this attempt on the account and reads the address's failures in the window, in one
 * statement. The address's row comes back with one more than its failures so far: this attempt
 * would be one more. `opened`: windows that started at or before it have passed.
 */
export async function countAttempt(
  db: Db,
  kind: AttemptKind,
  account: string,
  address: string,
  now: Date,
  opened: Date,
): Promise<AttemptCount[]> {
  const { rows } = await db.raw<{ rows: AttemptCount[] }>(
    `with account as (
       ${UPSERT} returning kind, window_start, attempts)
     select kind, window_start, attempts from account
     union all
     select kind, window_start, attempts + 1 from login_attempts where kind = 'address' and key = ? and window_start > ?`,
    [kind, account, now, opened, opened, address, opened],
  );
  return rows;
}

/** A successful login clears the account's count. */
export async function clearAccount(db: Db, kind: AttemptKind, account: string): Promise<void> {
  await db.raw('delete from login_attempts where kind = ? and key = ?', [kind, account]);
}

/** One more failure of the address. */
export async function countAddressFailure(db: Db, address: string, now: Date, opened: Date): Promise<void> {
  await db.raw(UPSERT, ['address', address, now, opened, opened]);
}

/** Rows whose window has passed say nothing any more. */
export async function sweepPassed(db: Db, opened: Date): Promise<void> {
  await db('login_attempts').where('window_start', '<=', opened).delete();
}
