// The CRC routine and the decoder's structural rules, on hand-made payloads. The CRC vectors were
// computed with Python's binascii.crc_hqx(data, 0xFFFF), an independent CCITT-FALSE implementation.
import {
  crc16CcittFalse,
  crc16Hex,
  decodeQris,
  QrisDecodeError,
  type QrisDecodeErrorCode,
} from '../../api/qris/codec/qris-codec';

/** A payload from data objects, closed with a correct CRC. */
function withCrc(body: string): string {
  return `${body}6304${crc16Hex(`${body}6304`)}`;
}

function decodeError(payload: unknown): QrisDecodeError {
  try {
    decodeQris(payload);
  } catch (err) {
    if (err instanceof QrisDecodeError) return err;
    throw new Error(`expected a QrisDecodeError, got ${String(err)}`);
  }
  throw new Error('expected the payload to be refused');
}

const HEAD = '000201010212';

test('CRC-16/CCITT-FALSE of "123456789" is the catalogue check value 29B1', () => {
  expect(crc16CcittFalse('123456789')).toBe(0x29b1);
  expect(crc16Hex('123456789')).toBe('29B1');
});

test('a CRC below 0x1000 is zero-padded to 4 digits and such a payload decodes', () => {
  const payload = '0002010102115908PASAR 6163040007';
  expect(crc16Hex(payload.slice(0, -4))).toBe('0007');
  expect(decodeQris(payload).merchantName).toBe('PASAR 61');
});

test('lengths count characters while the CRC covers UTF-8 bytes (alternate-language tag 64)', () => {
  const payload =
    '0002010102115204541153033605802ID5910Pasar Baru6007Jakarta64220002ZH0105巴鲁市场🛒0203雅加达63048961';
  const decoded = decodeQris(payload);
  const language = decoded.fields.find((f) => f.tag === '64')!;
  expect(language.children!.map((c) => [c.tag, c.value])).toEqual([
    ['00', 'ZH'],
    ['01', '巴鲁市场🛒'],
    ['02', '雅加达'],
  ]);
  expect(decoded.merchantCity).toBe('Jakarta');
});

test('tags in any order decode, and the original order is kept', () => {
  const decoded = decodeQris(withCrc('000201' + '5802ID' + '540515000' + '010212' + '5303360'));
  expect(decoded.tags).toEqual(['00', '58', '54', '01', '53', '63']);
  expect(decoded).toMatchObject({ amount: '15000', currency: '360', country: 'ID', pointOfInitiation: 'dynamic' });
});

test('a lowercase CRC is the same number and is accepted; the stored text is kept as written', () => {
  const upper = withCrc(`${HEAD}5802ID`);
  const lower = upper.slice(0, -4) + upper.slice(-4).toLowerCase();
  expect(decodeQris(lower).crc).toBe(upper.slice(-4).toLowerCase());
});

test('an unreserved template (80-99) that is not TLV inside is kept as a raw value, not refused', () => {
  const decoded = decodeQris(withCrc(`${HEAD}8106ABCDEF`));
  expect(decoded.fields.find((f) => f.tag === '81')).toMatchObject({ value: 'ABCDEF', children: undefined });
});

test.each<[string, unknown, QrisDecodeErrorCode, string | undefined]>([
  ['null', null, 'not-a-string', undefined],
  ['a number', 42, 'not-a-string', undefined],
  ['an empty string', '', 'missing-tag', '00'],
  ['tag 00 not first', withCrc('010212000201'), 'missing-tag', '00'],
  ['no tag 63', `${HEAD}5802ID`, 'missing-tag', '63'],
  ['something after tag 63', `${withCrc(HEAD)}5802ID`, 'crc-not-last', '58'],
  ['a CRC of 5 characters', `${HEAD}6305ABCDE`, 'bad-length', '63'],
  ['a placeholder CRC that is not hex', `${HEAD}6304M2B3`, 'bad-crc', '63'],
  ['a CRC that does not match', `${HEAD}63041234`, 'bad-crc', '63'],
  ['a value running past the end', '0002010102125910ABC', 'bad-length', '59'],
  ['a length that is not two digits', '00020101AB', 'bad-length', '01'],
  ['an ID that is not two digits', withCrc('000201AB0212'), 'bad-tag', undefined],
  ['a broken sub-length inside a template', withCrc(`${HEAD}26060015ID`), 'bad-length', '26.00'],
  ['the same tag twice (two amounts)', withCrc(`${HEAD}540510000540550000`), 'duplicate-tag', '54'],
  ['the same sub-tag twice in tag 62', withCrc(`${HEAD}62140503AAA0503BBB`), 'duplicate-tag', '62.05'],
  ['tag 00 other than "01"', withCrc('000202010212'), 'bad-format', '00'],
  ['tag 01 other than 11 or 12', withCrc('000201010213'), 'bad-format', '01'],
])('refuses %s with code %s', (_, payload, code, tag) => {
  const error = decodeError(payload);
  expect(error.code).toBe(code);
  expect(error.tag).toBe(tag);
});

test('a length error names the offset of the data object that overruns', () => {
  expect(decodeError('0002010102125910ABC')).toMatchObject({ code: 'bad-length', offset: 12, tag: '59' });
});

// Deterministic PRNG (mulberry32) so a failure can be replayed.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random strings never make the decoder throw anything but QrisDecodeError', () => {
  const random = prng(20260314);
  const alphabet = '0123456789012345678901234567890123456789ABCDEFabc .-市🛒\u0000\ud800';
  for (let i = 0; i < 5000; i++) {
    const length = Math.floor(random() * 300);
    let text = random() < 0.5 ? '000201' : '';
    while (text.length < length) text += alphabet[Math.floor(random() * alphabet.length)];
    try {
      decodeQris(random() < 0.3 ? withCrc(text) : text);
    } catch (err) {
      expect(err).toBeInstanceOf(QrisDecodeError);
    }
  }
});

test('random well-framed TLV with a correct CRC either decodes or is refused with a QrisDecodeError', () => {
  const random = prng(7);
  let decoded = 0;
  for (let i = 0; i < 3000; i++) {
    let body = HEAD;
    for (let n = Math.floor(random() * 12); n > 0; n--) {
      const tag = String(2 + Math.floor(random() * 98)).padStart(2, '0');
      const value = random() < 0.5 ? '0003abc' : 'x'.repeat(Math.floor(random() * 20));
      body += `${tag}${String(value.length).padStart(2, '0')}${value}`;
    }
    try {
      decodeQris(withCrc(body));
      decoded++;
    } catch (err) {
      expect(err).toBeInstanceOf(QrisDecodeError);
    }
  }
  expect(decoded).toBeGreaterThan(0);
});
