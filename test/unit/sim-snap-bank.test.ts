// The simulated SNAP bank's API, called as the product would call it (with its own node:crypto
// signing, not the product's client): a token for the product's signature only, a generated code
// that decodes to the amount and reference asked, a retry that gets the first answer, and a query
// that says pending until the trader paid, then paid with the time and the RRN.
import { decodeQris } from '../../api/qris/codec/qris-codec';
import { SnapBankServer } from '../../terminal-sim/banks/snap/bank-server';
import { newBankKeys } from '../../terminal-sim/banks/snap/snap-acquirer';
import {
  hmacSign,
  rsaSign,
  snapTimestamp,
  tokenString,
  transactionString,
} from '../../terminal-sim/banks/snap/signature';

const product = newBankKeys();
const SECRET = 'client-secret-of-the-product-0001';
const bank = new SnapBankServer({
  clientId: 'e-retribusi-mgl',
  clientSecret: SECRET,
  pathPrefix: '/snap',
  encoding: 'base64',
  merchant: { nmid: 'ID1020021181745', merchantName: 'PEMKOT MAGELANG', merchantCity: 'MAGELANG', mcc: '9399' },
});
let base = '';

beforeAll(async () => {
  base = await bank.start();
  bank.productPublicKey = product.publicKey;
});
afterAll(() => bank.close());

async function post(path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function token(key = product.privateKey): Promise<{ status: number; body: Record<string, unknown> }> {
  const ts = snapTimestamp(new Date());
  return post(
    '/snap/v1.0/access-token/b2b',
    { grantType: 'client_credentials', additionalInfo: {} },
    {
      'x-client-key': 'e-retribusi-mgl',
      'x-timestamp': ts,
      'x-signature': rsaSign(key, tokenString('e-retribusi-mgl', ts)),
    },
  );
}

async function call(service: 'generate' | 'query', body: unknown, accessToken: string, externalId: string) {
  const path = `/snap/v1.0/qr/qr-mpm-${service}`;
  const ts = snapTimestamp(new Date());
  const raw = JSON.stringify(body);
  return post(path, body, {
    authorization: `Bearer ${accessToken}`,
    'x-timestamp': ts,
    'x-signature': hmacSign(SECRET, transactionString('POST', path, raw, ts, accessToken)),
    'x-partner-id': 'e-retribusi-mgl',
    'x-external-id': externalId,
    'channel-id': '95221',
  });
}

test('the token is issued for the signature of the key the product showed, and refused for another', async () => {
  const ok = await token();
  expect(ok).toMatchObject({ status: 200, body: { responseCode: '2007300', tokenType: 'Bearer', expiresIn: '900' } });
  const other = await token(newBankKeys().privateKey);
  expect(other).toEqual({
    status: 401,
    body: { responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' },
  });
});

test('generate, retry, query pending, pay, query paid', async () => {
  const accessToken = String((await token()).body.accessToken);
  const ask = {
    partnerReferenceNo: 'RPABC123DEF456',
    amount: { value: '15000.00', currency: 'IDR' },
    merchantId: 'ID1020021181745',
    terminalId: 'MGL-PSR-01',
    validityPeriod: snapTimestamp(new Date(Date.now() + 15 * 60_000)),
  };
  const generated = await call('generate', ask, accessToken, '1001');
  expect(generated.body).toMatchObject({ responseCode: '2004700', partnerReferenceNo: 'RPABC123DEF456' });
  const qr = decodeQris(generated.body.qrContent);
  expect(qr.amount).toBe('15000'); // tag 54 drops a zero fraction
  expect(qr.additionalData.referenceLabel).toBe('RPABC123DEF456');
  expect(qr.nationalMerchant?.nmid).toBe('ID1020021181745');
  expect((await call('generate', ask, accessToken, '1001')).body).toEqual(generated.body);
  expect((await call('generate', ask, accessToken, '1002')).status).toBe(409);

  const q = { originalReferenceNo: generated.body.referenceNo, serviceCode: '47' };
  expect((await call('query', q, accessToken, '1003')).body).toMatchObject({
    responseCode: '2005100',
    latestTransactionStatus: '03',
  });
  bank.markPaid('RPABC123DEF456', { at: new Date('2026-11-23T03:00:00Z'), rrn: '507900100001', issuer: 'DANA' });
  expect((await call('query', q, accessToken, '1004')).body).toMatchObject({
    responseCode: '2005100',
    originalPartnerReferenceNo: 'RPABC123DEF456',
    latestTransactionStatus: '00',
    paidTime: '2026-11-23T10:00:00+07:00',
    amount: { value: '15000.00', currency: 'IDR' },
    additionalInfo: { rrn: '507900100001', issuer: 'DANA' },
  });
});

test('a transaction signed with another secret or an unknown token is refused in SNAP codes', async () => {
  const accessToken = String((await token()).body.accessToken);
  const path = '/snap/v1.0/qr/qr-mpm-query';
  const ts = snapTimestamp(new Date());
  const body = { originalPartnerReferenceNo: 'X', serviceCode: '47' };
  const headers = {
    'x-timestamp': ts,
    'x-partner-id': 'p',
    'x-external-id': '2001',
    'channel-id': '95221',
  };
  const forged = await post(path, body, {
    ...headers,
    authorization: `Bearer ${accessToken}`,
    'x-signature': hmacSign('another-secret', transactionString('POST', path, JSON.stringify(body), ts, accessToken)),
  });
  expect(forged).toEqual({
    status: 401,
    body: { responseCode: '4015100', responseMessage: 'Unauthorized. Invalid Signature' },
  });
  const unknown = await post(path, body, { ...headers, authorization: 'Bearer nope', 'x-signature': 'AAAA' });
  expect(unknown.body.responseCode).toBe('4015101');
});
