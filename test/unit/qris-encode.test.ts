// The dynamic QRIS encoder: byte-exact output, a round trip through our decoder, and input errors
// that name the field.
import Decimal from 'decimal.js';
import {
  decodeQris,
  encodeDynamicQris,
  QrisEncodeError,
  validateQris,
  type EncodeDynamicQrisInput,
} from '../../api/qris/codec/qris-codec';

function input(overrides: Partial<EncodeDynamicQrisInput> = {}): EncodeDynamicQrisInput {
  return {
    merchantAccount: {
      globalId: 'ID.CO.BANKDKI.WWW',
      merchantPan: '936001110000001585',
      merchantId: '00001585',
      criteria: 'URE',
    },
    nmid: 'ID1023271450331',
    mcc: '9399',
    merchantName: 'PASAR KRAMAT JATI',
    merchantCity: 'JAKARTA TIMUR',
    postalCode: '13510',
    amount: '15000.00',
    billNumber: 'RTB-2026-000123',
    referenceLabel: 'RP7F3K9Q2M4X1B',
    terminalLabel: 'KJ-A-017',
    ...overrides,
  };
}

function issuesOf(bad: EncodeDynamicQrisInput): { field: string; message: string }[] {
  try {
    encodeDynamicQris(bad);
  } catch (err) {
    if (err instanceof QrisEncodeError) return err.issues;
    throw err;
  }
  throw new Error('expected the input to be refused');
}

test('the payload is byte-exact: tags ascending, amount without ".00", CRC as Python binascii.crc_hqx computes it', () => {
  expect(encodeDynamicQris(input())).toBe(
    '00020101021226620017ID.CO.BANKDKI.WWW01189360011100000015850208000015850303URE' +
      '51440014ID.CO.QRIS.WWW0215ID10232714503310303URE5204939953033605405150005802ID' +
      '5917PASAR KRAMAT JATI6013JAKARTA TIMUR61051351062490115RTB-2026-0001230514RP7F3K9Q2M4X1B0708KJ-A-01763045ACE',
  );
});

test('decoding our own payload gives back every field that went in, and QRIS validation finds nothing', () => {
  const decoded = decodeQris(encodeDynamicQris(input()));
  expect(decoded).toMatchObject({
    payloadFormat: '01',
    pointOfInitiation: 'dynamic',
    merchantAccounts: [
      {
        tag: '26',
        globalId: 'ID.CO.BANKDKI.WWW',
        merchantPan: '936001110000001585',
        merchantId: '00001585',
        criteria: 'URE',
      },
    ],
    nationalMerchant: { globalId: 'ID.CO.QRIS.WWW', nmid: 'ID1023271450331', criteria: 'URE' },
    mcc: '9399',
    currency: '360',
    amount: '15000',
    country: 'ID',
    merchantName: 'PASAR KRAMAT JATI',
    merchantCity: 'JAKARTA TIMUR',
    postalCode: '13510',
    additionalData: { billNumber: 'RTB-2026-000123', referenceLabel: 'RP7F3K9Q2M4X1B', terminalLabel: 'KJ-A-017' },
  });
  expect(decoded.tags).toEqual(['00', '01', '26', '51', '52', '53', '54', '58', '59', '60', '61', '62', '63']);
  expect(validateQris(decoded)).toEqual([]);
});

test.each<[string, EncodeDynamicQrisInput['amount'], string]>([
  ['"15000.00" is written as whole rupiah', '15000.00', '15000'],
  ['"15000" stays as it is', '15000', '15000'],
  ['a leading zero is dropped', '015000', '15000'],
  ['a real fraction keeps two places', '15000.5', '15000.50'],
  ['a Decimal is accepted', new Decimal('2500.25'), '2500.25'],
  ['the largest 13-character amount fits', '9999999999999', '9999999999999'],
])('amount: %s', (_, amount, written) => {
  expect(decodeQris(encodeDynamicQris(input({ amount }))).amount).toBe(written);
});

test('optional parts are left out, not written empty: no postal code, no PAN, no criteria', () => {
  const decoded = decodeQris(
    encodeDynamicQris(
      input({ postalCode: undefined, merchantAccount: { globalId: 'ID.CO.BANKDKI.WWW', merchantId: '00001585' } }),
    ),
  );
  expect(decoded.tags).not.toContain('61');
  expect(decoded.merchantAccounts[0].raw).toEqual({ '00': 'ID.CO.BANKDKI.WWW', '02': '00001585' });
  expect(decoded.nationalMerchant!.raw).toEqual({ '00': 'ID.CO.QRIS.WWW', '02': 'ID1023271450331' });
});

test('values at their maximum lengths still encode, decode and validate', () => {
  const longest = input({
    merchantAccount: {
      globalId: 'G'.repeat(32),
      merchantPan: '9'.repeat(19),
      merchantId: 'M'.repeat(15),
      criteria: 'UMI',
    },
    merchantName: 'N'.repeat(25),
    merchantCity: 'C'.repeat(15),
    billNumber: 'B'.repeat(25),
    referenceLabel: 'R'.repeat(25),
    terminalLabel: 'T'.repeat(25),
    amount: '9999999999.99',
  });
  const decoded = decodeQris(encodeDynamicQris(longest));
  expect(decoded.additionalData).toMatchObject({
    billNumber: 'B'.repeat(25),
    referenceLabel: 'R'.repeat(25),
    terminalLabel: 'T'.repeat(25),
  });
  expect(decoded.amount).toBe('9999999999.99');
  expect(validateQris(decoded)).toEqual([]);
});

test.each<[string, Partial<EncodeDynamicQrisInput>, string, RegExp]>([
  ['a name over 25 characters', { merchantName: 'PASAR INDUK KRAMAT JATI BLOK A' }, 'merchantName', /at most 25/],
  ['a city over 15 characters', { merchantCity: 'KOTA ADMINISTRASI JAKARTA TIMUR' }, 'merchantCity', /at most 15/],
  ['a name outside ASCII', { merchantName: 'Pasar Café' }, 'merchantName', /printable ASCII/],
  ['a zero amount', { amount: '0.00' }, 'amount', /greater than zero/],
  ['a negative amount', { amount: '-5000' }, 'amount', /decimal string/],
  ['three decimal places', { amount: '15000.005' }, 'amount', /at most 2 places/],
  ['an amount of 14 characters', { amount: '12345678901.50' }, 'amount', /at most 13/],
  ['an NMID without "ID"', { nmid: '1023271450331' }, 'nmid', /"ID" followed by/],
  ['a 3-digit MCC', { mcc: '939' }, 'mcc', /4 digits/],
  ['a postal code of 4 digits', { postalCode: '1351' }, 'postalCode', /5 digits/],
  ['a bill number over 25 characters', { billNumber: 'B'.repeat(26) }, 'billNumber', /at most 25/],
  [
    'a UUID as terminal label (36 characters)',
    { terminalLabel: '4b0f6c1e-2d7a-4c3b-9f1e-8a2b3c4d5e6f' },
    'terminalLabel',
    /at most 25/,
  ],
  ['an empty reference label', { referenceLabel: '' }, 'referenceLabel', /required/],
  [
    'an unknown merchant criteria',
    { merchantAccount: { globalId: 'ID.CO.BANKDKI.WWW', criteria: 'XYZ' } },
    'merchantAccount.criteria',
    /UMI/,
  ],
  ['a missing global ID', { merchantAccount: { globalId: '' } }, 'merchantAccount.globalId', /required/],
])('refuses %s, naming the field', (_, overrides, field, message) => {
  expect(issuesOf(input(overrides))).toEqual([{ field, message: expect.stringMatching(message) }]);
});

test('every bad field is reported at once, and the error message names them all', () => {
  const bad = input({ merchantName: 'N'.repeat(26), mcc: '93', amount: '0' });
  expect(issuesOf(bad).map((i) => i.field)).toEqual(['mcc', 'merchantName', 'amount']);
  expect(() => encodeDynamicQris(bad)).toThrow(/mcc .*merchantName .*amount/);
});
