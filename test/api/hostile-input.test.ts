// Issue 13, items 2 and 7: input that used to end in an anonymous 500 (text PostgreSQL cannot
// hold, a zero QRIS amount) is a 400 naming the field; a QRIS notification is archived exactly as
// received whatever its bytes; and the public verification upload is refused before its body is
// read when the number is unknown or the file is larger than the document it claims to be.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { admin, clientFor, type Client } from '../support/master-data-client';
import { cardScenario } from '../support/scenario';
import { notify, paidBody, QRIS_SECRET } from '../support/qris';
import { signNotification } from '../../api/banks/signature';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';

let t: TestDb;
let api: Client;
let app: ReturnType<typeof testApp>['app'];
beforeAll(async () => {
  t = await freshDb(20);
  app = testApp(t.knex).app;
  api = clientFor(app, admin());
});
afterAll(() => t.drop());

const NUL = '\u0000';

/** A 400 invalid-input (or invalid-csv) whose details name this field. */
function expectRefused(res: request.Response, field: string, code = 'invalid-input') {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code });
  expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

describe('a NUL character in a text field is a 400 naming the field', () => {
  let regionId: string;
  let marketId: string;
  let traderId: string;
  beforeAll(async () => {
    const region = await make.region(t.knex);
    const market = await make.market(t.knex, region.id);
    regionId = region.id;
    marketId = market.id;
    traderId = (await make.trader(t.knex, region.id)).id;
  });

  test.each([
    ['trader name', () => api.post(`/regions/${regionId}/traders`, { name: `Bu${NUL}Sri` }), 'name'],
    [
      'trader address',
      () => api.post(`/regions/${regionId}/traders`, { name: 'Bu Sri', address: `Jl. Pemuda${NUL}` }),
      'address',
    ],
    ['trader name (patch)', () => api.patch(`/traders/${traderId}`, { name: `${NUL}` }), 'name'],
    [
      'stall block',
      () => api.post(`/markets/${marketId}/stalls`, { code: 'NUL-1', kind: 'kios', areaM2: '6', block: `A${NUL}` }),
      'block',
    ],
    [
      'stall zone',
      () => api.post(`/markets/${marketId}/stalls`, { code: 'NUL-2', kind: 'kios', areaM2: '6', zone: `depan${NUL}` }),
      'zone',
    ],
    [
      'tariff zone',
      () =>
        api.post(`/regions/${regionId}/tariffs`, {
          stallKind: 'kios',
          marketClass: 'I',
          zone: `Z${NUL}`,
          basis: 'flat_day',
          rate: '1000',
          effectiveFrom: '2026-01-01',
        }),
      'zone',
    ],
    [
      'tariff legal basis',
      () =>
        api.post(`/regions/${regionId}/tariffs`, {
          stallKind: 'kios',
          marketClass: 'I',
          basis: 'flat_day',
          rate: '1000',
          effectiveFrom: '2026-01-01',
          legalBasis: `Perda${NUL}`,
        }),
      'legalBasis',
    ],
    [
      'market name',
      () => api.post(`/regions/${regionId}/markets`, { code: 'NULPASAR', name: `Pasar${NUL}Baru`, class: 'I' }),
      'name',
    ],
    ['market address', () => api.patch(`/markets/${marketId}`, { address: `Jl.${NUL}` }), 'address'],
    [
      'user displayName',
      () =>
        api.post('/users', {
          username: 'nul-user',
          password: 'password-123456',
          role: 'admin',
          displayName: `Admin${NUL}`,
        }),
      'displayName',
    ],
    [
      'user password',
      () =>
        api.post('/users', {
          username: 'nul-user2',
          password: `password-12${NUL}3456`,
          role: 'admin',
          displayName: 'Admin',
        }),
      'password',
    ],
    [
      'closure reason',
      () => api.post(`/markets/${marketId}/closures`, { date: '2026-12-25', reason: `Natal${NUL}` }),
      'reason',
    ],
    [
      'acquirer name',
      () => api.post(`/regions/${regionId}/acquirers`, { code: 'nul-bank', name: `Bank${NUL}`, channel: 'card' }),
      'name',
    ],
    [
      'acquirer merchant name',
      () =>
        api.post(`/regions/${regionId}/acquirers`, {
          code: 'nul-qris',
          name: 'Bank',
          channel: 'qris',
          merchantName: `RETRIBUSI${NUL}`,
          merchantCity: 'MAGELANG',
        }),
      'merchantName',
    ],
    ['region treasury bank', () => api.patch(`/regions/${regionId}`, { treasuryBank: `BPD${NUL}` }), 'treasuryBank'],
    [
      'staff login username',
      () =>
        request(app)
          .post('/api/v1/auth/login')
          .send({ username: `admin${NUL}`, password: 'password-123' }),
      'username',
    ],
    [
      'staff login password',
      () =>
        request(app)
          .post('/api/v1/auth/login')
          .send({ username: 'admin', password: `pass${NUL}word` }),
      'password',
    ],
    [
      'terminal login id',
      () =>
        request(app)
          .post('/api/v1/auth/terminal')
          .send({ terminalId: `T-1${NUL}`, secret: 'terminal-secret' }),
      'terminalId',
    ],
    [
      'terminal login secret',
      () =>
        request(app)
          .post('/api/v1/auth/terminal')
          .send({ terminalId: 'T-1', secret: `terminal${NUL}secret` }),
      'secret',
    ],
    ['trader search (query string)', () => api.get(`/regions/${regionId}/traders?q=Bu%00Sri`), 'q'],
  ])('%s', async (_what, send, field) => {
    const res = await send();
    expectRefused(res, field);
    expect(res.body.error.message).toMatch(/control character|U\+0000/);
  });

  test('a NUL in a path segment is a 400, not a database error', async () => {
    expectRefused(await request(app).get('/receipts/ABC%00DEF'), '(path)');
    expectRefused(await request(app).post('/api/v1/banks/bank%00x/qris-notifications').send('{}'), '(path)');
    expectRefused(await api.get(`/regions/${regionId}/traders?limit=5&q=a=b%00`), 'q');
  });

  test('other control characters are refused in one-line fields; tab and newline are kept in free text', async () => {
    expectRefused(await api.post(`/regions/${regionId}/traders`, { name: 'Bu\u0007Sri' }), 'name');
    expectRefused(await api.post(`/regions/${regionId}/traders`, { name: 'Bu\nSri' }), 'name');
    expectRefused(
      await api.post(`/regions/${regionId}/traders`, { name: 'Bu Sri', address: 'Jl.\u001bPemuda' }),
      'address',
    );
    const ok = await api.post(`/regions/${regionId}/traders`, { name: 'Bu Sri', address: 'Jl. Pemuda 12\nKota Uji' });
    expect(ok.status).toBe(201);
    expect(ok.body.address).toBe('Jl. Pemuda 12\nKota Uji');
  });

  test('a NUL in a CSV cell is refused naming its line and column, and nothing is imported', async () => {
    const traders = await api.csv(
      `/regions/${regionId}/traders/import`,
      ['name,address', 'Bu Ani,Jl. A', `Pak Budi,Jl.${NUL}B`].join('\n'),
    );
    expect(traders.status).toBe(400);
    expect(traders.body.error).toMatchObject({ code: 'invalid-csv', details: [{ line: 3, field: 'address' }] });
    const stalls = await api.csv(
      `/markets/${marketId}/stalls/import`,
      ['code,kind,area_m2,block', `C-01,kios,6,B${NUL}`, 'C-02,kios,6,B'].join('\n'),
    );
    expect(stalls.status).toBe(400);
    expect(stalls.body.error).toMatchObject({ code: 'invalid-csv', details: [{ line: 2, field: 'block' }] });
    expect(Number((await t.knex('stalls').where({ market_id: marketId }).count('* as n'))[0].n)).toBe(0);
  });
});

describe('QRIS notifications: archived exactly as received, then refused naming what is wrong', () => {
  async function setup() {
    const s = await cardScenario(t.knex);
    const qris = await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
    const { app: a, deps } = testApp(t.knex);
    await assessDay(deps, s.region.code, businessDate(new Date(), 'Asia/Jakarta')); // Rp 3.000 due today
    const intent = await request(a)
      .post('/api/v1/qris')
      .set('Authorization', `Bearer ${s.terminalToken}`)
      .send({ stallId: s.stall.id });
    expect(intent.status).toBe(201);
    const count = async (table: string) =>
      Number((await t.knex(table).where({ region_id: s.region.id }).count('* as n').first())?.n);
    // The archived bytes, whichever column holds them.
    const archived = async () =>
      (
        await t
          .knex('qris_notifications')
          .where({ region_id: s.region.id })
          .orderBy('id')
          .select(t.knex.raw("coalesce(raw_bytes, convert_to(raw_body, 'UTF8')) as bytes"))
      ).map((r: { bytes: Buffer }) => r.bytes);
    const outcomes = () =>
      t.knex('qris_notification_outcomes').where({ region_id: s.region.id }).orderBy('notification_id');
    const sendRaw = (raw: Buffer, signed = true, contentType = 'application/json') => {
      const ts = String(Math.floor(Date.now() / 1000));
      // serialize: the bytes as they are (superagent would otherwise JSON-encode a Buffer).
      const r = request(a)
        .post(`/api/v1/banks/${qris.code}/qris-notifications`)
        .set('content-type', contentType)
        .serialize(((b: Buffer) => b) as unknown as (o: unknown) => string);
      return (signed ? r.set('x-timestamp', ts).set('x-signature', signNotification(QRIS_SECRET, ts, raw)) : r).send(
        raw,
      );
    };
    return { ...s, qris, app: a, reference: intent.body.reference as string, count, archived, outcomes, sendRaw };
  }

  test('a signed body with a raw NUL byte is archived byte for byte and answered 400 naming the body', async () => {
    const s = await setup();
    const raw = Buffer.from(JSON.stringify(paidBody(s.reference, '3000', { issuer: 'DANAxQRIS' })));
    raw[raw.indexOf('DANAxQRIS') + 4] = 0x00;
    const res = await s.sendRaw(raw);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid-encoding',
      details: [{ field: '(body)', message: expect.stringMatching(/NUL byte at offset \d+/) }],
    });
    expect(await s.archived()).toEqual([raw]);
    expect(await s.outcomes()).toEqual([expect.objectContaining({ http_status: 400, code: 'invalid-encoding' })]);
    expect(await s.count('payments')).toBe(0);
  });

  test('an unsigned body with a raw NUL byte is archived too, and answered 401', async () => {
    const s = await setup();
    const raw = Buffer.from(`{"reference":"${s.reference}\u0000"}`);
    const res = await s.sendRaw(raw, false);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('missing-signature');
    expect(await s.archived()).toEqual([raw]);
  });

  test('a signed UTF-16 body is archived byte for byte and answered 400 saying it is UTF-16', async () => {
    const s = await setup();
    const raw = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(JSON.stringify(paidBody(s.reference, '3000')), 'utf16le'),
    ]);
    const res = await s.sendRaw(raw, true, 'application/json; charset=utf-16');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid-encoding',
      details: [{ field: '(body)', message: expect.stringMatching(/UTF-16/) }],
    });
    expect(await s.archived()).toEqual([raw]);
    expect(await s.count('payments')).toBe(0);
    // Bytes that are not UTF-8 at all (Latin-1) are kept exactly too, not "repaired".
    const latin1 = Buffer.from(
      JSON.stringify(paidBody(s.reference, '3000', { issuer: 'BANK_' })).replace('BANK_', 'BANK\u00e9'),
      'latin1',
    );
    const res2 = await s.sendRaw(latin1);
    expect(res2.status).toBe(400);
    expect(res2.body.error.details[0].message).toMatch(/UTF-8/);
    expect((await s.archived())[1]).toEqual(latin1);
  });

  test('an issuer containing \\u0000 is a 400 naming issuer, archived as sent', async () => {
    const s = await setup();
    const body = paidBody(s.reference, '3000', { issuer: `DANA${NUL}` });
    const res = await notify(s.app, s.qris.code, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid-input', details: [{ field: 'issuer' }] });
    expect((await s.archived()).map(String)).toEqual([JSON.stringify(body)]);
    expect(await s.count('payments')).toBe(0);
    // An unknown key that is itself hostile is named without breaking the stored answer.
    const odd = await notify(s.app, s.qris.code, { ...paidBody(s.reference, '3000'), [`x${NUL}`]: 1 });
    expect(odd.status).toBe(400);
    expect(odd.body.error.details).toEqual([expect.objectContaining({ field: 'x\\u0000', message: 'unknown field' })]);
    expect(await s.count('qris_notification_outcomes')).toBe(2);
  });

  test.each(['0', '0.00'])(
    'a signed notification for amount "%s" is a 400 naming amount, archived, with no payment',
    async (amount) => {
      const s = await setup();
      const res = await notify(s.app, s.qris.code, paidBody(s.reference, amount));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'invalid-input',
        details: [{ field: 'amount', message: 'must be greater than zero' }],
      });
      expect(await s.count('qris_notifications')).toBe(1);
      expect(await s.count('payments')).toBe(0);
    },
  );

  test("a signed notification above Bank Indonesia's Rp 10.000.000 limit is recorded and flagged over-qris-limit", async () => {
    const s = await setup();
    const res = await notify(s.app, s.qris.code, paidBody(s.reference, '10000000.01'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'recorded', amount: '10000000.01' });
    expect(res.body.flags).toEqual(['amount-mismatch', 'over-qris-limit']);
    const flags = await t
      .knex('payment_flags')
      .where({ region_id: s.region.id, payment_id: res.body.paymentId })
      .orderBy('kind');
    expect(flags.map((f) => f.kind)).toEqual(['amount-mismatch', 'over-qris-limit']);
    expect(flags[1].details).toEqual({ paidAmount: '10000000.01', limit: '10000000.00' });
    // Exactly the limit is within it.
    const s2 = await setup();
    await request(s2.app)
      .post('/api/v1/qris')
      .set('Authorization', `Bearer ${s2.terminalToken}`)
      .send({ stallId: s2.stall.id, amount: '10000000' })
      .then(async (i) => {
        const at = await notify(s2.app, s2.qris.code, paidBody(i.body.reference, '10000000'));
        expect(at.body).toMatchObject({ status: 'recorded', flags: [] });
      });
  });
});

describe('POST /verify/:number refuses an upload before reading it', () => {
  let port: number;
  let server: http.Server;
  let number: string;
  const issued = Buffer.from('%PDF-1.7 a small issued document\n'.repeat(30));
  beforeAll(async () => {
    const region = await make.region(t.knex, { code: 'VRF' });
    number = 'VRF-UJI-2026-000001';
    await t.knex('documents').insert({
      region_id: region.id,
      number,
      kind: 'test-sample',
      title: 'LAPORAN UJI',
      covers: {},
      sha256: createHash('sha256').update(issued).digest('hex'),
      size_bytes: issued.length,
      made_at: new Date(),
    });
    server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  /** Declares a large body, sends only its first chunk and waits: the answer must not wait for the rest. */
  function upload(path: string, o: { declared?: number; chunk: Buffer; keepSending?: boolean; contentType?: string }) {
    return new Promise<{ status: number; body: Record<string, unknown>; sent: number }>((resolve, reject) => {
      let sent = 0;
      let pump: NodeJS.Timeout | undefined;
      const headers: http.OutgoingHttpHeaders = {
        'content-type': o.contentType ?? 'application/pdf',
        accept: 'application/json',
      };
      if (o.declared) headers['content-length'] = o.declared;
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers });
      const timer = setTimeout(() => {
        clearInterval(pump);
        req.destroy();
        reject(new Error(`no answer while the body was held back (${sent} bytes sent)`));
      }, 3000);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          clearTimeout(timer);
          clearInterval(pump);
          req.destroy();
          resolve({ status: res.statusCode!, body: JSON.parse(text), sent });
        });
      });
      req.on('error', () => undefined); // the server closes the connection it refused
      req.write(o.chunk);
      sent += o.chunk.length;
      if (o.keepSending)
        pump = setInterval(() => {
          if (sent < 1_000_000) {
            req.write(o.chunk);
            sent += o.chunk.length;
          }
        }, 5);
    });
  }

  test('an unknown number is 404 before the body is read', async () => {
    const res = await upload('/verify/VRF-UJI-2026-999999', {
      declared: 50_000_000,
      chunk: Buffer.alloc(16 * 1024, 1),
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 'unknown', documentNumber: 'VRF-UJI-2026-999999' });
    expect(res.sent).toBeLessThan(50_000_000);
    // Whatever the content type says: no body parser of the app's runs before the lookup.
    for (const contentType of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
      const typed = await upload('/verify/VRF-UJI-2026-999999', {
        declared: 50_000_000,
        chunk: Buffer.alloc(16 * 1024, 0x20),
        contentType,
      });
      expect(typed.status).toBe(404);
    }
  });

  test('a declared size larger than the issued document is 413 before the body is read', async () => {
    const res = await upload(`/verify/${number}`, { declared: 50_000_000, chunk: Buffer.alloc(16 * 1024, 1) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      status: 'altered',
      error: { code: 'payload-too-large', details: { field: '(body)', maxBytes: issued.length } },
    });
  });

  test('a chunked body is read only up to the issued size, then 413', async () => {
    const res = await upload(`/verify/${number}`, { chunk: Buffer.alloc(4 * 1024, 1), keepSending: true });
    expect(res.status).toBe(413);
    expect(res.sent).toBeLessThan(1_000_000);
  });

  test('the issued bytes still verify as genuine, and a same-size change as altered', async () => {
    const same = await request(app).post(`/verify/${number}`).set('Content-Type', 'application/pdf').send(issued);
    expect(same.status).toBe(200);
    expect(same.body.status).toBe('genuine');
    const changed = Buffer.from(issued);
    changed[10] ^= 1;
    const altered = await request(app).post(`/verify/${number}`).set('Content-Type', 'application/pdf').send(changed);
    expect(altered.body.status).toBe('altered');
  });
});
