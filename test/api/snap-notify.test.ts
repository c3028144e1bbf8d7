// SNAP notifications (service 52) and our B2B token (service 73), as a bank sends them: the bank's
// side is computed here with node:crypto from SNAP_QRIS.md §1.4, §2.1-§2.3, never through api/snap.
import { createHash, createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { admin, clientFor } from '../support/master-data-client';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';
import { recordQrisPaymentFromBank } from '../../api/banks/notification.service';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(20);
});
afterAll(() => t.drop());

const keys = () => {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    priv: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pub: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const bank = keys();
const impostor = keys();
const SECRET = 'snap-client-secret-0123456789';

/** X-TIMESTAMP in Jakarta time. */
const wib = (ms = Date.now()) => `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
const digest = (raw: string) => createHash('sha256').update(raw).digest('hex');
const rsa = (priv: string, s: string) => createSign('RSA-SHA256').update(s).sign(priv, 'base64');
let extId = 100000;
const nextId = () => `2024${String(++extId).padStart(12, '0')}`;

async function setup(notifyScheme = 'asymmetric') {
  const s = await cardScenario(t.knex);
  const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0' });
  const { app, deps } = testApp(t.knex);
  const patched = await clientFor(app, admin()).patch(`/acquirers/${qris.id}`, {
    protocol: 'snap',
    snap: {
      clientId: 'bank-client-1',
      partnerId: 'partner-1',
      channelId: '95221',
      notifyScheme,
      generates: 'merchant',
      bankPublicKey: bank.pub,
      clientSecret: SECRET,
    },
  });
  expect(patched.status).toBe(200);
  await assessDay(deps, s.region.code, businessDate(new Date(), 'Asia/Jakarta'));
  const intent = (
    await request(app)
      .post('/api/v1/qris')
      .set('Authorization', `Bearer ${s.terminalToken}`)
      .send({ stallId: s.stall.id })
  ).body;
  expect(intent.reference).toBeDefined();
  const path = `/snap/${qris.code}/v1.0/qr/qr-mpm-notify`;
  const paid = (o: object = {}) => ({
    originalReferenceNo: 'A2024000000000001',
    originalPartnerReferenceNo: intent.reference,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    amount: { value: '3000.00', currency: 'IDR' },
    additionalInfo: { rrn: '412345678901', issuerName: 'DANA', paidTime: new Date().toISOString() },
    ...o,
  });
  /** Scheme 1: the bank's RSA signature over POST:path:digest:timestamp. */
  const notify = (
    body: object | string,
    o: { externalId?: string; ts?: string; key?: string; token?: string; signature?: string } = {},
  ) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body, null, 1); // whitespace the minify drops
    const ts = o.ts ?? wib();
    const signature =
      o.signature ??
      (o.token
        ? createHmac('sha512', SECRET)
            .update(`POST:${path}:${o.token}:${digest(JSON.stringify(JSON.parse(raw)))}:${ts}`)
            .digest('base64')
        : rsa(o.key ?? bank.priv, `POST:${path}:${digest(JSON.stringify(JSON.parse(raw)))}:${ts}`));
    const req = request(app)
      .post(path)
      .set('content-type', 'application/json')
      .set('x-timestamp', ts)
      .set('x-signature', signature)
      .set('x-partner-id', 'partner-1')
      .set('x-external-id', o.externalId ?? nextId())
      .set('channel-id', '95221');
    if (o.token) req.set('authorization', `Bearer ${o.token}`);
    return req.send(raw);
  };
  const count = async (table: string) =>
    Number((await t.knex(table).where({ region_id: s.region.id }).count('* as n').first())?.n);
  return { ...s, qris, app, deps, intent, path, paid, notify, count };
}

const SUCCESS = { responseCode: '2005200', responseMessage: 'Successful' };

test('a good notification posts the payment once and answers 2005200; the body is archived first', async () => {
  const s = await setup();
  const res = await s.notify(s.paid());
  expect(res.status).toBe(200);
  expect(res.body).toEqual(SUCCESS);
  expect(res.headers['x-timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  expect(await s.count('payments')).toBe(1);
  const payment = await t.knex('payments').where({ region_id: s.region.id }).first();
  expect(payment).toMatchObject({ channel: 'qris', amount: '3000.00', rrn: '412345678901', issuer: 'DANA' });
  const archived = await t.knex('qris_notifications').where({ region_id: s.region.id });
  expect(archived).toHaveLength(1);
  expect(archived[0]).toMatchObject({ source: 'notification', acquirer_id: s.qris.id });
  expect(JSON.parse(archived[0].raw_body)).toEqual(s.paid({ additionalInfo: expect.any(Object) }));
});

test('a true retry (same X-EXTERNAL-ID, same body) gets the first answer; another body under it is 409 4095200', async () => {
  const s = await setup();
  const body = s.paid();
  const externalId = nextId();
  const first = await s.notify(body, { externalId });
  const retry = await s.notify(body, { externalId, ts: wib(Date.now() + 1000) });
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(first.body);
  const other = await s.notify(s.paid({ amount: { value: '5000.00', currency: 'IDR' } }), { externalId });
  expect(other.status).toBe(409);
  expect(other.body).toEqual({ responseCode: '4095200', responseMessage: 'Conflict' });
  expect(await s.count('payments')).toBe(1);
  expect(await s.count('qris_notifications')).toBe(3); // every body archived, the refused one too
  expect(await s.count('snap_requests')).toBe(1);
  // The bank notifying the same payment again under a new id: the ledger's replay, no second payment.
  const again = await s.notify(body);
  expect(again.body).toEqual(SUCCESS);
  expect(await s.count('payments')).toBe(1);
});

test('a payment recovered by a query first: the late notification is a replay, whatever RRN it carries', async () => {
  const s = await setup();
  const queryAnswer = {
    responseCode: '2005100',
    originalReferenceNo: 'A2024000000000001',
    latestTransactionStatus: '00',
  };
  const recovered = await recordQrisPaymentFromBank(
    s.deps,
    {
      regionId: s.region.id,
      acquirerId: s.qris.id,
      source: 'query',
      rawBody: Buffer.from(JSON.stringify(queryAnswer)),
    },
    {
      reference: s.intent.reference,
      amount: '3000',
      acquirerReference: 'A2024000000000001',
      rrn: 'A2024000000000001',
      issuer: 'QRIS',
      paidAt: new Date().toISOString(),
    },
  );
  expect(recovered.replayed).toBe(false);
  const late = await s.notify(s.paid());
  expect(late.body).toEqual(SUCCESS);
  expect(await s.count('payments')).toBe(1);
  expect(await t.knex('qris_notifications').where({ region_id: s.region.id }).pluck('source')).toEqual(
    expect.arrayContaining(['query', 'notification']),
  );
});

test('a stale X-TIMESTAMP, a wrong key or a missing signature is refused 401/400 and posts nothing', async () => {
  const s = await setup();
  const stale = await s.notify(s.paid(), { ts: wib(Date.now() - 6 * 60_000) });
  expect(stale.status).toBe(401);
  expect(stale.body.responseCode).toBe('4015200');
  const wrongKey = await s.notify(s.paid(), { key: impostor.priv });
  expect(wrongKey.status).toBe(401);
  expect(wrongKey.body).toEqual({ responseCode: '4015200', responseMessage: 'Unauthorized. Invalid Signature' });
  const tampered = await s.notify(s.paid(), {
    signature: rsa(
      bank.priv,
      `POST:${s.path}:${digest(JSON.stringify(s.paid({ amount: { value: '1.00', currency: 'IDR' } })))}:${wib()}`,
    ),
  });
  expect(tampered.status).toBe(401);
  const noTs = await request(s.app).post(s.path).set('x-signature', 'x').send('{}');
  expect(noTs.body).toEqual({ responseCode: '4005202', responseMessage: 'Invalid Mandatory Field X-TIMESTAMP' });
  expect(await s.count('payments')).toBe(0);
  expect(await s.count('qris_notifications')).toBe(4);
});

test('unknown fields, a bad amount, a missing field: 400 naming the field, nothing posted, the body archived', async () => {
  const s = await setup();
  const unknown = await s.notify(s.paid({ colour: 'red' }));
  expect(unknown.status).toBe(400);
  expect(unknown.body).toEqual({ responseCode: '4005201', responseMessage: 'Invalid Field Format colour' });
  const amount = await s.notify(s.paid({ amount: { value: '3000', currency: 'IDR' } }));
  expect(amount.body).toEqual({ responseCode: '4005201', responseMessage: 'Invalid Field Format amount.value' });
  const zero = await s.notify(s.paid({ amount: { value: '0.00', currency: 'IDR' } }));
  expect(zero.body.responseCode).toBe('4005201');
  const missing = await s.notify(s.paid({ originalReferenceNo: undefined }));
  expect(missing.body).toEqual({
    responseCode: '4005202',
    responseMessage: 'Invalid Mandatory Field originalReferenceNo',
  });
  const notJson = await s.notify('{"originalReferenceNo": ', {
    signature: rsa(bank.priv, `POST:${s.path}:${digest('{"originalReferenceNo":')}:${wib()}`),
  });
  expect(notJson.status).toBe(400);
  expect(notJson.body.responseCode).toBe('4005200');
  const unknownRef = await s.notify(s.paid({ originalPartnerReferenceNo: 'RPNOSUCHCODE0' }));
  expect(unknownRef.status).toBe(404);
  expect(unknownRef.body.responseCode).toBe('4045201');
  expect(await s.count('payments')).toBe(0);
  expect(await s.count('qris_notifications')).toBe(6);
});

test('a status other than 00 is archived and answered 2005200 without a payment', async () => {
  const s = await setup();
  const pending = await s.notify(s.paid({ latestTransactionStatus: '03', transactionStatusDesc: 'Pending' }));
  expect(pending.body).toEqual(SUCCESS);
  expect(await s.count('payments')).toBe(0);
  expect(await s.count('qris_notifications')).toBe(1);
});

describe('symmetric-token scheme', () => {
  const tokenPath = (code: string) => `/snap/${code}/v1.0/access-token/b2b`;
  const askToken = (app: Parameters<typeof request>[0], code: string, o: { key?: string; clientKey?: string } = {}) => {
    const ts = wib();
    const clientKey = o.clientKey ?? 'bank-client-1';
    return request(app)
      .post(tokenPath(code))
      .set('content-type', 'application/json')
      .set('x-client-key', clientKey)
      .set('x-timestamp', ts)
      .set('x-signature', rsa(o.key ?? bank.priv, `${clientKey}|${ts}`))
      .send('{"grantType":"client_credentials","additionalInfo":{}}');
  };

  test('the bank gets a token with its signature over clientId|timestamp; a bad signature or client is 4017300', async () => {
    const s = await setup('symmetric-token');
    const res = await askToken(s.app, s.qris.code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      responseCode: '2007300',
      responseMessage: 'Successful',
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: '900',
    });
    const bad = await askToken(s.app, s.qris.code, { key: impostor.priv });
    expect(bad.status).toBe(401);
    expect(bad.body.responseCode).toBe('4017300');
    expect((await askToken(s.app, s.qris.code, { clientKey: 'someone-else' })).body.responseCode).toBe('4017300');
    // A staff route does not take it.
    const staff = await request(s.app)
      .get('/api/v1/markets/x/stalls')
      .set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(staff.status).toBe(401);

    const notified = await s.notify(s.paid(), { token: res.body.accessToken });
    expect(notified.body).toEqual(SUCCESS);
    expect(await s.count('payments')).toBe(1);
  });

  test('no token, a wrong HMAC, or an expired token is refused; nothing posted', async () => {
    const s = await setup('symmetric-token');
    const token = (await askToken(s.app, s.qris.code)).body.accessToken;
    expect((await s.notify(s.paid())).body.responseCode).toBe('4015201'); // RSA-signed, no bearer
    const wrongMac = await s.notify(s.paid(), {
      token,
      signature: createHmac('sha512', 'other-secret').update('x').digest('base64'),
    });
    expect(wrongMac.body.responseCode).toBe('4015200');
    // Sixteen minutes later, on an app whose clock says so: the token is expired.
    const later = Date.now() + 16 * 60_000;
    const { app } = testApp(t.knex, { now: () => new Date(later) });
    const path = `/snap/${s.qris.code}/v1.0/qr/qr-mpm-notify`;
    const raw = JSON.stringify(s.paid());
    const ts = wib(later);
    const expired = await request(app)
      .post(path)
      .set('x-timestamp', ts)
      .set('x-external-id', nextId())
      .set('authorization', `Bearer ${token}`)
      .set(
        'x-signature',
        createHmac('sha512', SECRET)
          .update(`POST:${path}:${token}:${digest(raw)}:${ts}`)
          .digest('base64'),
      )
      .send(raw);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ responseCode: '4015201', responseMessage: 'Invalid Token (B2B)' });
    expect(await s.count('payments')).toBe(0);
  });
});
