import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import { cardScenario, cardBody, ledgerBalanced } from '../support/scenario';
import { assessDay } from '../../api/assessments/assessment.service';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

async function setup() {
  const s = await cardScenario(t.knex);
  const { app, deps } = testApp(t.knex);
  for (const d of ['2026-11-02', '2026-11-03', '2026-11-04']) await assessDay(deps, s.region.code, d);
  const upload = (payments: unknown[]) =>
    request(app).post('/api/v1/payments/batch').set('Authorization', `Bearer ${s.terminalToken}`).send({ payments });
  return { ...s, upload };
}

test('an offline batch is recorded in order with the times the cards were read', async () => {
  const s = await setup();
  const items = [
    cardBody(s, { amount: '3000', paidAt: '2026-11-04T01:00:00Z' }),
    cardBody(s, { amount: '3000', paidAt: '2026-11-04T01:05:00Z' }),
    cardBody(s, { amount: '1000', paidAt: '2026-11-04T01:10:00Z' }),
  ];
  const res = await s.upload(items);
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: { index: number; status: number }) => [r.index, r.status])).toEqual([
    [0, 201],
    [1, 201],
    [2, 201],
  ]);
  const days = res.body.results.map((r: { body: { allocations: { businessDate: string }[] } }) =>
    r.body.allocations.map((a) => a.businessDate),
  );
  expect(days).toEqual([['2026-11-02'], ['2026-11-03'], ['2026-11-04']]);
  expect(res.body.results.map((r: { body: { paidAt: string } }) => r.body.paidAt)).toEqual([
    '2026-11-04T01:00:00.000Z',
    '2026-11-04T01:05:00.000Z',
    '2026-11-04T01:10:00.000Z',
  ]);
  expect(res.body.results.map((r: { body: { receipt: { serial: number } } }) => r.body.receipt.serial)).toEqual([
    1, 2, 3,
  ]);
});

test('uploading the same batch twice records each payment once and answers as the first time', async () => {
  const s = await setup();
  const items = [cardBody(s, { amount: '3000' }), cardBody(s, { amount: '2000' })];
  const first = await s.upload(items);
  const again = await s.upload(items);
  expect(again.body.results.map((r: { status: number }) => r.status)).toEqual([200, 200]);
  expect(again.body.results.map((r: { body: unknown }) => r.body)).toEqual(
    first.body.results.map((r: { body: unknown }) => r.body),
  );
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('2');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a refused item is reported in its place and the others are recorded', async () => {
  const s = await setup();
  const dup = cardBody(s, { rrn: '000000123456' });
  const res = await s.upload([dup, cardBody(s, { rrn: '000000123456' }), cardBody(s)]);
  expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409, 201]);
  expect(res.body.results[1].error).toMatchObject({ code: 'duplicate-payment' });
});

test('a malformed item rejects the whole upload with its index and field, and writes nothing', async () => {
  const s = await setup();
  const bad = { ...cardBody(s), amount: 'lots' };
  const res = await s.upload([cardBody(s), bad]);
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('payments.1.amount');
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('0');
});

test('a full PAN anywhere in a batch is refused before anything is recorded', async () => {
  const s = await setup();
  const res = await s.upload([cardBody(s), cardBody(s, { maskedPan: '4111111111111111' })]);
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'payments.1.card.maskedPan' } });
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('0');
});
