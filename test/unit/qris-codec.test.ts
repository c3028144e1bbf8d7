// Every payload in ../shared/conformance/qris_samples.txt against the decoder: the fields, CRC and
// tag order the file lists, and the one sample with a wrong CRC refused.
import { crc16Hex, decodeQris, QrisDecodeError, type DecodedQris } from '../../api/qris/codec/qris-codec';
import { loadQrisSamples, quotedSubFieldsOf, subFieldsOf, unquote, type QrisSample } from './qris-samples';

const samples = loadQrisSamples();
const validSamples = samples.filter((s) => s.crcValid);

// The file's field names -> DecodedQris properties holding the value exactly as written.
const SCALARS: Record<string, keyof DecodedQris> = {
  mcc: 'mcc',
  currency: 'currency',
  amount: 'amount',
  tip_indicator: 'tipIndicator',
  fee_fixed: 'convenienceFeeFixed',
  fee_pct: 'convenienceFeePercentage',
  country: 'country',
  name: 'merchantName',
  city: 'merchantCity',
  postal: 'postalCode',
};

// Tag 62 sub-tags the decoder names, written out here rather than imported so that a wrong
// mapping in the decoder cannot also be the expectation.
const ADDITIONAL_DATA_NAMES: Record<string, string> = {
  '01': 'billNumber',
  '02': 'mobileNumber',
  '03': 'storeLabel',
  '04': 'loyaltyNumber',
  '05': 'referenceLabel',
  '06': 'customerLabel',
  '07': 'terminalLabel',
  '08': 'purpose',
  '09': 'consumerDataRequest',
};

function expectedScalars(sample: QrisSample): Partial<Record<keyof DecodedQris, string>> {
  const expected: Partial<Record<keyof DecodedQris, string>> = {};
  for (const { name, text } of sample.fields.values()) {
    if (SCALARS[name]) expected[SCALARS[name]] = unquote(text);
    else if (!['point_of_initiation', 'merchant_account', 'additional_data'].includes(name)) {
      throw new Error(`sample ${sample.number}: no expectation for field "${name}"`);
    }
  }
  return expected;
}

function expectMerchantAccounts(sample: QrisSample, decoded: DecodedQris): void {
  const accounts = [...sample.fields.entries()].filter(([, f]) => f.name === 'merchant_account');
  const perAcquirer = accounts.filter(([tag]) => Number(tag) >= 26 && Number(tag) <= 45);
  expect(decoded.merchantAccounts.map((a) => [a.tag, a.raw])).toEqual(
    perAcquirer.map(([tag, f]) => [tag, subFieldsOf(f.text)]),
  );
  for (const account of decoded.merchantAccounts) {
    expect([account.globalId, account.merchantPan, account.merchantId, account.criteria]).toEqual(
      ['00', '01', '02', '03'].map((t) => account.raw[t]),
    );
  }
  const national = sample.fields.get('51');
  expect(decoded.nationalMerchant?.raw).toEqual(national ? subFieldsOf(national.text) : undefined);
  expect(decoded.nationalMerchant?.nmid).toBe(national ? subFieldsOf(national.text)['02'] : undefined);
  // Tags 02-25 are card-scheme accounts with a plain value (sample 27 has a UnionPay tag 15).
  for (const [tag] of accounts.filter(([t]) => Number(t) < 26)) {
    const field = decoded.fields.find((f) => f.tag === tag);
    expect(field).toBeDefined();
    expect(field!.children).toBeUndefined();
  }
}

function expectAdditionalData(sample: QrisSample, decoded: DecodedQris): void {
  const line = sample.fields.get('62');
  if (!line) {
    expect(decoded.additionalData).toEqual({ raw: {} });
    return;
  }
  const raw = quotedSubFieldsOf(line.text);
  const named = Object.fromEntries(
    Object.entries(raw)
      .filter(([t]) => ADDITIONAL_DATA_NAMES[t])
      .map(([t, v]) => [ADDITIONAL_DATA_NAMES[t], v]),
  );
  expect(decoded.additionalData).toEqual({ ...named, raw });
}

function expectPointOfInitiation(sample: QrisSample, decoded: DecodedQris): void {
  const line = sample.fields.get('01');
  expect(line?.text).toMatch(/^1[12] \((static|dynamic)\)$/);
  expect(decoded.pointOfInitiation).toBe(/\((\w+)\)/.exec(line!.text)![1]);
}

test('the conformance file holds 44 samples, 43 of them with a valid CRC and sample 40 without', () => {
  expect(samples).toHaveLength(44);
  expect(samples.map((s) => s.number)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
  expect(samples.filter((s) => !s.crcValid).map((s) => s.number)).toEqual([40]);
  for (const s of samples) expect([...s.payload]).toHaveLength(s.length);
});

test.each(samples.map((s) => [s.number, s] as const))(
  'sample %i: our CRC-16/CCITT-FALSE gives the listed crc_computed',
  (_, sample) => {
    expect(crc16Hex(sample.payload.slice(0, -4))).toBe(sample.crcComputed);
    expect(sample.payload.slice(-8)).toBe(`6304${sample.crcStored}`);
  },
);

test.each(validSamples.map((s) => [s.number, s] as const))(
  'sample %i decodes to the listed fields, CRC and tag order',
  (_, sample) => {
    const decoded = decodeQris(sample.payload);
    expect(decoded.payload).toBe(sample.payload);
    expect(decoded.payloadFormat).toBe('01');
    expect(decoded.crc).toBe(sample.crcStored);
    expect(decoded.tags).toEqual(sample.tagOrder);
    const scalars = Object.fromEntries(Object.values(SCALARS).map((key) => [key, decoded[key]]));
    expect(scalars).toEqual(expectedScalars(sample));
    expectPointOfInitiation(sample, decoded);
    expectMerchantAccounts(sample, decoded);
    expectAdditionalData(sample, decoded);
  },
);

test('sample 40, whose stored CRC 5C1C does not match its content (4AD5), is refused with bad-crc at tag 63', () => {
  const sample = samples.find((s) => s.number === 40)!;
  let error: unknown;
  try {
    decodeQris(sample.payload);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(QrisDecodeError);
  expect(error).toMatchObject({ code: 'bad-crc', tag: '63', offset: sample.payload.length - 8 });
  expect((error as Error).message).toContain('4AD5');
});

test('amounts stay strings exactly as written: "39000.00" is not turned into 39000', () => {
  const starbucks = validSamples.find((s) => s.fields.get('59')?.text === "'Starbucks '")!;
  expect(decodeQris(starbucks.payload).amount).toBe('39000.00');
});

/** How `decodeQris` treats a payload: 'ok', or the error code; anything else is a defect. */
function outcome(payload: string): string {
  try {
    decodeQris(payload);
    return 'ok';
  } catch (err) {
    return err instanceof QrisDecodeError ? err.code : `unexpected ${String(err)}`;
  }
}

test('every truncation of every valid sample is refused with a QrisDecodeError, never another exception', () => {
  const outcomes = validSamples.flatMap(({ payload }) =>
    Array.from({ length: payload.length }, (_, cut) => outcome(payload.slice(0, cut))),
  );
  expect(outcomes.length).toBeGreaterThan(5000);
  expect(outcomes.filter((o) => o === 'ok' || o.startsWith('unexpected'))).toEqual([]);
});

test('changing any one character of a valid sample is refused, except changing the case of the CRC hex', () => {
  const wronglyAccepted: string[] = [];
  let caseOnly = 0;
  for (const { payload } of validSamples) {
    for (let at = 0; at < payload.length; at++) {
      for (const ch of ['0', '9', 'A', 'z', ' ', '.', payload[at].toLowerCase()].filter((r) => r !== payload[at])) {
        const mutated = payload.slice(0, at) + ch + payload.slice(at + 1);
        const result = outcome(mutated);
        if (at >= payload.length - 4 && mutated.toUpperCase() === payload.toUpperCase()) {
          expect(result).toBe('ok');
          caseOnly++;
        } else if (result === 'ok' || result.startsWith('unexpected')) wronglyAccepted.push(`${mutated}: ${result}`);
      }
    }
  }
  expect(wronglyAccepted).toEqual([]);
  expect(caseOnly).toBeGreaterThan(0);
});
