// The simulated bank's SNAP signing against the reference's worked vector (SNAP_QRIS.md §2.6) and
// against node:crypto's own RSA verification.
import { generateKeyPairSync } from 'node:crypto';
import {
  digestOf,
  ExternalIds,
  hmacSign,
  hmacVerify,
  minify,
  parseSnapTimestamp,
  rsaSign,
  rsaVerify,
  snapTimestamp,
  tokenString,
  transactionString,
} from '../../terminal-sim/banks/snap/signature';

// SNAP_QRIS.md §2.6
const BODY =
  '{"partnerReferenceNo":"INV-20240101-0001","amount":{"value":"15000.00","currency":"IDR"},"merchantId":"M0001","terminalId":"T001","validityPeriod":"2024-01-01T10:15:00+07:00","additionalInfo":{}}';
const DIGEST = '34642e8e118dae49fb8211f0eb5444e8fd09c96de82aff4f2466852fd717c904';
const TS = '2024-01-01T10:00:00+07:00';
const STRING_TO_SIGN = `POST:/v1.0/qr/qr-mpm-generate:EXAMPLE_ACCESS_TOKEN:${DIGEST}:${TS}`;
const BASE64 = 'pbap83tiSeESgUhMhAfclhnUhnduNqODVfO42ex4wYoj2aLM1koytcotD+O/6cka74r1YD9vCz2JEaTSwnEzDQ==';
const HEX =
  'a5b6a9f37b6249e11281484c8407dc9619d486776e36a38355f3b8d9ec78c18a23d9a2ccd64a32b5ca2d0fe3bfe9c91aef8af5603f6f0b3d8911a4d2c271330d';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

test('the body digest and the symmetric string to sign are the reference vector', () => {
  expect(digestOf(BODY)).toBe(DIGEST);
  expect(transactionString('post', '/v1.0/qr/qr-mpm-generate', BODY, TS, 'EXAMPLE_ACCESS_TOKEN')).toBe(STRING_TO_SIGN);
});

test('HMAC-SHA512 with the client secret gives the vector in base64 and in hex, and verifies only that way', () => {
  expect(hmacSign('EXAMPLE_CLIENT_SECRET', STRING_TO_SIGN)).toBe(BASE64);
  expect(hmacSign('EXAMPLE_CLIENT_SECRET', STRING_TO_SIGN, 'hex')).toBe(HEX);
  expect(hmacVerify('EXAMPLE_CLIENT_SECRET', STRING_TO_SIGN, BASE64)).toBe(true);
  expect(hmacVerify('EXAMPLE_CLIENT_SECRET', STRING_TO_SIGN, HEX, 'hex')).toBe(true);
  expect(hmacVerify('ANOTHER_SECRET', STRING_TO_SIGN, BASE64)).toBe(false);
  expect(hmacVerify('EXAMPLE_CLIENT_SECRET', STRING_TO_SIGN.replace(TS, '2024-01-01T10:00:01+07:00'), BASE64)).toBe(
    false,
  );
});

test('minify drops whitespace between tokens and keeps it inside values, so the pretty body has the same digest', () => {
  const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
  expect(digestOf(pretty)).toBe(DIGEST);
  expect(minify('{ "name" : "Jokul  Doe",\n "id": "  088899" }')).toBe('{"name":"Jokul  Doe","id":"  088899"}');
  expect(minify('{"q":"a \\" b"}')).toBe('{"q":"a \\" b"}');
});

test('the asymmetric string has no token; SHA256withRSA verifies with the public key and not another', () => {
  const text = transactionString('POST', '/snap/e-retribusi/v1.0/qr/qr-mpm-notify', BODY, TS);
  expect(text).toBe(`POST:/snap/e-retribusi/v1.0/qr/qr-mpm-notify:${DIGEST}:${TS}`);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
  for (const encoding of ['base64', 'hex'] as const) {
    const sig = rsaSign(keys.privateKey, text, encoding);
    expect(rsaVerify(keys.publicKey, text, sig, encoding)).toBe(true);
    expect(rsaVerify(other.toString(), text, sig, encoding)).toBe(false);
    expect(rsaVerify(keys.publicKey, text.replace(TS, '2024-01-01T10:00:01+07:00'), sig, encoding)).toBe(false);
  }
  expect(rsaVerify(keys.publicKey, text, 'not a signature')).toBe(false);
});

test('the access-token string is client id, a pipe and the timestamp, signed with RSA', () => {
  expect(tokenString('sim-bank', TS)).toBe(`sim-bank|${TS}`);
  expect(
    rsaVerify(keys.publicKey, tokenString('sim-bank', TS), rsaSign(keys.privateKey, tokenString('sim-bank', TS))),
  ).toBe(true);
});

test('X-TIMESTAMP is Jakarta time with +07:00 and names the same instant', () => {
  const at = new Date('2024-01-01T03:00:00.123Z');
  expect(snapTimestamp(at)).toBe(TS);
  expect(parseSnapTimestamp(TS)).toBe(Date.parse('2024-01-01T03:00:00Z'));
  expect(parseSnapTimestamp('2024-01-01 10:00:00')).toBeNaN();
});

test('external ids are digits, at most 36, unique, and carry the Jakarta date', () => {
  const ids = new ExternalIds();
  const late = new Date('2024-01-01T18:30:00Z'); // already 2 January in Jakarta
  const made = Array.from({ length: 500 }, () => ids.next(late));
  expect(new Set(made).size).toBe(500);
  for (const id of made) expect(id).toMatch(/^20240102\d{18}$/);
  expect(new ExternalIds().next(late)).not.toBe(made[0]);
});
