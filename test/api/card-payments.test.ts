import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario, cardBody, ledgerBalanced } from '../support/scenario';
import { waitForLockWaiters } from '../support/wait';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';
import { createLogger } from '../../api/core/logger';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(20);
});
afterAll(() => t.drop());

async function setup(o: { areaM2?: string; rate?: string } = {}) {
  const s = await cardScenario(t.knex, o);
  const { app, deps } = testApp(t.knex);
  const today = businessDate(new Date(), 'Asia/Jakarta');
  return { ...s, app, deps, today };
}

const post = (app: Parameters<typeof request>[0], token: string, body: unknown) =>
  request(app)
    .post('/api/v1/payments/card')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);

test('a card payment settles the open assessment and returns a verifiable receipt', async () => {
  const s = await setup();
  await assessDay(s.deps, s.region.code, s.today); // 6 m² x Rp 500 = Rp 3.000
  const res = await post(s.app, s.terminalToken, cardBody(s, { amount: '3000' }));
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    stallId: s.stall.id,
    traderId: s.trader.id,
    amount: '3000.00',
    businessDate: s.today,
    receipt: { serial: 1, code: expect.stringMatching(/^[0-9A-Z]{16}$/) },
    allocations: [{ businessDate: s.today, amount: '3000.00' }],
    credit: '0.00',
    creditBalance: '0.00',
  });
  expect(res.body.receipt.verifyUrl).toBe(`http://localhost:3000/receipts/${res.body.receipt.code}`);
  const verify = await request(s.app).get(`/receipts/${res.body.receipt.code}`).set('Accept', 'application/json');
  expect(verify.status).toBe(200);
  expect(verify.body).toMatchObject({
    genuine: true,
    status: 'valid',
    amount: '3000.00',
    serial: '1',
    days: [{ businessDate: s.today, amount: '3000.00' }],
  });
  const html = await request(s.app).get(`/receipts/${res.body.receipt.code}`);
  expect(html.text).toContain('ASLI');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('the same clientTxnId twice records one payment and returns the same body', async () => {
  const s = await setup();
  const body = cardBody(s, { amount: '5000' });
  const first = await post(s.app, s.terminalToken, body);
  const second = await post(s.app, s.terminalToken, body);
  expect(first.status).toBe(201);
  expect(second.status).toBe(200);
  expect(second.body).toEqual(first.body);
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('1');
});

test('the same clientTxnId with another amount is 409 idempotency-conflict', async () => {
  const s = await setup();
  const body = cardBody(s, { amount: '5000' });
  await post(s.app, s.terminalToken, body);
  const res = await post(s.app, s.terminalToken, { ...body, amount: '6000' });
  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe('idempotency-conflict');
});

test('an RRN already recorded for the acquirer that day is 409 duplicate-payment', async () => {
  const s = await setup();
  const a = cardBody(s, { rrn: '000000777777' });
  await post(s.app, s.terminalToken, a);
  const res = await post(s.app, s.terminalToken, cardBody(s, { rrn: '000000777777' }));
  expect(res.status).toBe(409);
  expect(res.body.error).toMatchObject({ code: 'duplicate-payment', details: { field: 'card.rrn' } });
});

test('64 concurrent payments against one stall allocate oldest first with no lost update', async () => {
  const s = await setup();
  // Ten open days of Rp 3.000, then 64 payments of Rp 1.000 at once: Rp 30.000 settles the ten
  // days exactly and Rp 34.000 becomes credit.
  for (let d = 1; d <= 10; d++) await assessDay(s.deps, s.region.code, `2026-10-${String(d).padStart(2, '0')}`);
  const bodies = Array.from({ length: 64 }, () => cardBody(s, { amount: '1000' }));
  const results = await Promise.all(bodies.map((b) => post(s.app, s.terminalToken, b)));
  expect(results.map((r) => r.status)).toEqual(Array(64).fill(201));
  const open = await t.knex('assessments').where({ stall_id: s.stall.id }).sum('open_amount as open').first();
  expect(open?.open).toBe('0.00');
  const allocated = await t
    .knex('allocations')
    .join('assessments', 'assessments.id', 'allocations.assessment_id')
    .where('assessments.stall_id', s.stall.id)
    .sum('allocations.amount as s')
    .first();
  expect(allocated?.s).toBe('30000.00');
  const credit = await t.knex('payments').where({ stall_id: s.stall.id }).sum('credit_amount as c').first();
  expect(credit?.c).toBe('34000.00');
  const serials = results.map((r) => r.body.receipt.serial).sort((a, b) => a - b);
  expect(serials).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('an overpayment becomes credit that the next assessment consumes', async () => {
  const s = await setup();
  await assessDay(s.deps, s.region.code, '2026-09-01');
  const res = await post(s.app, s.terminalToken, cardBody(s, { amount: '7000', paidAt: '2026-09-01T02:00:00Z' }));
  expect(res.body).toMatchObject({
    allocations: [{ businessDate: '2026-09-01', amount: '3000.00' }],
    credit: '4000.00',
    creditBalance: '4000.00',
  });
  const r2 = await assessDay(s.deps, s.region.code, '2026-09-02');
  expect(r2).toMatchObject({ created: 1, creditApplied: 1 });
  const day2 = await t.knex('assessments').where({ stall_id: s.stall.id, business_date: '2026-09-02' }).first();
  expect(day2.open_amount).toBe('0.00');
  const r3 = await assessDay(s.deps, s.region.code, '2026-09-03');
  expect(r3.creditApplied).toBe(1);
  const day3 = await t.knex('assessments').where({ stall_id: s.stall.id, business_date: '2026-09-03' }).first();
  expect(day3.open_amount).toBe('2000.00'); // Rp 1.000 of credit was left for day 3
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a full PAN is refused with 422 and nothing is stored', async () => {
  const s = await setup();
  const res = await post(s.app, s.terminalToken, cardBody(s, { maskedPan: '5221840012341234' }));
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'full-pan-refused', details: { field: 'card.maskedPan' } });
  expect(JSON.stringify(res.body)).not.toContain('5221840012341234');
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n').first();
  expect(n?.n).toBe('0');
});

test('a full PAN never reaches the log, even when the request fails', async () => {
  const s = await setup();
  const lines: string[] = [];
  const { app } = testApp(t.knex, { logger: createLogger('trace', { write: (l: string) => void lines.push(l) }) });
  await post(app, s.terminalToken, cardBody(s, { maskedPan: '4111111111111111' }));
  await post(app, s.terminalToken, { ...cardBody(s, { maskedPan: '4111111111111111' }), amount: 'bad' });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).not.toContain('4111111111111111');
});

test('only response code 00 is recorded', async () => {
  const s = await setup();
  const res = await post(s.app, s.terminalToken, cardBody(s, { responseCode: '51' }));
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'not-approved', details: { field: 'card.responseCode' } });
});

test("a TID that is not the terminal's is refused", async () => {
  const s = await setup();
  const res = await post(s.app, s.terminalToken, cardBody(s, { tid: '99999999' }));
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'tid-mismatch', details: { field: 'card.tid' } });
});

test.each([
  ['amount', { amount: 15000 }, 'amount'],
  ['amount', { amount: '-5' }, 'amount'],
  ['amount', { amount: '10.005' }, 'amount'],
  ['amount', { amount: 'lots' }, 'amount'],
  ['paidAt', { paidAt: '2026-11-23 08:00' }, 'paidAt'],
  ['stallId', { stallId: 'not-a-uuid' }, 'stallId'],
  ['an unknown field', { extra: 1 }, 'extra'],
])('bad input (%s) gets a 400 naming the field', async (_what, patch, field) => {
  const s = await setup();
  const res = await post(s.app, s.terminalToken, { ...cardBody(s), ...patch });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid-input');
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
});

test('a bad RRN inside card is named as card.rrn', async () => {
  const s = await setup();
  const body = cardBody(s);
  const res = await post(s.app, s.terminalToken, { ...body, card: { ...body.card, rrn: '12' } });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('card.rrn');
});

test("a payment for a stall of another market of the region is 403, another region's stall 404", async () => {
  const s = await setup();
  const otherMarket = await make.market(t.knex, s.region.id);
  const stall = await make.stall(t.knex, s.region.id, otherMarket.id);
  const res = await post(s.app, s.terminalToken, cardBody({ stall, terminal: s.terminal }));
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('stall-outside-scope');
  const other = await setup();
  const res2 = await post(s.app, s.terminalToken, cardBody({ stall: other.stall, terminal: s.terminal }));
  expect(res2.status).toBe(404);
  expect(res2.body.error.code).toBe('stall-not-found');
});

test('paidAt is kept apart from the time it was recorded', async () => {
  const s = await setup();
  const res = await post(s.app, s.terminalToken, cardBody(s, { paidAt: '2026-11-20T01:02:03+07:00' }));
  expect(res.status).toBe(201);
  expect(res.body.paidAt).toBe('2026-11-19T18:02:03.000Z');
  expect(res.body.businessDate).toBe('2026-11-20');
  expect(new Date(res.body.recordedAt).getTime()).toBeGreaterThan(new Date('2026-11-21').getTime());
});

test('an unknown receipt code is 404 and a malformed one does not hit the database', async () => {
  const s = await setup();
  expect((await request(s.app).get('/receipts/0000000000000000')).status).toBe(404);
  expect((await request(s.app).get("/receipts/'%20or%201=1")).status).toBe(404);
});

test("a payment on one stall does not wait for another stall's payment in the same market", async () => {
  const s = await setup();
  const stallB = await make.stall(t.knex, s.region.id, s.market.id);
  const traderB = await make.trader(t.knex, s.region.id);
  await make.tenancy(t.knex, s.region.id, stallB.id, traderB.id);
  const trx = await t.knex.transaction();
  try {
    // Hold stall A's lock as a slow in-flight payment would.
    await trx.raw('select id from stalls where region_id = ? and id = ? for no key update', [s.region.id, s.stall.id]);
    const onB = await post(s.app, s.terminalToken, cardBody({ stall: stallB, terminal: s.terminal }));
    expect(onB.status).toBe(201);
    let onADone = false;
    const onA = post(s.app, s.terminalToken, cardBody(s)).then((r) => {
      onADone = true;
      return r;
    });
    await waitForLockWaiters(t.knex, 1); // the same stall does wait: that is the allocation's serialisation
    expect(onADone).toBe(false);
    await trx.commit();
    expect((await onA).status).toBe(201);
  } finally {
    if (!trx.isCompleted()) await trx.rollback();
  }
});
