// Issue 15: a SNAP acquirer that generates makes the code (qr-mpm-generate); the product checks it
// before a trader sees it, keeps the bank's token until it expires, and retries an outage with the
// same X-EXTERNAL-ID.
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { connectAcquirer, type SnapBank, startSnapBank } from '../support/snap-bank';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';
import { decodeQris, qrisCrcFor } from '../../api/qris/codec/qris-codec';
import { forgetSnapTokens } from '../../api/qris/snap-client';

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

async function setup(o: { nmid?: string | null } = {}) {
  const s = await cardScenario(t.knex);
  const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0' });
  await connectAcquirer(t.knex, qris.id, bank, o);
  const clock = fixedClock(new Date().toISOString());
  const { app, deps } = testApp(t.knex, { clock });
  await assessDay(deps, s.region.code, businessDate(clock.now(), 'Asia/Jakarta')); // Rp 3.000 due today
  const intent = (body: object = { stallId: s.stall.id }) =>
    request(app).post('/api/v1/qris').set('Authorization', `Bearer ${s.terminalToken}`).send(body);
  const intents = () => t.knex('qris_intents').where({ region_id: s.region.id }).orderBy('created_at');
  const sentFor = (reference: string) =>
    bank.received.filter((r) => r.path.endsWith('qr-mpm-generate') && r.body.partnerReferenceNo === reference);
  return { ...s, qris, app, deps, clock, intent, intents, sentFor };
}

test("the bank's code is what the terminal shows, checked, with its reference and our X-EXTERNAL-ID kept", async () => {
  const s = await setup();
  const res = await s.intent();
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ amount: '3000.00', status: 'pending' });
  expect(res.body.image).toMatch(/^data:image\/png;base64,/);
  const txn = bank.txnOf(res.body.reference)!;
  expect(decodeQris(res.body.payload)).toMatchObject({ amount: '3000', nationalMerchant: { nmid: bank.nmid } });
  const [sent] = s.sentFor(res.body.reference);
  expect(sent.answer.status).toBe(200);
  expect(sent.body).toMatchObject({
    partnerReferenceNo: res.body.reference,
    amount: { value: '3000.00', currency: 'IDR' },
    merchantId: 'M0001',
    terminalId: s.terminal.id.slice(0, 16),
    validityPeriod: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/),
  });
  expect(sent.headers).toMatchObject({
    'x-partner-id': 'PARTNER01',
    'channel-id': '95221',
    'x-external-id': expect.stringMatching(/^\d{24}$/),
  });
  const [row] = await s.intents();
  expect(row).toMatchObject({
    payload: res.body.payload,
    acquirer_reference: txn.referenceNo,
    generate_external_id: sent.headers['x-external-id'],
    query_count: 0,
  });
});

test('a qrContent with a bad CRC is a 502 acquirer-bad-qr naming the CRC, and nothing is saved', async () => {
  const s = await setup();
  const first = await s.intent();
  bank.nextQrContent((good) => `${good.slice(0, -4)}${good.slice(-4) === '0000' ? 'FFFF' : '0000'}`);
  const res = await s.intent();
  expect(res.status).toBe(502);
  expect(res.body.error).toMatchObject({ code: 'acquirer-bad-qr', details: { problem: 'crc' } });
  const rows = await s.intents();
  expect(rows).toHaveLength(1); // the first code stays, not superseded
  expect(rows[0]).toMatchObject({ id: first.body.intentId, superseded_at: null });
  // Both of the bank's answers are archived as they came, the refused one too.
  const answers = await t.knex('snap_answers').where({ acquirer_id: s.qris.id }).orderBy('id');
  expect(answers.map((a) => [a.service, a.http_status, a.response_code])).toEqual([
    ['47', 200, '2004700'],
    ['47', 200, '2004700'],
  ]);
  const refusedBody = JSON.parse(answers[1].raw_body.toString('utf8'));
  expect(refusedBody.qrContent).not.toBe(rows[0].payload);
  expect(answers[1].external_id).toMatch(/^\d{24}$/);
});

test('a qrContent for another amount or another NMID (its CRC right) is refused, naming what differs', async () => {
  const s = await setup();
  // The bank's code asks Rp 5.000 for a Rp 3.000 intent, with a CRC that matches.
  bank.nextQrContent((good) => {
    const upToCrc = good.slice(0, -4).replace('54043000', '54045000');
    return upToCrc + qrisCrcFor(upToCrc);
  });
  const amount = await s.intent();
  expect(amount.status).toBe(502);
  expect(amount.body.error).toMatchObject({
    code: 'acquirer-bad-qr',
    details: { problem: 'amount', expected: '3000.00', found: '5000' },
  });
  expect(await s.intents()).toHaveLength(0);
  const s2 = await setup({ nmid: 'ID9999999999999' });
  const nmid = await s2.intent();
  expect(nmid.status).toBe(502);
  expect(nmid.body.error).toMatchObject({
    code: 'acquirer-bad-qr',
    details: { problem: 'nmid', expected: 'ID9999999999999', found: bank.nmid },
  });
  expect(await s2.intents()).toHaveLength(0);
});

test('the B2B token is fetched once and reused until shortly before expiresIn, then fetched again', async () => {
  const s = await setup();
  const before = bank.tokensIssued();
  expect((await s.intent()).status).toBe(201);
  expect((await s.intent()).status).toBe(201);
  expect(bank.tokensIssued() - before).toBe(1);
  // expiresIn "900": still good at 13 minutes, renewed at 14 (a minute's margin).
  s.clock.set(new Date(s.clock.now().getTime() + 13 * 60_000).toISOString());
  expect((await s.intent()).status).toBe(201);
  expect(bank.tokensIssued() - before).toBe(1);
  s.clock.set(new Date(s.clock.now().getTime() + 61_000).toISOString());
  expect((await s.intent()).status).toBe(201);
  expect(bank.tokensIssued() - before).toBe(2);
});

test('a token the bank no longer accepts (401xx01) is renewed once and the call made again', async () => {
  const s = await setup();
  expect((await s.intent()).status).toBe(201);
  const before = bank.tokensIssued();
  bank.expireTokens();
  const res = await s.intent();
  expect(res.status).toBe(201);
  expect(bank.tokensIssued() - before).toBe(1);
  expect(s.sentFor(res.body.reference).map((r) => r.answer.body.responseCode)).toEqual(['4014701', '2004700']);
});

test('an outage (5xx) is retried with the same X-EXTERNAL-ID; past the retries it is a 502 and nothing is saved', async () => {
  const s = await setup();
  bank.failNext(2);
  const res = await s.intent();
  expect(res.status).toBe(201);
  const calls = bank.received.slice(-3);
  expect(calls.map((c) => c.answer.status)).toEqual([503, 503, 200]);
  expect(new Set(calls.map((c) => c.headers['x-external-id'])).size).toBe(1);
  bank.failNext(3);
  const down = await s.intent();
  expect(down.status).toBe(502);
  expect(down.body.error.code).toBe('acquirer-unavailable');
  expect(await s.intents()).toHaveLength(1);
});
