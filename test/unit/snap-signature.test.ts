// SNAP signatures (../shared/conformance/SNAP_QRIS.md §1.4, §2): every expected value is computed
// here with node:crypto from the formula, never through api/snap, so a mistake in the product's
// formula cannot hide in the test's.
import { createHash, createHmac, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import {
  bodyDigest,
  minifyJson,
  signAsymmetric,
  signSymmetric,
  tokenStringToSign,
  transactionStringToSign,
  verifyAsymmetric,
  verifySymmetric,
} from '../../api/snap/signature';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string, s: string, enc: 'base64' | 'hex') => createHmac('sha512', key).update(s).digest(enc);

const pair = () => {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    priv: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pub: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const bank = pair();
const other = pair();

// DOKU's worked example (§2.4): spaces between tokens go, spaces inside values stay.
const SPACED = `{
  "partnerServiceId": "  088899",
  "customerNo" : "12345678901234567890",
  "virtualAccountName": "Jokul Doe"
}`;
const SPACED_MINIFIED =
  '{"partnerServiceId":"  088899","customerNo":"12345678901234567890","virtualAccountName":"Jokul Doe"}';

test('minify removes whitespace between tokens and keeps it inside values, escaped quotes included', () => {
  expect(minifyJson(SPACED)).toBe(SPACED_MINIFIED);
  expect(minifyJson('{ "a" : "x \\" y" , "b" : [ 1, 2 ] }')).toBe('{"a":"x \\" y","b":[1,2]}');
  expect(bodyDigest(SPACED)).toBe(sha256(SPACED_MINIFIED));
  // The whitespace-everywhere "minify" some SDKs use gives another digest: Jokul Doe is not JokulDoe.
  expect(bodyDigest(SPACED)).not.toBe(sha256(SPACED.replace(/\s+/g, '')));
  expect(bodyDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

// §2.6: the reference's vector, recomputed here and compared with the values printed there.
const VECTOR = {
  body: '{"partnerReferenceNo":"INV-20240101-0001","amount":{"value":"15000.00","currency":"IDR"},"merchantId":"M0001","terminalId":"T001","validityPeriod":"2024-01-01T10:15:00+07:00","additionalInfo":{}}',
  digest: '34642e8e118dae49fb8211f0eb5444e8fd09c96de82aff4f2466852fd717c904',
  timestamp: '2024-01-01T10:00:00+07:00',
  token: 'EXAMPLE_ACCESS_TOKEN',
  secret: 'EXAMPLE_CLIENT_SECRET',
  base64: 'pbap83tiSeESgUhMhAfclhnUhnduNqODVfO42ex4wYoj2aLM1koytcotD+O/6cka74r1YD9vCz2JEaTSwnEzDQ==',
  hex: 'a5b6a9f37b6249e11281484c8407dc9619d486776e36a38355f3b8d9ec78c18a23d9a2ccd64a32b5ca2d0fe3bfe9c91aef8af5603f6f0b3d8911a4d2c271330d',
};

test('the reference vector (§2.6): symmetric signature over METHOD:path:token:digest:timestamp, base64 and hex', () => {
  const expected = `POST:/v1.0/qr/qr-mpm-generate:${VECTOR.token}:${sha256(VECTOR.body)}:${VECTOR.timestamp}`;
  expect(sha256(VECTOR.body)).toBe(VECTOR.digest);
  expect(hmac(VECTOR.secret, expected, 'base64')).toBe(VECTOR.base64);
  expect(hmac(VECTOR.secret, expected, 'hex')).toBe(VECTOR.hex);

  const s = transactionStringToSign({
    method: 'post',
    path: '/v1.0/qr/qr-mpm-generate',
    accessToken: VECTOR.token,
    body: JSON.stringify(JSON.parse(VECTOR.body), null, 2), // pretty-printed: minify gives the same bytes
    timestamp: VECTOR.timestamp,
  });
  expect(s).toBe(expected);
  expect(signSymmetric(VECTOR.secret, s)).toBe(VECTOR.base64);
  expect(signSymmetric(VECTOR.secret, s, 'hex')).toBe(VECTOR.hex);
  expect(verifySymmetric(VECTOR.secret, s, VECTOR.base64)).toBe(true);
  expect(verifySymmetric(VECTOR.secret, s, VECTOR.hex, 'hex')).toBe(true);
  expect(verifySymmetric(VECTOR.secret, s, VECTOR.hex.toUpperCase(), 'hex')).toBe(true);
});

test('symmetric: a wrong secret, a tampered body, the other encoding or garbage do not verify', () => {
  const s = (body: string) =>
    transactionStringToSign({
      method: 'POST',
      path: '/v1.0/qr/qr-mpm-notify',
      accessToken: 't',
      body,
      timestamp: VECTOR.timestamp,
    });
  const good = hmac('secret-a', s(SPACED), 'base64');
  expect(verifySymmetric('secret-a', s(SPACED), good)).toBe(true);
  expect(verifySymmetric('secret-b', s(SPACED), good)).toBe(false);
  expect(verifySymmetric('secret-a', s(SPACED.replace('Jokul Doe', 'Jokul  Doe')), good)).toBe(false);
  expect(verifySymmetric('secret-a', s(SPACED), good, 'hex')).toBe(false);
  expect(verifySymmetric('secret-a', s(SPACED), 'not base64!')).toBe(false);
  expect(verifySymmetric('secret-a', s(SPACED), good.slice(0, 40))).toBe(false);
});

test('asymmetric transaction (type 2, no token): SHA256withRSA over METHOD:path:digest:timestamp', () => {
  const expected = `POST:/snap/v1.0/qr/qr-mpm-notify:${sha256(SPACED_MINIFIED)}:${VECTOR.timestamp}`;
  const s = transactionStringToSign({
    method: 'POST',
    path: '/snap/v1.0/qr/qr-mpm-notify',
    body: SPACED,
    timestamp: VECTOR.timestamp,
  });
  expect(s).toBe(expected);
  // The bank signs with node:crypto; the product verifies.
  const bankSig = createSign('RSA-SHA256').update(expected).sign(bank.priv, 'base64');
  expect(verifyAsymmetric(bank.pub, s, bankSig)).toBe(true);
  expect(verifyAsymmetric(other.pub, s, bankSig)).toBe(false); // wrong key
  const tampered = transactionStringToSign({
    method: 'POST',
    path: '/snap/v1.0/qr/qr-mpm-notify',
    body: SPACED.replace('088899', '088898'),
    timestamp: VECTOR.timestamp,
  });
  expect(verifyAsymmetric(bank.pub, tampered, bankSig)).toBe(false);
  const hexSig = Buffer.from(bankSig, 'base64').toString('hex');
  expect(verifyAsymmetric(bank.pub, s, hexSig, 'hex')).toBe(true);
  expect(verifyAsymmetric('not a key', s, bankSig)).toBe(false);
  // The product signs; node:crypto verifies.
  const ours = signAsymmetric(other.priv, s);
  expect(createVerify('RSA-SHA256').update(expected).verify(other.pub, Buffer.from(ours, 'base64'))).toBe(true);
  expect(signAsymmetric(other.priv, s, 'hex')).toBe(Buffer.from(ours, 'base64').toString('hex')); // PKCS#1 v1.5 is deterministic
});

test('access token (and notify scheme 3): SHA256withRSA over clientId|timestamp, exactly as sent', () => {
  const ts = '2024-01-01T10:00:00+07:00';
  expect(tokenStringToSign('client-123', ts)).toBe(`client-123|${ts}`);
  const sig = createSign('RSA-SHA256').update(`client-123|${ts}`).sign(bank.priv, 'base64');
  expect(verifyAsymmetric(bank.pub, tokenStringToSign('client-123', ts), sig)).toBe(true);
  expect(verifyAsymmetric(bank.pub, tokenStringToSign('client-124', ts), sig)).toBe(false);
  expect(verifyAsymmetric(bank.pub, tokenStringToSign('client-123', '2024-01-01T10:00:01+07:00'), sig)).toBe(false);
  expect(verifyAsymmetric(other.pub, tokenStringToSign('client-123', ts), sig)).toBe(false);
});
