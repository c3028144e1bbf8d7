// The reconciliation rules one at a time, on a small region: the settlement window, each matching
// stage and its refusal to guess, fees against the configured rate, batches paid one by one or
// together, an officer's link, and the endpoints' checks. Bank lines are written straight into
// the import tables here (the importers have their own tests); payments go through the API.
import { createHash, randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import request from 'supertest';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor, userIdFor } from '../support/app';
import { cardBody, cardScenario, ledgerBalanced } from '../support/scenario';
import * as make from '../support/make';
import type { Deps } from '../../api/core/deps';
import { reconcileDay } from '../../api/reconcile/reconcile.service';
import { addBusinessDays } from '../../api/reconcile/business-days';

let db: TestDb;
let app: Express;
let deps: Deps;

beforeAll(async () => {
  db = await freshDb();
  ({ app, deps } = testApp(db.knex));
});
afterAll(async () => db.drop());

// A Tuesday: D+1 is Wednesday, D+2 Thursday.
const D = '2026-11-17';
const at = (date: string, hhmm: string) => `${date}T${hhmm}:00+07:00`;

type Scenario = Awaited<ReturnType<typeof cardScenario>>;

async function pay(s: Scenario, o: { amount?: string; time?: string; rrn?: string; date?: string } = {}) {
  const body = cardBody(s, { amount: o.amount ?? '3000', paidAt: at(o.date ?? D, o.time ?? '09:00'), rrn: o.rrn });
  const res = await request(app)
    .post('/api/v1/payments/card')
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send(body);
  expect(res.status).toBe(201);
  return { id: res.body.paymentId as string, body };
}

interface Line {
  rrn?: string | null;
  tid?: string | null;
  stan?: string | null;
  gross: string;
  mdr?: string;
  time?: string;
  date?: string;
  settlementDate: string;
  batch?: string;
}

let lineNo = 1;
async function settlementFile(knex: Knex, s: Scenario, lines: Line[], settlementDate = lines[0]?.settlementDate) {
  const [file] = await knex('bank_files')
    .insert({
      region_id: s.region.id,
      kind: 'settlement',
      acquirer_id: s.acquirer.id,
      format: 'bni',
      name: `test-${lineNo}.csv`,
      sha256: createHash('sha256').update(randomBytes(16)).digest('hex'),
      size_bytes: 4,
      content: Buffer.from('test'),
      line_count: lines.length,
      totals: '{}',
      settlement_date: settlementDate,
      source: 'upload',
    })
    .returning('id');
  for (const l of lines) {
    const gross = l.gross;
    const mdr = l.mdr ?? new Decimal(gross).times('0.0015').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    await knex('settlement_lines').insert({
      region_id: s.region.id,
      file_id: file.id,
      acquirer_id: s.acquirer.id,
      line_number: lineNo++,
      rrn: l.rrn ?? null,
      tid: l.tid === undefined ? s.terminal.tid : l.tid,
      stan: l.stan ?? null,
      transacted_at: at(l.date ?? D, l.time ?? '09:00'),
      transaction_date: l.date ?? D,
      settlement_date: l.settlementDate,
      batch: l.batch ?? `B${l.settlementDate.replace(/-/g, '')}`,
      gross,
      mdr,
      net: new Decimal(gross).minus(mdr).toFixed(2),
    });
  }
  return file.id as string;
}

async function statement(knex: Knex, s: Scenario, date: string, credits: { amount: string; reference: string }[]) {
  const [file] = await knex('bank_files')
    .insert({
      region_id: s.region.id,
      kind: 'statement',
      format: 'mt940',
      name: `stmt-${date}-${lineNo}.mt940`,
      sha256: createHash('sha256').update(randomBytes(16)).digest('hex'),
      size_bytes: 4,
      content: Buffer.from('test'),
      line_count: credits.length,
      totals: '{}',
      source: 'upload',
    })
    .returning('id');
  const [st] = await knex('bank_statements')
    .insert({
      region_id: s.region.id,
      file_id: file.id,
      format: 'mt940',
      statement_id: `S${date}-${lineNo++}`,
      line_number: 1,
      account: '123',
      currency: 'IDR',
      closing_date: date,
    })
    .returning('id');
  for (const c of credits) {
    await knex('statement_entries').insert({
      region_id: s.region.id,
      statement_id: st.id,
      line_number: lineNo++,
      value_date: date,
      amount: c.amount,
      direction: 'credit',
      reference: c.reference,
    });
  }
}

async function openKinds(s: Scenario): Promise<string[]> {
  const rows = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, status: 'open' })
    .orderBy(['kind', 'subject'])
    .select('kind');
  return rows.map((r) => r.kind);
}

test('business days: D+1 of a Friday is the Monday', () => {
  expect(addBusinessDays('2026-11-17', 1)).toBe('2026-11-18');
  expect(addBusinessDays('2026-11-20', 1)).toBe('2026-11-23');
  expect(addBusinessDays('2026-11-21', 0)).toBe('2026-11-23');
  expect(addBusinessDays('2026-11-20', 2)).toBe('2026-11-24');
});

test('inside its window a payment awaits settlement; once the files pass its due day it is an exception; settled later it is late', async () => {
  const s = await cardScenario(db.knex);
  const p = await pay(s, { rrn: '700000000001' });
  let sum = await reconcileDay(deps, s.region.id, D);
  expect(sum.status).toBe('awaiting');
  expect(sum.awaitingSettlement).toEqual({ count: 1, amount: '3000.00' });
  expect(await openKinds(s)).toEqual([]);

  await settlementFile(db.knex, s, [], '2026-11-18');
  sum = await reconcileDay(deps, s.region.id, D);
  expect(sum.status).toBe('open');
  expect(await openKinds(s)).toEqual(['in-ledger-not-settled']);

  await settlementFile(db.knex, s, [{ rrn: '700000000001', gross: '3000', settlementDate: '2026-11-19' }]);
  sum = await reconcileDay(deps, s.region.id, D);
  expect(await openKinds(s)).toEqual(['settled-late']);
  const late = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'settled-late' })
    .first();
  expect(late).toMatchObject({
    payment_id: p.id,
    details: expect.objectContaining({ dueBy: '2026-11-18', settlementDate: '2026-11-19', daysLate: 1 }),
  });
  const cleared = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'in-ledger-not-settled' })
    .first();
  expect(cleared.status).toBe('cleared');
  expect(sum.matched).toEqual({ count: 1, amount: '3000.00' });
});

test('without an RRN a line matches by TID + STAN + date, else by amount and time when only one pairing fits', async () => {
  const s = await cardScenario(db.knex);
  const a = await pay(s, { time: '08:00' });
  const b = await pay(s, { amount: '4500', time: '10:00' });
  await settlementFile(db.knex, s, [
    { rrn: null, stan: a.body.card.stan, gross: '3000', time: '08:00', settlementDate: '2026-11-18' },
    { rrn: null, stan: null, gross: '4500', time: '10:01', settlementDate: '2026-11-18' },
  ]);
  await statement(db.knex, s, '2026-11-18', [{ amount: '7488.75', reference: 'B20261118' }]);
  const sum = await reconcileDay(deps, s.region.id, D);
  const methods = await db
    .knex('settlement_matches')
    .where({ region_id: s.region.id })
    .orderBy('method')
    .select('payment_id', 'method');
  expect(methods).toEqual([
    { payment_id: b.id, method: 'amount-time' },
    { payment_id: a.id, method: 'tid-stan' },
  ]);
  expect(sum.status).toBe('closed');
  expect(await ledgerBalanced(db.knex, s.region.id)).toBe(true);
});

test('two payments of the same amount in the same minute are never paired by amount: both sides stay exceptions', async () => {
  const s = await cardScenario(db.knex);
  await pay(s, { time: '09:00' });
  await pay(s, { time: '09:00' });
  await settlementFile(db.knex, s, [
    { rrn: null, gross: '3000', time: '09:00', settlementDate: '2026-11-18' },
    { rrn: null, gross: '3000', time: '09:01', settlementDate: '2026-11-18' },
  ]);
  await reconcileDay(deps, s.region.id, D);
  expect(await db.knex('settlement_matches').where({ region_id: s.region.id })).toEqual([]);
  expect(await openKinds(s)).toEqual([
    'in-ledger-not-settled',
    'in-ledger-not-settled',
    'settled-not-in-ledger',
    'settled-not-in-ledger',
  ]);
});

test('a fee other than the configured rate is an exception; a different RRN is never matched by amount', async () => {
  const s = await cardScenario(db.knex);
  await pay(s, { rrn: '700000000010' });
  await settlementFile(db.knex, s, [
    { rrn: '700000000010', gross: '3000', mdr: '30.00', settlementDate: '2026-11-18' },
  ]);
  await pay(s, { rrn: '700000000011', amount: '5000', time: '11:00' });
  await settlementFile(
    db.knex,
    s,
    [{ rrn: '700000000099', gross: '5000', time: '11:00', settlementDate: '2026-11-18' }],
    '2026-11-18',
  );
  await reconcileDay(deps, s.region.id, D);
  const fee = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'fee-mismatch' })
    .first();
  expect(fee).toMatchObject({ ledger_amount: '4.50', bank_amount: '30.00', difference: '25.50' });
  expect((await openKinds(s)).sort()).toEqual(['fee-mismatch', 'in-ledger-not-settled', 'settled-not-in-ledger']);
});

test('two batches paid as one statement credit are matched by subset sum; a batch not credited once the statement is in is an exception', async () => {
  const s = await cardScenario(db.knex);
  await pay(s, { rrn: '700000000020', amount: '2000' });
  await pay(s, { rrn: '700000000021', amount: '4000' });
  await pay(s, { rrn: '700000000022', amount: '8000' });
  await settlementFile(db.knex, s, [
    { rrn: '700000000020', gross: '2000', mdr: '3.00', settlementDate: '2026-11-18', batch: '11' },
    { rrn: '700000000021', gross: '4000', mdr: '6.00', settlementDate: '2026-11-18', batch: '12' },
    { rrn: '700000000022', gross: '8000', mdr: '12.00', settlementDate: '2026-11-18', batch: '13' },
  ]);
  await statement(db.knex, s, '2026-11-18', [{ amount: '5991.00', reference: 'TRANSFER' }]);
  const sum = await reconcileDay(deps, s.region.id, D);
  const postings = await db
    .knex('settlement_postings')
    .where({ region_id: s.region.id })
    .orderBy('batch')
    .select('batch', 'method', 'credited');
  expect(postings).toEqual([
    { batch: '11', method: 'subset-sum', credited: '1997.00' },
    { batch: '12', method: 'subset-sum', credited: '3994.00' },
  ]);
  expect(await openKinds(s)).toEqual(['batch-statement-mismatch']);
  const missing = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'batch-statement-mismatch' })
    .first();
  expect(missing).toMatchObject({ batch: '13', ledger_amount: '7988.00', bank_amount: '0' });
  expect(sum.matched.count).toBe(3);
  expect(await ledgerBalanced(db.knex, s.region.id)).toBe(true);
});

test("an officer links a payment to the bank's line by hand; the decision is kept and the day closes", async () => {
  const s = await cardScenario(db.knex);
  const p = await pay(s, { rrn: '700000000030' });
  await settlementFile(db.knex, s, [
    { rrn: '700000000031', gross: '3000', time: '13:00', settlementDate: '2026-11-18' },
  ]);
  await statement(db.knex, s, '2026-11-18', [{ amount: '2995.50', reference: 'B20261118' }]);
  await reconcileDay(deps, s.region.id, D);
  expect(await openKinds(s)).toEqual(['in-ledger-not-settled', 'settled-not-in-ledger']);
  const officer = tokenFor({ role: 'officer', sub: 'officer-link', regionId: s.region.id });
  const other = await make.region(db.knex);
  const stranger = tokenFor({ role: 'officer', sub: 'officer-far', regionId: other.id });
  const e = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'in-ledger-not-settled' })
    .first();
  const line = await db.knex('settlement_lines').where({ region_id: s.region.id, rrn: '700000000031' }).first('id');

  let res = await request(app)
    .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
    .set('Authorization', `Bearer ${stranger}`)
    .send({ resolution: 'link', note: 'terminal keyed the wrong RRN', settlementLineId: String(line.id) });
  expect(res.status).toBe(403);
  res = await request(app)
    .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ resolution: 'link', note: 'x' });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('note');
  res = await request(app)
    .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ resolution: 'link', note: 'terminal keyed the wrong RRN' });
  expect(res.status).toBe(422);
  expect(res.body.error.details.field).toBe('settlementLineId');
  res = await request(app)
    .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ resolution: 'link', note: 'terminal keyed the wrong RRN', settlementLineId: String(line.id) });
  expect(res.status).toBe(200);
  expect(res.body.exception).toMatchObject({
    status: 'resolved',
    resolution: 'link',
    resolvedBy: userIdFor('officer-link', 'officer'),
    note: 'terminal keyed the wrong RRN',
  });
  expect(res.body.exception.decisions).toEqual([
    expect.objectContaining({
      resolution: 'link',
      decidedBy: userIdFor('officer-link', 'officer'),
      paymentId: p.id,
      settlementLineId: String(line.id),
    }),
  ]);
  // The line's own exception is answered by the same link: cleared, not resolved.
  expect(res.body.reconciliation.status).toBe('closed');
  const sideways = await db
    .knex('reconciliation_exceptions')
    .where({ region_id: s.region.id, kind: 'settled-not-in-ledger' })
    .first();
  expect(sideways.status).toBe('cleared');
});

test('the endpoints: run, read, list; scope, roles and bad input', async () => {
  const s = await cardScenario(db.knex);
  await pay(s, { rrn: '700000000040' });
  const officer = tokenFor({ role: 'officer', sub: 'officer-1', regionId: s.region.id });
  const auditor = tokenFor({ role: 'auditor', sub: 'auditor-1' });
  const manager = tokenFor({ role: 'manager', sub: 'manager-1', regionId: s.region.id, marketId: s.market.id });
  const other = await make.region(db.knex);
  const stranger = tokenFor({ role: 'officer', sub: 'officer-2', regionId: other.id });

  expect(
    (await request(app).get(`/api/v1/reconciliations/${s.region.id}/${D}`).set('Authorization', `Bearer ${officer}`))
      .status,
  ).toBe(404);
  let res = await request(app)
    .post('/api/v1/reconciliations')
    .set('Authorization', `Bearer ${officer}`)
    .send({ regionId: s.region.id, businessDate: '2026-11-31' });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('businessDate');
  expect(
    (
      await request(app)
        .post('/api/v1/reconciliations')
        .set('Authorization', `Bearer ${stranger}`)
        .send({ regionId: s.region.id, businessDate: D })
    ).status,
  ).toBe(403);
  expect(
    (
      await request(app)
        .post('/api/v1/reconciliations')
        .set('Authorization', `Bearer ${manager}`)
        .send({ regionId: s.region.id, businessDate: D })
    ).status,
  ).toBe(403);
  expect(
    (await request(app).post('/api/v1/reconciliations').send({ regionId: s.region.id, businessDate: D })).status,
  ).toBe(401);
  res = await request(app)
    .post('/api/v1/reconciliations')
    .set('Authorization', `Bearer ${officer}`)
    .send({ regionId: s.region.id, businessDate: D });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    regionId: s.region.id,
    businessDate: D,
    status: 'awaiting',
    ledger: { count: 1, amount: '3000.00' },
  });

  res = await request(app).get(`/api/v1/reconciliations/${s.region.id}/${D}`).set('Authorization', `Bearer ${auditor}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'awaiting', runs: 1 });
  expect(
    (await request(app).get(`/api/v1/reconciliations/${s.region.id}/${D}`).set('Authorization', `Bearer ${stranger}`))
      .status,
  ).toBe(403);

  res = await request(app)
    .get(`/api/v1/reconciliation-exceptions?regionId=${s.region.id}&kind=nonsense`)
    .set('Authorization', `Bearer ${officer}`);
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('kind');
  expect(
    (
      await request(app)
        .get(`/api/v1/reconciliation-exceptions?regionId=${s.region.id}`)
        .set('Authorization', `Bearer ${stranger}`)
    ).status,
  ).toBe(403);
  res = await request(app)
    .get(`/api/v1/reconciliation-exceptions?regionId=${s.region.id}&status=open`)
    .set('Authorization', `Bearer ${officer}`);
  expect(res.status).toBe(200);
  expect(res.body.exceptions).toEqual([]);
});
