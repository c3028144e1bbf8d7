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

async function setup(config: { BATCH_RUN_MAX?: number } = {}) {
  const s = await cardScenario(t.knex);
  const { app, deps } = testApp(t.knex, { config });
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

const transactions = async (regionId: string) =>
  (await t.knex.raw(`select count(distinct xmin::text)::int as n from payments where region_id = ?`, [regionId]))
    .rows[0].n;

test('an upload is posted set-based, in order: one transaction per run of BATCH_RUN_MAX items', async () => {
  const s = await setup({ BATCH_RUN_MAX: 4 });
  // Rp 1.000 each against three open days of Rp 3.000: ten payments settle them in order, the
  // last one becomes credit.
  const items = Array.from({ length: 10 }, (_, i) =>
    cardBody(s, { amount: '1000', paidAt: `2026-11-04T01:${String(i).padStart(2, '0')}:00Z` }),
  );
  const res = await s.upload(items);
  expect(res.body.results.map((r: { status: number }) => r.status)).toEqual(Array(10).fill(201));
  const answers = res.body.results.map((r: { body: { allocations: { businessDate: string }[]; credit: string } }) => [
    r.body.allocations.map((a) => a.businessDate).join(','),
    r.body.credit,
  ]);
  expect(answers).toEqual([
    ...['2026-11-02', '2026-11-02', '2026-11-02', '2026-11-03', '2026-11-03', '2026-11-03'].map((d) => [d, '0.00']),
    ...['2026-11-04', '2026-11-04', '2026-11-04'].map((d) => [d, '0.00']),
    ['', '1000.00'],
  ]);
  expect(res.body.results.map((r: { body: { receipt: { serial: number } } }) => r.body.receipt.serial)).toEqual(
    Array.from({ length: 10 }, (_, i) => i + 1),
  );
  expect(res.body.results.map((r: { body: { creditBalance: string } }) => r.body.creditBalance).at(-1)).toBe('1000.00');
  expect(await transactions(s.region.id)).toBe(3); // 4 + 4 + 2
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('the same payment twice in one upload is recorded once; the same key with another body is a conflict', async () => {
  const s = await setup();
  const a = cardBody(s, { amount: '3000' });
  const b = cardBody(s, { amount: '2000' });
  const res = await s.upload([a, b, a, { ...b, amount: '2500' }, cardBody(s, { amount: '1000' })]);
  expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 200, 409, 201]);
  expect(res.body.results[2].body).toEqual(res.body.results[0].body);
  expect(res.body.results[3].error).toMatchObject({ code: 'idempotency-conflict' });
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('3');
  // Split where a key comes again: [a, b], then [a, b', c]
  expect(await transactions(s.region.id)).toBe(2);
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});
