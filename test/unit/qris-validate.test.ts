// QRIS business rules on top of a structurally valid payload: the shared samples include real codes
// with a correct CRC that still break them.
import { decodeQris, validateQris, type DecodedQris } from '../../api/qris/codec/qris-codec';
import { loadQrisSamples } from './qris-samples';

const decodable = loadQrisSamples().filter((s) => s.crcValid);
const decoded = (n: number) => decodeQris(decodable.find((s) => s.number === n)!.payload);
const codes = (qris: DecodedQris) => validateQris(qris).map((v) => v.code);

test('the astrapay AHASS and INFAQ codes have valid CRCs but no NMID, and INFAQ has a 3-digit MCC', () => {
  const astrapay = decodable
    .map((s) => decodeQris(s.payload))
    .filter((d) => /^(AHASS|INFAQ)/.test(d.merchantName ?? ''));
  expect(astrapay).toHaveLength(5);
  for (const qris of astrapay) expect(codes(qris)).toContain('nmid-missing');
  const infaq = astrapay.find((d) => d.merchantName!.startsWith('INFAQ'))!;
  expect(validateQris(infaq)).toContainEqual({
    code: 'mcc-format',
    tag: '52',
    message: expect.stringContaining('"111"'),
  });
  // Names of 26 characters: one more than QRIS allows.
  expect(astrapay.filter((d) => codes(d).includes('name-too-long')).map((d) => d.merchantName)).toEqual([
    'AHASS Hayati Sungai Rumbai',
    'AHASS Hayati Sungai Rumbai',
    'INFAQ/SEDEKAH AMANAH ASTRA',
  ]);
});

test('Indonesian samples that carry an NMID in tag 51 pass, except the one whose NMID is fifteen zeros', () => {
  const withNmid = decodable.filter((s) => s.fields.has('51'));
  expect(withNmid.length).toBeGreaterThan(15);
  const failing = withNmid
    .map((s) => ({ sample: s.number, codes: codes(decodeQris(s.payload)) }))
    .filter((r) => r.codes.length > 0);
  expect(failing).toEqual([{ sample: 10, codes: ['nmid-format'] }]);
});

test('PromptPay (TH) and KHQR (KH) codes decode but are not QRIS: wrong currency and country', () => {
  const foreign = decodable.map((s) => decodeQris(s.payload)).filter((d) => d.country === 'TH' || d.country === 'KH');
  expect(foreign.length).toBeGreaterThanOrEqual(10);
  for (const qris of foreign)
    expect(codes(qris)).toEqual(expect.arrayContaining(['currency-not-idr', 'country-not-id', 'nmid-missing']));
});

test('a dynamic code without an amount is a violation; a static one without an amount is not', () => {
  const dynamic = decoded(2);
  expect(codes(dynamic)).toEqual([]);
  expect(codes({ ...dynamic, amount: undefined })).toEqual(['amount-missing']);
  expect(codes({ ...dynamic, amount: undefined, pointOfInitiation: 'static' })).toEqual([]);
});

test.each([
  ['a thousands separator', '50,000'],
  ['a sign', '-50000'],
  ['a trailing point', '50000.'],
  ['14 characters', '12345678901.00'],
])('an amount with %s breaks the tag 54 format', (_, amount) => {
  expect(validateQris({ ...decoded(2), amount })).toEqual([
    { code: 'amount-format', tag: '54', message: expect.stringContaining(amount) },
  ]);
});

test('amounts with decimals and up to 13 characters are allowed (the Starbucks code has 39000.00)', () => {
  expect(codes({ ...decoded(2), amount: '39000.00' })).toEqual([]);
  expect(codes({ ...decoded(2), amount: '1234567890.00' })).toEqual([]);
});

test('name over 25 and city over 15 characters are reported with their tags', () => {
  const qris = { ...decoded(2), merchantName: 'N'.repeat(26), merchantCity: 'C'.repeat(16) };
  expect(validateQris(qris).map((v) => [v.code, v.tag])).toEqual([
    ['name-too-long', '59'],
    ['city-too-long', '60'],
  ]);
});

test('a convenience-fee indicator without its fee is reported (55=02 needs 56, 55=03 needs 57)', () => {
  expect(codes({ ...decoded(2), tipIndicator: '02' })).toEqual(['fee-missing']);
  expect(codes({ ...decoded(2), tipIndicator: '03' })).toEqual(['fee-missing']);
  expect(codes({ ...decoded(2), tipIndicator: '03', convenienceFeePercentage: '0.7' })).toEqual([]);
});

test('a tag 62 sub-value over 25 characters is reported with its sub-tag; payment-system ones (50-99) are not', () => {
  const qris = decoded(2);
  const additionalData = { raw: { '05': 'R'.repeat(26), '99': 'X'.repeat(40) } };
  expect(validateQris({ ...qris, additionalData }).map((v) => [v.code, v.tag])).toEqual([
    ['additional-data-too-long', '62.05'],
  ]);
});
