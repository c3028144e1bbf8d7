// Issue 13: the schedule and its job claims survive the database going away. A tick that finds
// no database logs and waits for the next one (it never rejects: an unhandled rejection would end
// the API process), and a claim whose release failed with the database is not left blocking its
// job until it goes stale.
import { Writable } from 'node:stream';
import { freshDb, type TestDb } from '../support/db';
import { testDeps } from '../support/app';
import * as make from '../support/make';
import { withClaim } from '../../jobs/claims';
import { startSchedule } from '../../jobs/schedule';
import { createKnex } from '../../db/knex';
import { createLogger } from '../../api/core/logger';
import { freePort } from '../../db/embedded';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(4);
});
afterAll(() => t.drop());

test('a schedule tick with the database away logs the failure and does not reject', async () => {
  // Nothing listens on this port: every connect is refused.
  const knex = createKnex(`postgres://postgres:x@127.0.0.1:${await freePort()}/none`, 2, createLogger('silent'));
  const lines: { msg: string; job?: string }[] = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const deps = { ...testDeps(knex), logger: createLogger('info', sink) };
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  const schedule = startSchedule(deps);
  try {
    const deadline = Date.now() + 15_000;
    while (lines.filter((l) => /tick failed/.test(l.msg)).length < 4 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(lines.filter((l) => /tick failed/.test(l.msg)).map((l) => l.job)).toEqual([
      'assess',
      'reconcile',
      'daily-reports',
      'month-end',
    ]);
    expect(rejections).toEqual([]);
  } finally {
    schedule.stop();
    process.off('unhandledRejection', onRejection);
    await knex.destroy();
  }
});

test('a claim whose release failed with the database is this instance’s to take again at once', async () => {
  const r = await make.region(t.knex);
  const deps = testDeps(t.knex);
  // The database goes away while the job runs: its statement fails, and so would the release.
  const lost = Object.assign(new Error('terminating connection due to unexpected postmaster exit'), { code: '57P01' });
  await expect(
    withClaim(deps, 'assess', r.id, '2026-12-01', async () => {
      await t.knex.destroy();
      throw lost;
    }),
  ).rejects.toBe(lost);
  t.knex.initialize();
  const left = await t
    .knex('job_runs')
    .where({ job: 'assess', region_id: r.id, period: '2026-12-01' })
    .first('error', 'finished_at');
  expect(left).toEqual({ error: null, finished_at: null }); // claimed, never released
  // The next tick on this instance runs it, instead of waiting 15 minutes for the claim to go stale.
  expect(await withClaim(deps, 'assess', r.id, '2026-12-01', async () => 'ok')).toEqual({ ran: true, result: 'ok' });
  // A claim of another instance, still fresh, is left alone.
  await t.knex('job_runs').insert({ job: 'assess', region_id: r.id, period: '2026-12-02', claimed_by: 'elsewhere:1' });
  expect(await withClaim(deps, 'assess', r.id, '2026-12-02', async () => 'ok')).toEqual({
    ran: false,
    reason: 'claimed-elsewhere',
  });
});
