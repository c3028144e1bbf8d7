import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor, fixedClock } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { pay } from '../support/pay';
import { assessDay } from '../../api/assessments/assessment.service';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

test('outstanding lists the open days oldest first with what was paid, and the credit', async () => {
  const s = await cardScenario(t.knex);
  const clock = fixedClock('2026-11-05T03:00:00Z');
  const { app, deps } = testApp(t.knex, clock);
  for (const d of ['2026-11-03', '2026-11-04', '2026-11-05']) await assessDay(deps, s.region.code, d);
  await pay(app, s, { amount: '4000', paidAt: '2026-11-05T02:00:00Z' });
  const res = await request(app)
    .get(`/api/v1/stalls/${s.stall.id}/outstanding`)
    .set('Authorization', `Bearer ${s.terminalToken}`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    stallId: s.stall.id,
    businessDate: '2026-11-05',
    traderId: s.trader.id,
    traderName: s.trader.name,
    open: [
      {
        kind: 'principal',
        assessmentId: expect.any(String),
        businessDate: '2026-11-04',
        amount: '3000.00',
        paid: '1000.00',
        due: '2000.00',
      },
      {
        kind: 'principal',
        assessmentId: expect.any(String),
        businessDate: '2026-11-05',
        amount: '3000.00',
        paid: '0.00',
        due: '3000.00',
      },
    ],
    principal: '5000.00',
    penalty: '0.00',
    total: '5000.00',
    credit: '0.00',
  });
});

test("the market's stall list shows today's status, occupant and outstanding per stall", async () => {
  const s = await cardScenario(t.knex);
  const vacant = await make.stall(t.knex, s.region.id, s.market.id, { code: 'Z-99' });
  const clock = fixedClock('2026-11-05T03:00:00Z');
  const { app, deps } = testApp(t.knex, clock);
  await assessDay(deps, s.region.code, '2026-11-05');
  await pay(app, s, { amount: '3000', paidAt: '2026-11-05T02:00:00Z' });
  const manager = tokenFor({ role: 'manager', sub: 'm', regionId: s.region.id, marketId: s.market.id });
  const res = await request(app).get(`/api/v1/markets/${s.market.id}/stalls`).set('Authorization', `Bearer ${manager}`);
  expect(res.status).toBe(200);
  const byCode = Object.fromEntries(res.body.stalls.map((x: { code: string }) => [x.code, x]));
  expect(byCode[s.stall.code]).toMatchObject({
    stallId: s.stall.id,
    occupant: { traderId: s.trader.id },
    today: { status: 'paid' },
    outstanding: '0.00',
    credit: '0.00',
  });
  expect(byCode[vacant.code]).toMatchObject({ occupant: null, today: { status: 'not-assessed' }, outstanding: '0.00' });
});

test('an officer runs the assessment for a date over HTTP; running it again creates nothing', async () => {
  const s = await cardScenario(t.knex);
  const { app } = testApp(t.knex);
  const officer = await make.user(t.knex, 'officer', { regionId: s.region.id });
  const token = tokenFor({ role: 'officer', sub: officer.id, regionId: s.region.id });
  const run = () =>
    request(app)
      .post('/api/v1/assessments')
      .set('Authorization', `Bearer ${token}`)
      .send({ regionId: s.region.id, businessDate: '2026-10-01' });
  expect((await run()).body).toEqual({
    regionCode: s.region.code,
    businessDate: '2026-10-01',
    created: 1,
    creditApplied: 0,
    stallsWithoutTariff: 0,
  });
  expect((await run()).body.created).toBe(0);
  const bad = await request(app)
    .post('/api/v1/assessments')
    .set('Authorization', `Bearer ${token}`)
    .send({ regionId: s.region.id, businessDate: '2026-02-30' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('businessDate');
});
