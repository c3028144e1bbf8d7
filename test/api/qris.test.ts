import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario, cardBody, ledgerBalanced } from '../support/scenario';
import { notify, paidBody, QRIS_SECRET } from '../support/qris';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';
import { decodeQris } from '../../api/qris/codec/qris-codec';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(30);
});
afterAll(() => t.drop());

async function setup() {
  const s = await cardScenario(t.knex);
  const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  const { app, deps } = testApp(t.knex);
  await assessDay(deps, s.region.code, businessDate(new Date(), 'Asia/Jakarta')); // Rp 3.000 due today
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${s.terminalToken}`);
  const intent = (body: object = { stallId: s.stall.id }) => auth(request(app).post('/api/v1/qris')).send(body);
  const poll = (id: string) => auth(request(app).get(`/api/v1/qris/${id}`));
  const count = async (table: string) =>
    Number((await t.knex(table).where({ region_id: s.region.id }).count('* as n').first())?.n);
  return { ...s, qris, app, deps, auth, intent, poll, count };
}

test('a QRIS intent defaults to what the stall owes and its payload decodes to that amount and reference', async () => {
  const s = await setup();
  const res = await s.intent();
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    stallId: s.stall.id,
    amount: '3000.00',
    status: 'pending',
    reference: expect.stringMatching(/^RP[0-9A-Z]{12}$/),
  });
  expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
  expect(res.body.image).toMatch(/^data:image\/png;base64,/);
  const decoded = decodeQris(res.body.payload);
  expect(decoded.pointOfInitiation).toBe('dynamic');
  expect(decoded.amount).toBe('3000');
  expect(decoded.additionalData.referenceLabel).toBe(res.body.reference);
  expect(decoded.nationalMerchant?.nmid).toBe('ID1023271450331');
});

test('an amount above Rp 10.000.000 is refused with the limit named', async () => {
  const s = await setup();
  const res = await s.intent({ stallId: s.stall.id, amount: '10000001' });
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'qris-limit', details: { field: 'amount', max: '10000000.00' } });
});

test('a new intent for the same stall supersedes the open one', async () => {
  const s = await setup();
  const first = await s.intent();
  await s.intent({ stallId: s.stall.id, amount: '5000' });
  expect((await s.poll(first.body.intentId)).body.status).toBe('superseded');
});

test('a signed notification marks the intent paid and the terminal sees it with its receipt', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const res = await notify(s.app, s.qris.code, paidBody(intent.reference, '3000'));
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'recorded', reference: intent.reference, amount: '3000.00', flags: [] });
  const seen = await s.poll(intent.intentId);
  expect(seen.body).toMatchObject({
    status: 'paid',
    paymentId: res.body.paymentId,
    receipt: { serial: 1 },
    allocations: [{ amount: '3000.00' }],
    credit: '0.00',
  });
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('unsigned, wrongly signed or stale notifications are 401, post nothing, and are archived', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const body = paidBody(intent.reference, '3000');
  const raw = JSON.stringify(body);
  const unsigned = await request(s.app)
    .post(`/api/v1/banks/${s.qris.code}/qris-notifications`)
    .set('content-type', 'application/json')
    .send(raw);
  const wrong = await notify(s.app, s.qris.code, body, { secret: 'not-the-secret-at-all' });
  const stale = await notify(s.app, s.qris.code, body, { timestamp: String(Math.floor(Date.now() / 1000) - 600) });
  expect([unsigned.status, wrong.status, stale.status]).toEqual([401, 401, 401]);
  expect([unsigned.body.error.code, wrong.body.error.code, stale.body.error.code]).toEqual([
    'missing-signature',
    'bad-signature',
    'stale-timestamp',
  ]);
  expect(await s.count('payments')).toBe(0);
  expect(await s.count('qris_notifications')).toBe(3);
  const archived = await t.knex('qris_notifications').where({ region_id: s.region.id }).first();
  expect(archived.raw_body).toBe(raw);
  await expect(t.knex('qris_notifications').where({ region_id: s.region.id }).del()).rejects.toThrow(/immutable/);
});

test('the same notification 20 times at once posts once and answers the same every time', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const body = paidBody(intent.reference, '3000');
  const answers = await Promise.all(Array.from({ length: 20 }, () => notify(s.app, s.qris.code, body)));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  expect(await s.count('payments')).toBe(1);
  expect(await s.count('qris_notifications')).toBe(20);
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a used RRN with different content is refused with 409, and the first payment stands', async () => {
  const s = await setup();
  const { body: first } = await s.intent();
  const body = paidBody(first.reference, '3000');
  await notify(s.app, s.qris.code, body);
  const { body: second } = await s.intent({ stallId: s.stall.id, amount: '5000' });
  const res = await notify(s.app, s.qris.code, { ...body, reference: second.reference, amount: '5000' });
  expect(res.status).toBe(409);
  expect(res.body.error).toMatchObject({ code: 'idempotency-conflict', details: { field: 'rrn' } });
  expect(await s.count('payments')).toBe(1);
  expect((await s.poll(second.intentId)).body.status).toBe('pending');
});

test('an amount different from the intent is recorded and flagged, not dropped', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const res = await notify(s.app, s.qris.code, paidBody(intent.reference, '2500'));
  expect(res.body).toMatchObject({ status: 'recorded', amount: '2500.00', flags: ['amount-mismatch'] });
  const flag = await t.knex('payment_flags').where({ region_id: s.region.id }).first();
  expect(flag).toMatchObject({ kind: 'amount-mismatch', details: { intentAmount: '3000.00', paidAmount: '2500.00' } });
});

test('a notification for an expired intent is still recorded, and flagged', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const late = new Date(Date.now() + 16 * 60_000).toISOString();
  const res = await notify(s.app, s.qris.code, paidBody(intent.reference, '3000', { paidAt: late }));
  expect(res.body).toMatchObject({ status: 'recorded', flags: ['intent-expired'] });
});

test('an unknown reference is archived and answered 404', async () => {
  const s = await setup();
  const res = await notify(s.app, s.qris.code, paidBody('RPUNKNOWN00000', '3000'));
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('unknown-reference');
  expect(await s.count('qris_notifications')).toBe(1);
  expect(await s.count('payments')).toBe(0);
});

test('card then QR for the same day ends with one paid day and a flagged credit', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  const card = await s.auth(request(s.app).post('/api/v1/payments/card')).send(cardBody(s, { amount: '3000' }));
  expect(card.body.allocations).toHaveLength(1);
  const qr = await notify(s.app, s.qris.code, paidBody(intent.reference, '3000'));
  expect(qr.body).toMatchObject({ status: 'recorded', flags: ['double-payment'] });
  const seen = await s.poll(intent.intentId);
  expect(seen.body).toMatchObject({ allocations: [], credit: '3000.00' });
  const paidDays = await t
    .knex('allocations')
    .where({ region_id: s.region.id })
    .where('amount', '>', 0)
    .count('* as n')
    .first();
  expect(paidDays?.n).toBe('1');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('QR then card for the same day: the card money becomes flagged credit', async () => {
  const s = await setup();
  const { body: intent } = await s.intent();
  await notify(s.app, s.qris.code, paidBody(intent.reference, '3000'));
  const card = await s.auth(request(s.app).post('/api/v1/payments/card')).send(cardBody(s, { amount: '3000' }));
  expect(card.body).toMatchObject({ allocations: [], credit: '3000.00', flags: ['double-payment'] });
});

test('a void by the terminal reopens the day, balances the journal and shows the receipt voided', async () => {
  const s = await setup();
  const card = await s.auth(request(s.app).post('/api/v1/payments/card')).send(cardBody(s, { amount: '5000' }));
  const voidIt = () =>
    s.auth(request(s.app).post(`/api/v1/payments/${card.body.paymentId}/void`)).send({ voidReference: 'VOID000123' });
  const res = await voidIt();
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    paymentId: card.body.paymentId,
    status: 'voided',
    reopened: [{ amount: '3000.00' }],
  });
  const again = await voidIt();
  expect(again.status).toBe(200);
  expect(again.body).toEqual(res.body);
  const outstanding = await s.auth(request(s.app).get(`/api/v1/stalls/${s.stall.id}/outstanding`));
  expect(outstanding.body).toMatchObject({ total: '3000.00', credit: '0.00' });
  const receipt = await request(s.app).get(`/receipts/${card.body.receipt.code}`).set('Accept', 'application/json');
  expect(receipt.body.status).toBe('voided');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
  const clearing = await t
    .knex('journal_lines as jl')
    .join('accounts as a', 'a.id', 'jl.account_id')
    .where({ 'jl.region_id': s.region.id, 'a.purpose': 'acquirer_clearing' })
    .sum({ d: 'jl.debit', c: 'jl.credit' })
    .first();
  expect([clearing?.d, clearing?.c]).toEqual(['5000.00', '5000.00']);
});

test("a void by another terminal is 403 and a past day's payment cannot be voided", async () => {
  const s = await setup();
  const other = await make.terminal(t.knex, s.region.id, s.market.id, s.acquirer.id);
  const card = await s
    .auth(request(s.app).post('/api/v1/payments/card'))
    .send(cardBody(s, { paidAt: new Date(Date.now() - 3 * 86400_000).toISOString() }));
  const { tokenFor } = await import('../support/app');
  const otherToken = tokenFor({
    role: 'terminal',
    sub: other.id,
    terminalId: other.id,
    regionId: s.region.id,
    marketId: s.market.id,
  });
  const byOther = await request(s.app)
    .post(`/api/v1/payments/${card.body.paymentId}/void`)
    .set('Authorization', `Bearer ${otherToken}`)
    .send({ voidReference: 'VOID000124' });
  expect(byOther.status).toBe(403);
  const late = await s
    .auth(request(s.app).post(`/api/v1/payments/${card.body.paymentId}/void`))
    .send({ voidReference: 'VOID000125' });
  expect(late.status).toBe(422);
  expect(late.body.error.code).toBe('void-window-closed');
});
