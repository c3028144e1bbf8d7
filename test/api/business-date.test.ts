import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp, testDeps, fixedClock } from '../support/app';
import { cardScenario } from '../support/scenario';
import { postCard } from '../support/pay';
import { assessJob } from '../../jobs/assess';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const AT = '2026-11-23T16:30:00Z';

test('a card read at 16:30 UTC falls on the next business day in Banjar (WITA) but not in Magelang (WIB)', async () => {
  const clock = fixedClock('2026-11-23T16:31:00Z');
  const banjar = await cardScenario(t.knex, { timeZone: 'Asia/Makassar', nowMs: clock.now().getTime() });
  const magelang = await cardScenario(t.knex, { timeZone: 'Asia/Jakarta', nowMs: clock.now().getTime() });
  const { app } = testApp(t.knex, clock);
  const pay = (s: typeof banjar) => postCard(app, s, { paidAt: AT });
  expect((await pay(banjar)).body.businessDate).toBe('2026-11-24');
  expect((await pay(magelang)).body.businessDate).toBe('2026-11-23');
});

test("at 16:30 UTC the daily assessment makes Banjar's Tuesday and Magelang's Monday", async () => {
  const banjar = await cardScenario(t.knex, { timeZone: 'Asia/Makassar' });
  const magelang = await cardScenario(t.knex, { timeZone: 'Asia/Jakarta' });
  const deps = testDeps(t.knex, fixedClock(AT));
  const [b] = await assessJob(deps, { region: banjar.region.code });
  const [m] = await assessJob(deps, { region: magelang.region.code });
  expect([b.businessDate, b.created]).toEqual(['2026-11-24', 1]);
  expect([m.businessDate, m.created]).toEqual(['2026-11-23', 1]);
});

test('the collector list shows the stall unpaid before midnight and the new day after it', async () => {
  const clock = fixedClock('2026-11-23T15:59:00Z'); // 23:59 WITA
  const banjar = await cardScenario(t.knex, { timeZone: 'Asia/Makassar', nowMs: clock.now().getTime() });
  const deps = testDeps(t.knex, clock);
  await assessJob(deps, { region: banjar.region.code });
  const { app } = testApp(t.knex, clock);
  const list = () =>
    request(app)
      .get(`/api/v1/markets/${banjar.market.id}/stalls`)
      .set('Authorization', `Bearer ${banjar.terminalToken}`);
  const before = await list();
  expect(before.body.businessDate).toBe('2026-11-23');
  expect(before.body.stalls[0].today).toEqual({ status: 'unpaid', amount: '3000.00', open: '3000.00' });
  clock.set('2026-11-23T16:01:00Z'); // 00:01 WITA
  const after = await list();
  expect(after.body.businessDate).toBe('2026-11-24');
  expect(after.body.stalls[0]).toMatchObject({
    today: { status: 'not-assessed' },
    outstanding: '3000.00',
    openDays: 1,
  });
});
