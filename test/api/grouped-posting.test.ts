// Card payments posted in groups (issue 18): requests reaching the API within CARD_GROUP_WINDOW_MS
// are posted in one transaction (their payments rows share one xmin), and each keeps the answer
// and the effect it has when posted alone, one after another: the same allocations (principal and
// penalty, in the region's order), credit, credit balance, receipt serials, errors and replays.
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp } from '../support/app';
import * as make from '../support/make';
import { cardBody, cardScenario, ledgerBalanced } from '../support/scenario';
import { waitForLockWaiters } from '../support/wait';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import { recordCardPayment } from '../../api/payments/payments.service';
import { postGroup, type CardParams } from '../../api/payments/card-group';
import type { Principal } from '../../api/auth/principal';
import type { Clock } from '../../api/core/clock';
import type { AppError } from '../../api/core/errors';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(20);
});
afterAll(() => t.drop());

const NOW = '2026-10-15T03:00:00Z'; // 10:00 WIB
const GROUPED = { CARD_GROUP_WINDOW_MS: 40, CARD_GROUP_MAX: 64 };
const ALONE = { CARD_GROUP_WINDOW_MS: 0 };

/** A stall owing Rp 20.000 principal (08-10 and 09-10, Rp 10.000 each) and Rp 500 penalty. */
async function owing(order: 'oldest-month' | 'penalty-first', config: Record<string, number>) {
  const clock: Clock = fixedClock(NOW);
  const s = await cardScenario(t.knex, { areaM2: '10', rate: '1000', nowMs: clock.now().getTime() });
  await t.knex('regions').where({ id: s.region.id }).update({ allocation_order: order });
  await t.knex('penalty_rules').insert({
    region_id: s.region.id,
    effective_from: '2024-01-05',
    monthly_rate: '0.0100',
    cap_months: 24,
    legal_basis: 'PP 35/2023',
  });
  const { app, deps } = testApp(t.knex, { clock, config });
  await assessDay(deps, s.region.code, '2026-08-10');
  await assessDay(deps, s.region.code, '2026-09-10');
  await runPenalties(deps, s.region.id, '2026-10-15');
  const principal: Principal = {
    role: 'terminal',
    sub: s.terminal.id,
    terminalId: s.terminal.id,
    regionId: s.region.id,
    marketId: s.market.id,
  };
  return { ...s, app, deps, principal };
}

type Answer = Record<string, unknown> & {
  allocations: { assessmentId: string; [k: string]: unknown }[];
  receipt: { serial: number };
};

/** An answer without what differs between two regions (ids, codes, the time it was recorded). */
function comparable(body: Answer) {
  const { paymentId, stallId, traderId, recordedAt, receipt, allocations, ...rest } = body;
  return {
    ...rest,
    serial: receipt.serial,
    allocations: allocations.map(({ assessmentId, ...a }) => a),
  };
}

/** What is open and what the ledger holds, by date and kind: comparable between regions. */
async function state(regionId: string) {
  const open = await t.knex.raw(
    `select a.business_date::text as d, a.open_amount::text as principal,
            coalesce((select json_agg(pc.open_amount::text order by pc.month_no) from penalty_charges pc
                       where pc.region_id = a.region_id and pc.assessment_id = a.id), '[]') as penalty
       from assessments a where a.region_id = ? order by a.business_date`,
    [regionId],
  );
  const balances = await t.knex.raw(
    `select ac.purpose, sum(jl.debit - jl.credit)::text as bal
       from journal_lines jl join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id
      where jl.region_id = ? group by ac.purpose order by ac.purpose`,
    [regionId],
  );
  const rows = await t.knex.raw(
    `select (select count(*) from payments where region_id = :r)::int as payments,
            (select count(*) from allocations where region_id = :r)::int as allocations,
            (select count(*) from penalty_allocations where region_id = :r)::int as penalty_allocations,
            (select count(*) from receipts where region_id = :r)::int as receipts,
            (select count(*) from journal_entries where region_id = :r and kind = 'payment')::int as entries`,
    { r: regionId },
  );
  return { open: open.rows, balances: balances.rows, rows: rows.rows[0] };
}

async function xminsOf(regionId: string): Promise<number> {
  const { rows } = await t.knex.raw(`select count(distinct xmin::text)::int as n from payments where region_id = ?`, [
    regionId,
  ]);
  return rows[0].n;
}

// Six payments of one stall: partly the oldest principal, the rest of it and into the penalty,
// across months, an exact remainder, then credit twice.
const AMOUNTS = ['4000', '7000', '300', '9000', '500', '1200'];

test.each(['oldest-month', 'penalty-first'] as const)(
  'payments of one stall in one group allocate in arrival order exactly as one after another (%s)',
  async (order) => {
    const alone = await owing(order, ALONE);
    const sequential: Answer[] = [];
    for (const [i, amount] of AMOUNTS.entries()) {
      const body = cardBody(alone, { amount, clientTxnId: `seq-${i}`, paidAt: NOW });
      sequential.push((await recordCardPayment(alone.deps, alone.principal, body)).body as Answer);
    }

    const grouped = await owing(order, GROUPED);
    // Called one after another without waiting: they join the group in this order.
    const bodies = AMOUNTS.map((amount, i) => cardBody(grouped, { amount, clientTxnId: `grp-${i}`, paidAt: NOW }));
    const pending = bodies.map((body) => recordCardPayment(grouped.deps, grouped.principal, body));
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status)).toEqual(AMOUNTS.map(() => 201));
    expect(await xminsOf(grouped.region.id)).toBe(1); // one transaction

    expect(answers.map((a) => comparable(a.body as Answer))).toEqual(sequential.map(comparable));
    // Every key and type the answer alone has, and nothing else.
    for (const [i, a] of answers.entries()) {
      expect(Object.keys(a.body)).toEqual(Object.keys(sequential[i]));
      expect(JSON.stringify(a.body).length).toBeGreaterThan(100);
    }
    expect(await state(grouped.region.id)).toEqual(await state(alone.region.id));
    expect(await ledgerBalanced(t.knex, grouped.region.id)).toBe(true);

    // The stored answer is the one given: a retry answers it again.
    const retry = await recordCardPayment(grouped.deps, grouped.principal, bodies[2]);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(answers[2].body);
  },
);

test('one refused payment never fails its neighbours: each answers its own error, the rest are recorded in one transaction', async () => {
  const s = await owing('oldest-month', GROUPED);
  const otherMarket = await make.market(t.knex, s.region.id);
  const outside = await make.stall(t.knex, s.region.id, otherMarket.id);
  const vacant = await make.stall(t.knex, s.region.id, s.market.id);
  const off = await make.terminal(t.knex, s.region.id, s.market.id, s.acquirer.id);
  await t.knex('terminals').where({ id: off.id }).update({ active: false });
  const offPrincipal: Principal = { ...s.principal, sub: off.id, terminalId: off.id };
  const recorded = cardBody(s, { amount: '1000', clientTxnId: 'recorded-1', rrn: 'RRN000000001', paidAt: NOW });
  const recorded2 = cardBody(s, { amount: '500', clientTxnId: 'recorded-2', rrn: 'RRN000000003', paidAt: NOW });
  const first = await recordCardPayment(s.deps, s.principal, recorded);
  const second = await recordCardPayment(s.deps, s.principal, recorded2);

  const items: [Principal, ReturnType<typeof cardBody>][] = [
    [s.principal, cardBody(s, { amount: '2000', paidAt: NOW })],
    [s.principal, cardBody(s, { amount: '2000', paidAt: NOW, tid: '99999999' })],
    [s.principal, cardBody({ stall: outside, terminal: s.terminal }, { paidAt: NOW })],
    [s.principal, cardBody({ stall: vacant, terminal: s.terminal }, { paidAt: NOW })],
    [s.principal, cardBody(s, { amount: '2000', paidAt: NOW, rrn: 'RRN000000001' })],
    [s.principal, { ...recorded, amount: '1500', card: { ...recorded.card, rrn: 'RRN000000002' } }],
    [s.principal, recorded2],
    [offPrincipal, cardBody({ stall: s.stall, terminal: off }, { paidAt: NOW })],
    [s.principal, cardBody(s, { amount: '3000', paidAt: NOW })],
  ];
  // Called one after another without waiting: one group, in this order.
  const answers = await Promise.allSettled(items.map(([p, body]) => recordCardPayment(s.deps, p, body)));
  const summary = answers.map((a) =>
    a.status === 'fulfilled'
      ? a.value.status
      : {
          status: (a.reason as AppError).status,
          code: (a.reason as AppError).code,
          details: (a.reason as AppError).details,
        },
  );
  expect(summary).toEqual([
    201,
    { status: 422, code: 'tid-mismatch', details: { field: 'card.tid', expected: s.terminal.tid } },
    { status: 403, code: 'stall-outside-scope', details: { field: 'stallId' } },
    { status: 422, code: 'stall-not-occupied', details: { field: 'stallId', businessDate: '2026-10-15' } },
    {
      status: 409,
      code: 'duplicate-payment',
      details: { field: 'card.rrn', rrn: 'RRN000000001', businessDate: '2026-10-15' },
    },
    { status: 409, code: 'idempotency-conflict', details: { clientTxnId: 'recorded-1' } },
    200,
    { status: 403, code: 'terminal-inactive', details: { terminalId: off.id } },
    201,
  ]);
  const value = (i: number) => (answers[i] as PromiseFulfilledResult<{ body: unknown }>).value.body as Answer;
  expect(value(6)).toEqual(second.body);
  // The two recorded now settle on from where the first two left off: 08-10 had Rp 8.500 open.
  expect(value(0).allocations).toMatchObject([{ kind: 'principal', businessDate: '2026-08-10', amount: '2000.00' }]);
  expect(value(8).allocations).toMatchObject([{ kind: 'principal', businessDate: '2026-08-10', amount: '3000.00' }]);
  expect([first, second].map((r) => (r.body as Answer).receipt.serial)).toEqual([1, 2]);
  expect([value(0), value(8)].map((b) => b.receipt.serial)).toEqual([3, 4]);
  const { rows } = await t.knex.raw(
    `select count(*)::int as n, count(distinct xmin::text)::int as tx from payments where region_id = ?`,
    [s.region.id],
  );
  expect(rows[0]).toEqual({ n: 4, tx: 3 }); // the two recorded before, then one group
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('refused payments answer over HTTP as they do alone', async () => {
  const s = await owing('oldest-month', GROUPED);
  const post = (body: unknown) =>
    request(s.app)
      .post('/api/v1/payments/card')
      .set('Authorization', `Bearer ${s.terminalToken}`)
      .send(body as object);
  const ok = cardBody(s, { amount: '2000', paidAt: NOW });
  const answers = await Promise.all([
    post(ok),
    post(cardBody(s, { paidAt: NOW, tid: '99999999' })),
    post(cardBody(s, { paidAt: NOW, responseCode: '05' })),
  ]);
  expect(answers.map((a) => a.status)).toEqual([201, 422, 422]);
  expect(answers[1].body).toEqual({
    error: {
      code: 'tid-mismatch',
      message: "card.tid is not this terminal's TID",
      details: { field: 'card.tid', expected: s.terminal.tid },
    },
  });
  expect(answers[2].body.error.code).toBe('not-approved');
});

test('20 concurrent identical requests at one key record one payment and answer it 20 times', async () => {
  const s = await owing('oldest-month', { CARD_GROUP_WINDOW_MS: 3, CARD_GROUP_MAX: 64 });
  const body = cardBody(s, { amount: '2500', paidAt: NOW });
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      request(s.app).post('/api/v1/payments/card').set('Authorization', `Bearer ${s.terminalToken}`).send(body),
    ),
  );
  expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([...Array(19).fill(200), 201]);
  for (const a of answers) expect(a.body).toEqual(answers[0].body);
  const n = await t.knex('payments').where({ region_id: s.region.id, client_txn_id: body.clientTxnId }).count('* as n');
  expect(n[0].n).toBe('1');
  expect((await t.knex('receipts').where({ region_id: s.region.id }).count('* as n'))[0].n).toBe('1');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('the same 20 identical requests spread over several API processes (groups) still record one payment', async () => {
  const s = await owing('oldest-month', GROUPED);
  // Five apps on the same database: five processes, each gathering its own groups.
  const apps = Array.from({ length: 5 }, () => testApp(t.knex, { clock: fixedClock(NOW), config: GROUPED }).app);
  const body = cardBody(s, { amount: '2500', paidAt: NOW });
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      request(apps[i % 5])
        .post('/api/v1/payments/card')
        .set('Authorization', `Bearer ${s.terminalToken}`)
        .send(body),
    ),
  );
  expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([...Array(19).fill(200), 201]);
  for (const a of answers) expect(a.body).toEqual(answers.find((x) => x.status === 201)!.body);
  const n = await t.knex('payments').where({ region_id: s.region.id }).count('* as n');
  expect(n[0].n).toBe('1');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test("a stall another transaction holds is posted alone: the group's other payments do not wait for it", async () => {
  const s = await owing('oldest-month', GROUPED);
  const stallB = await make.stall(t.knex, s.region.id, s.market.id, { areaM2: '10' });
  const traderB = await make.trader(t.knex, s.region.id);
  await make.tenancy(t.knex, s.region.id, stallB.id, traderB.id);
  const trx = await t.knex.transaction();
  try {
    await trx.raw('select id from stalls where region_id = ? and id = ? for no key update', [s.region.id, s.stall.id]);
    let onADone = false;
    const onA = recordCardPayment(s.deps, s.principal, cardBody(s, { amount: '1000', paidAt: NOW })).then((r) => {
      onADone = true;
      return r;
    });
    const onB = recordCardPayment(
      s.deps,
      s.principal,
      cardBody({ stall: stallB, terminal: s.terminal }, { paidAt: NOW }),
    );
    expect((await onB).status).toBe(201);
    await waitForLockWaiters(t.knex, 1);
    expect(onADone).toBe(false);
    await trx.commit();
    const a = await onA;
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ allocations: [{ businessDate: '2026-08-10', amount: '1000.00' }] });
  } finally {
    if (!trx.isCompleted()) await trx.rollback();
  }
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('when the group statement fails as a whole its items are posted one by one, each with its own answer', async () => {
  const s = await owing('oldest-month', GROUPED);
  const params = (o: { rrn: string; clientTxnId: string; amount: string }): CardParams => ({
    regionId: s.region.id,
    terminalId: s.terminal.id,
    stallId: s.stall.id,
    requestHash: `hash-${o.clientTxnId}`,
    paidAt: NOW,
    tid: s.terminal.tid,
    mid: s.terminal.mid,
    stan: '000001',
    approvalCode: 'A1B2C3',
    maskedPan: '522184******1234',
    responseCode: '00',
    receiptCode: `CODE${o.clientTxnId.toUpperCase().padStart(12, '0')}`.slice(0, 16),
    verifyBaseUrl: 'http://localhost:3000',
    ...o,
  });
  // Two items with one RRN in one call (the API never does this): the unique index refuses the
  // set statement, and each item is then posted alone.
  const outcomes = await postGroup(
    s.deps,
    s.region.id,
    [
      params({ rrn: 'RRNSAME00001', clientTxnId: 'a1', amount: '1000' }),
      params({ rrn: 'RRNSAME00001', clientTxnId: 'a2', amount: '1000' }),
      params({ rrn: 'RRNOTHER0001', clientTxnId: 'a3', amount: '1000' }),
    ],
    true,
  );
  expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
  expect(outcomes[1].ok === false && (outcomes[1].error as { code: string }).code).toBe('duplicate-payment');
  const { rows } = await t.knex.raw(
    `select count(*)::int as n, count(distinct xmin::text)::int as tx from payments where region_id = ?`,
    [s.region.id],
  );
  expect(rows[0]).toEqual({ n: 2, tx: 2 });
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test("two terminals' payments in one group get each terminal's serials in order", async () => {
  const s = await owing('oldest-month', GROUPED);
  const t2 = await make.terminal(t.knex, s.region.id, s.market.id, s.acquirer.id);
  const p2: Principal = { ...s.principal, sub: t2.id, terminalId: t2.id };
  const pending = [
    recordCardPayment(s.deps, s.principal, cardBody(s, { amount: '100', paidAt: NOW })),
    recordCardPayment(s.deps, p2, cardBody({ stall: s.stall, terminal: t2 }, { amount: '100', paidAt: NOW })),
    recordCardPayment(s.deps, s.principal, cardBody(s, { amount: '100', paidAt: NOW })),
    recordCardPayment(s.deps, p2, cardBody({ stall: s.stall, terminal: t2 }, { amount: '100', paidAt: NOW })),
    recordCardPayment(s.deps, s.principal, cardBody(s, { amount: '100', paidAt: NOW })),
  ];
  const answers = await Promise.all(pending);
  expect(answers.map((a) => (a.body as Answer).receipt.serial)).toEqual([1, 1, 2, 2, 3]);
  expect(await xminsOf(s.region.id)).toBe(1);
  const terminals = await t
    .knex('terminals')
    .whereIn('id', [s.terminal.id, t2.id])
    .orderBy('id')
    .pluck('last_receipt_serial');
  expect(terminals.sort()).toEqual(['2', '3']);
});
