// Issue 15: a paid code whose notification never came is found by asking the bank (qr-mpm-query),
// from the terminal's poll and from the recovery job, and posted exactly once.
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario, ledgerBalanced } from '../support/scenario';
import { connectAcquirer, type SnapBank, startSnapBank } from '../support/snap-bank';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';
import { forgetSnapTokens } from '../../api/qris/snap-client';
import { recordQrisPaymentFromBank } from '../../api/banks/notification.service';
import { qrisRecoveryJob } from '../../jobs/qris-recovery';
import { qrisRecoveryTick, recoverySlot } from '../../jobs/schedule';

let t: TestDb;
let bank: SnapBank;
beforeAll(async () => {
  t = await freshDb(10);
  bank = await startSnapBank();
});
afterAll(async () => {
  await bank.close();
  await t.drop();
});
beforeEach(() => forgetSnapTokens());

async function setup() {
  const s = await cardScenario(t.knex);
  const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0' });
  await connectAcquirer(t.knex, qris.id, bank);
  const clock = fixedClock(new Date().toISOString());
  const { app, deps } = testApp(t.knex, { clock });
  await assessDay(deps, s.region.code, businessDate(clock.now(), 'Asia/Jakarta')); // Rp 3.000 due today
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${s.terminalToken}`);
  const intent = async (stallId = s.stall.id, amount?: string) => {
    const res = await auth(request(app).post('/api/v1/qris')).send({ stallId, ...(amount ? { amount } : {}) });
    expect(res.status).toBe(201);
    return res.body as { intentId: string; reference: string };
  };
  const poll = (id: string) => auth(request(app).get(`/api/v1/qris/${id}`));
  const count = async (table: string, where: object = {}) =>
    Number(
      (
        await t
          .knex(table)
          .where({ region_id: s.region.id, ...where })
          .count('* as n')
          .first()
      )?.n,
    );
  const queriesFor = (reference: string) =>
    bank.received.filter((r) => r.path.endsWith('qr-mpm-query') && r.body.originalPartnerReferenceNo === reference);
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms).toISOString());
  const recover = () => qrisRecoveryJob(deps, { region: s.region.code });
  return { ...s, qris, app, deps, clock, intent, poll, count, queriesFor, later, recover };
}

test('the terminal polling a paid code whose notification was lost sees it paid, posted once from the query', async () => {
  const s = await setup();
  const i = await s.intent();
  const pending = await s.poll(i.intentId);
  expect(pending.body.status).toBe('pending');
  const [asked] = s.queriesFor(i.reference);
  expect(asked.body).toMatchObject({
    originalReferenceNo: bank.txnOf(i.reference)!.referenceNo,
    originalPartnerReferenceNo: i.reference,
    originalExternalId: expect.stringMatching(/^\d{24}$/),
    serviceCode: '47',
    merchantId: 'M0001',
  });
  bank.pay(i.reference, '881234567890');
  // Within 20 s of the last question the poll does not ask again: still pending.
  s.later(10_000);
  expect((await s.poll(i.intentId)).body.status).toBe('pending');
  expect(s.queriesFor(i.reference)).toHaveLength(1);
  s.later(11_000);
  const paid = await s.poll(i.intentId);
  expect(paid.body).toMatchObject({ status: 'paid', receipt: { serial: 1 }, allocations: [{ amount: '3000.00' }] });
  expect(s.queriesFor(i.reference)).toHaveLength(2);
  // Paid: polling again asks nobody and posts nothing more.
  s.later(30_000);
  expect((await s.poll(i.intentId)).body.paymentId).toBe(paid.body.paymentId);
  expect(s.queriesFor(i.reference)).toHaveLength(2);
  expect(await s.count('payments')).toBe(1);
  expect(await s.count('qris_notifications', { source: 'query' })).toBe(1);
  const archived = await t.knex('qris_notifications').where({ region_id: s.region.id }).first();
  expect(JSON.parse(archived.raw_body)).toMatchObject({ latestTransactionStatus: '00', responseCode: '2005100' });
  expect(await t.knex('payments').where({ region_id: s.region.id }).first('rrn')).toEqual({ rrn: '881234567890' });
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('the recovery job asks only due codes (old enough or near expiry, not asked in the last minute) and counts each question', async () => {
  const s = await setup();
  const stall2 = await make.stall(t.knex, s.region.id, s.market.id, { areaM2: '6' });
  const trader2 = await make.trader(t.knex, s.region.id);
  await make.tenancy(t.knex, s.region.id, stall2.id, trader2.id);
  const old = await s.intent(s.stall.id);
  s.later(2 * 60_000);
  const fresh = await s.intent(stall2.id, '2000');
  s.later(60_000 + 1000); // old: 3 min; fresh: 1 min
  expect(await s.recover()).toEqual([{ region: s.region.code, asked: 1, recovered: 0, failed: 0 }]);
  expect(s.queriesFor(old.reference)).toHaveLength(1);
  expect(s.queriesFor(fresh.reference)).toHaveLength(0);
  // Asked less than a minute ago: not again.
  s.later(30_000);
  expect((await s.recover())[0].asked).toBe(0);
  s.later(31_000);
  expect((await s.recover())[0].asked).toBe(1); // old again; fresh is 2.5 minutes old
  const rows = await t.knex('qris_intents').where({ region_id: s.region.id }).orderBy('created_at');
  expect(rows.map((r) => r.query_count)).toEqual([2, 0]);
  expect(rows[0].last_queried_at).toEqual(s.clock.now());
  // Near expiry (15 min TTL): a code within 2 minutes of it is asked however it was made.
  s.later(11 * 60_000);
  expect((await s.recover())[0].asked).toBe(2);
});

test('the job recovers a paid code once; the same payment reported again (a late notification) is a replay', async () => {
  const s = await setup();
  const i = await s.intent();
  bank.pay(i.reference, '889900112233');
  s.later(4 * 60_000);
  expect(await s.recover()).toEqual([{ region: s.region.code, asked: 1, recovered: 1, failed: 0 }]);
  s.later(2 * 60_000);
  expect(await s.recover()).toEqual([{ region: s.region.code, asked: 0, recovered: 0, failed: 0 }]);
  const intent = await t.knex('qris_intents').where({ id: i.intentId }).first();
  const txn = bank.txnOf(i.reference)!;
  const late = await recordQrisPaymentFromBank(
    s.deps,
    {
      regionId: s.region.id,
      acquirerId: s.qris.id,
      source: 'notification',
      rawBody: Buffer.from(JSON.stringify({ originalReferenceNo: txn.referenceNo, latestTransactionStatus: '00' })),
    },
    {
      reference: i.reference,
      amount: '3000.00',
      acquirerReference: txn.referenceNo,
      rrn: 'DIFFERENT-RRN-1',
      issuer: 'DANA',
      paidAt: new Date().toISOString(),
    },
  );
  expect(late).toMatchObject({ replayed: true, paymentId: intent.paid_payment_id });
  expect(await s.count('payments')).toBe(1);
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test('a bank that is down leaves the code pending for the terminal and counts a failure in the job', async () => {
  const s = await setup();
  const i = await s.intent();
  bank.failNext(3);
  expect((await s.poll(i.intentId)).body.status).toBe('pending');
  s.later(4 * 60_000);
  bank.failNext(3);
  expect(await s.recover()).toEqual([{ region: s.region.code, asked: 0, recovered: 0, failed: 1 }]);
  expect(await s.count('payments')).toBe(0);
});

test('the scheduled recovery runs once per two-minute slot for a region, whichever instance ticks', async () => {
  const s = await setup();
  const i = await s.intent();
  s.later(4 * 60_000);
  const slot = recoverySlot(s.clock.now());
  await qrisRecoveryTick(s.deps);
  await qrisRecoveryTick(s.deps); // the same slot: already done
  expect(s.queriesFor(i.reference)).toHaveLength(1);
  const run = await t.knex('job_runs').where({ job: 'qris-recovery', region_id: s.region.id, period: slot }).first();
  expect(run.result).toEqual({ asked: 1, recovered: 0, failed: 0 });
  s.later(2 * 60_000);
  await qrisRecoveryTick(s.deps);
  expect(s.queriesFor(i.reference)).toHaveLength(2);
});
