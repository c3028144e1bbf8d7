// Waiting for a condition instead of sleeping for a guessed time: a test polls what it waits
// for, with a deadline, so it goes on as soon as the condition holds and says what never came.
import type { Knex } from 'knex';

/** Polls check until it holds or ms have passed; resolves to whether it held. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 3000, everyMs = 20): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
  return check();
}

/** Polls check until it holds; throws, naming what it waited for, after ms. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  if (!(await eventually(check, ms))) throw new Error(`${what}: not within ${ms} ms`);
}

/** Sessions of this test's database that wait on a lock right now. */
export async function lockWaiters(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

/** Waits until n sessions of this test's database wait on a lock. */
export async function waitForLockWaiters(knex: Knex, n: number, ms = 5000): Promise<void> {
  await waitFor(`${n} session(s) waiting on a lock`, async () => (await lockWaiters(knex)) >= n, ms);
}
