// Penalties are payable (issue 16): one list of what a trader owes, principal and penalty, in the
// order the region sets, and every way of paying settles along it: the terminal's card payment,
// QRIS, the offline batch upload, and credit already held.
//
// Every case: a stall owing Rp 10.000 a day (10 m² x Rp 1.000), assessed on 2026-08-10 and
// 2026-09-10, HKPD 1% a month. A penalty run as of 2026-10-15 charges
//   08-10: months 1, 2, 3 (from 08-11, 09-11, 10-11) x Rp 100 = Rp 300
//   09-10: months 1, 2 (from 09-11, 10-11) x Rp 100          = Rp 200
// so Rp 20.000 principal and Rp 500 penalty are owed, Rp 20.500 in all.
//   oldest-month order: 08-10 principal 10.000, its penalty m1 m2 m3, 09-10 principal, its m1 m2
//   penalty-first order: 08-10 m1 m2 m3, 09-10 m1 m2, then principal 08-10, 09-10
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp } from '../support/app';
import * as make from '../support/make';
import { cardBody, cardScenario, ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import { notify, paidBody, QRIS_SECRET } from '../support/qris';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import { businessDate } from '../../api/core/time';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const NOW = '2026-10-15T03:00:00Z'; // 10:00 WIB

/** What is owed in the default order (oldest-month), an item a row: [date, kind, month or null, amount]. */
const OLDEST_MONTH = [
  ['2026-08-10', 'principal', null, '10000.00'],
  ['2026-08-10', 'penalty', 1, '100.00'],
  ['2026-08-10', 'penalty', 2, '100.00'],
  ['2026-08-10', 'penalty', 3, '100.00'],
  ['2026-09-10', 'principal', null, '10000.00'],
  ['2026-09-10', 'penalty', 1, '100.00'],
  ['2026-09-10', 'penalty', 2, '100.00'],
];

async function owing(order: 'oldest-month' | 'penalty-first' = 'oldest-month') {
  const clock = fixedClock(NOW);
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000', nowMs: clock.now().getTime() });
  await t.knex('regions').where({ id: s.region.id }).update({ allocation_order: order });
  await make.penaltyRule(t.knex, s.region.id);
  const { app, deps } = testApp(t.knex, clock);
  await assessDay(deps, s.region.code, '2026-08-10');
  await assessDay(deps, s.region.code, '2026-09-10');
  expect(await runPenalties(deps, s.region.id, '2026-10-15')).toMatchObject({ charges: 5, amount: '500.00' });
  const outstanding = async () =>
    (
      await request(app)
        .get(`/api/v1/stalls/${s.stall.id}/outstanding`)
        .set('Authorization', `Bearer ${s.terminalToken}`)
    ).body;
  /** What is still open: [date, kind, month or null, due]. */
  const open = async () =>
    (await outstanding()).open.map((i: { businessDate: string; kind: string; monthNo?: number; due: string }) => [
      i.businessDate,
      i.kind,
      i.monthNo ?? null,
      i.due,
    ]);
  const balances = async () => {
    const { rows } = await t.knex.raw(
      `select ac.purpose, sum(jl.debit - jl.credit)::text as bal
         from journal_lines jl join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id
        where jl.region_id = ? and ac.purpose in ('stall_receivable', 'penalty_receivable', 'trader_credit')
        group by ac.purpose`,
      [s.region.id],
    );
    return Object.fromEntries(rows.map((r: { purpose: string; bal: string }) => [r.purpose, r.bal]));
  };
  /** The receivables equal what the open amounts say is owed, and the credit what the ledger holds. */
  const receivablesMatchOpenAmounts = async () => {
    const b = await balances();
    const a = await t.knex('assessments').where({ region_id: s.region.id }).sum('open_amount as n').first();
    const p = await t.knex('penalty_charges').where({ region_id: s.region.id }).sum('open_amount as n').first();
    expect(Number(b.stall_receivable)).toBe(Number(a?.n));
    expect(Number(b.penalty_receivable ?? 0)).toBe(Number(p?.n));
  };
  return { ...s, clock, app, deps, outstanding, open, balances, receivablesMatchOpenAmounts };
}

const allocationsOf = (body: {
  allocations: { kind: string; businessDate: string; monthNo?: number; amount: string }[];
}) => body.allocations.map((a) => [a.businessDate, a.kind, a.monthNo ?? null, a.amount]);

test('what is owed is one list, principal and penalty, oldest month first, its principal before its penalty', async () => {
  const s = await owing();
  const o = await s.outstanding();
  expect(o).toMatchObject({ principal: '20000.00', penalty: '500.00', total: '20500.00', credit: '0.00' });
  expect(await s.open()).toEqual(OLDEST_MONTH);
  // The collector's stall list counts the same.
  const list = await request(s.app)
    .get(`/api/v1/markets/${s.market.id}/stalls`)
    .set('Authorization', `Bearer ${s.terminalToken}`);
  expect(list.body.stalls.find((x: { stallId: string }) => x.stallId === s.stall.id)).toMatchObject({
    outstanding: '20500.00',
    penalty: '500.00',
    openDays: 2,
  });
});

test('a card payment at the terminal settles in the default order: a month, its penalty, the next month', async () => {
  const s = await owing();
  const paid = await pay(s.app, s, { amount: '10200', paidAt: NOW });
  expect(allocationsOf(paid as never)).toEqual(OLDEST_MONTH.slice(0, 3));
  expect(paid).toMatchObject({ principal: '10000.00', penalty: '200.00', credit: '0.00' });
  expect(await s.open()).toEqual(OLDEST_MONTH.slice(3));
  const row = await t.knex('payments').where({ id: paid.paymentId }).first();
  expect(row).toMatchObject({ allocated_amount: '10200.00', penalty_amount: '200.00', credit_amount: '0.00' });
  expect(await s.balances()).toMatchObject({ penalty_receivable: '300.00', stall_receivable: '10000.00' });
  await s.receivablesMatchOpenAmounts();
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a region whose Perda puts penalties first settles every penalty before principal', async () => {
  const s = await owing('penalty-first');
  expect((await s.open()).slice(0, 5).map((i: unknown[]) => i[1])).toEqual(Array(5).fill('penalty'));
  const paid = await pay(s.app, s, { amount: '10200', paidAt: NOW });
  expect(allocationsOf(paid as never)).toEqual([
    ['2026-08-10', 'penalty', 1, '100.00'],
    ['2026-08-10', 'penalty', 2, '100.00'],
    ['2026-08-10', 'penalty', 3, '100.00'],
    ['2026-09-10', 'penalty', 1, '100.00'],
    ['2026-09-10', 'penalty', 2, '100.00'],
    ['2026-08-10', 'principal', null, '9700.00'],
  ]);
  expect(await s.open()).toEqual([
    ['2026-08-10', 'principal', null, '300.00'],
    ['2026-09-10', 'principal', null, '10000.00'],
  ]);
  await s.receivablesMatchOpenAmounts();
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('an officer sets the order as region data; anything else is refused naming the field', async () => {
  const s = await owing();
  const { tokenFor } = await import('../support/app');
  const officer = tokenFor({ role: 'officer', sub: 'o', regionId: s.region.id });
  const bad = await request(s.app)
    .patch(`/api/v1/regions/${s.region.id}`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ allocationOrder: 'newest-first' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('allocationOrder');
  const ok = await request(s.app)
    .patch(`/api/v1/regions/${s.region.id}`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ allocationOrder: 'penalty-first' });
  expect(ok.status).toBe(200);
  expect(ok.body.allocationOrder).toBe('penalty-first');
  expect((await s.open())[0]).toEqual(['2026-08-10', 'penalty', 1, '100.00']);
});

test('QRIS asks for the whole amount owed, principal and penalty, and the notification settles both', async () => {
  const s = await owing();
  const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  const intent = await request(s.app)
    .post('/api/v1/qris')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ stallId: s.stall.id });
  expect(intent.status).toBe(201);
  expect(intent.body.amount).toBe('20500.00');
  const ts = String(Math.floor(s.clock.now().getTime() / 1000));
  const res = await notify(
    s.app,
    qris.code,
    paidBody(intent.body.reference, '20500', { paidAt: '2026-10-15T03:01:00Z' }),
    {
      timestamp: ts,
    },
  );
  expect(res.status).toBe(200);
  const payment = await t.knex('payments').where({ id: res.body.paymentId }).first();
  expect(payment).toMatchObject({ allocated_amount: '20500.00', penalty_amount: '500.00', credit_amount: '0.00' });
  expect(await s.open()).toEqual([]);
  // A second payment for the same days becomes credit.
  const again = await pay(s.app, s, { amount: '10000', paidAt: NOW });
  expect(again).toMatchObject({ allocations: [], credit: '10000.00', creditBalance: '10000.00' });
  expect((await s.outstanding()).credit).toBe('10000.00');
  await s.receivablesMatchOpenAmounts();
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('the offline batch upload settles principal and penalty in order, item after item', async () => {
  const s = await owing();
  const res = await request(s.app)
    .post('/api/v1/payments/batch')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({
      payments: [
        cardBody(s, { amount: '10100', paidAt: '2026-10-15T01:00:00Z' }),
        cardBody(s, { amount: '10300', paidAt: '2026-10-15T01:05:00Z' }),
        cardBody(s, { amount: '500', paidAt: '2026-10-15T01:10:00Z' }),
      ],
    });
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: { body: never }) => allocationsOf(r.body))).toEqual([
    OLDEST_MONTH.slice(0, 2),
    OLDEST_MONTH.slice(2, 6),
    OLDEST_MONTH.slice(6),
  ]);
  expect(res.body.results[2].body).toMatchObject({ penalty: '100.00', credit: '400.00' });
  await s.receivablesMatchOpenAmounts();
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a payment beyond principal and penalty leaves the rest as credit', async () => {
  const s = await owing();
  const paid = await pay(s.app, s, { amount: '21000', paidAt: NOW });
  expect(paid).toMatchObject({ principal: '20000.00', penalty: '500.00', credit: '500.00', creditBalance: '500.00' });
  expect(await s.open()).toEqual([]);
  await s.receivablesMatchOpenAmounts();
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('credit held when the penalty is charged settles it in the same run', async () => {
  const clock = fixedClock(NOW);
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000', nowMs: clock.now().getTime() });
  await make.penaltyRule(t.knex, s.region.id, { legalBasis: null });
  const { app, deps } = testApp(t.knex, clock);
  await assessDay(deps, s.region.code, '2026-08-10');
  // Paid late, on 09-20, with Rp 5.000 more than owed: the principal was unpaid through 09-10,
  // so months 1 and 2 (from 08-11 and 09-11) are owed, Rp 200; the Rp 5.000 waits as credit.
  await pay(app, s, { amount: '15000', paidAt: '2026-09-20T03:00:00Z' });
  const run = await runPenalties(deps, s.region.id, '2026-10-15');
  expect(run).toMatchObject({ charges: 2, amount: '200.00' });
  const left = await t.knex('penalty_charges').where({ region_id: s.region.id }).sum('open_amount as n').first();
  expect(left?.n).toBe('0.00');
  const credit = await request(app)
    .get(`/api/v1/stalls/${s.stall.id}/outstanding`)
    .set('Authorization', `Bearer ${s.terminalToken}`);
  expect(credit.body).toMatchObject({ total: '0.00', credit: '4800.00' });
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a void reopens the penalty the payment settled', async () => {
  // A void is for today's payment, by the database's clock: this case is dated from real today.
  const today = businessDate(new Date(), 'Asia/Jakarta');
  const [y, m] = today.split('-').map(Number);
  const twoMonthsAgo = new Date(Date.UTC(y, m - 3, 10)).toISOString().slice(0, 10);
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000' });
  await t
    .knex('penalty_rules')
    .insert({ region_id: s.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
  const { app, deps } = testApp(t.knex);
  await assessDay(deps, s.region.code, twoMonthsAgo);
  const run = await runPenalties(deps, s.region.id, today);
  expect(run.charges).toBeGreaterThanOrEqual(2);
  const outstanding = async () =>
    (
      await request(app)
        .get(`/api/v1/stalls/${s.stall.id}/outstanding`)
        .set('Authorization', `Bearer ${s.terminalToken}`)
    ).body;
  const before = await outstanding();
  const paid = await pay(app, s, { amount: '10200' });
  expect(paid).toMatchObject({ principal: '10000.00', penalty: '200.00' });
  const res = await request(app)
    .post(`/api/v1/payments/${paid.paymentId}/void`)
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ voidReference: 'VOID0001', reason: 'salah nominal' });
  expect(res.status).toBe(201);
  expect(res.body.reopenedPenalty.map((x: { amount: string }) => x.amount)).toEqual(['100.00', '100.00']);
  expect(await outstanding()).toEqual(before);
  const charges = await t.knex('penalty_charges').where({ region_id: s.region.id }).select('amount', 'open_amount');
  expect(charges.every((c) => c.open_amount === c.amount)).toBe(true);
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a card payment still refuses what it refused: a retry gives the first answer, not a second payment', async () => {
  const s = await owing();
  const body = cardBody(s, { amount: '10200', paidAt: NOW });
  const a = await request(s.app)
    .post('/api/v1/payments/card')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send(body);
  const b = await request(s.app)
    .post('/api/v1/payments/card')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send(body);
  expect(a.status).toBe(201);
  expect(b.body).toEqual(a.body);
  const n = await t
    .knex('penalty_allocations')
    .where({ region_id: s.region.id, payment_id: a.body.paymentId })
    .count('* as n')
    .first();
  expect(Number(n?.n)).toBe(a.body.allocations.filter((x: { kind: string }) => x.kind === 'penalty').length);
});
