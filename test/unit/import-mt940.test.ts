import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import type { Statement } from '../../terminal-sim/banks/types';
import { decodeStatementBuffer, parseMt940 } from '../../api/reconcile/importers/mt940';
import { StatementImportError } from '../../api/reconcile/importers/statement-types';
import { readConformance, requireConformance } from '../support/conformance';

// Two pages of one day's treasury statement: the first ends in an intermediate :62M:, the
// second opens with :60M:. 1,000,000 + 250,000 - 50,000 (RC) + 1,500 (RD) - 2,500 = 1,199,000.
const TWO_PAGE_LINES = [
  '{1:F01BANK JATENG}{2:I940RKUD KAB MAGELANG}{4:',
  ':20:20261125030008',
  ':25:1010001234',
  ':28C:102/1',
  ':60F:C261125IDR1000000,00',
  ':61:2611251125C250000,NTRFB0001//BNK0001',
  ':86:STL BNI EDC 20261124 B0001',
  ':61:2611251125RC50000,00NTRFB0001',
  ':86:KOREKSI STL B0001',
  ':61:2611251125RD1500,NCHGNONREF',
  ':86:PEMBATALAN BIAYA ADM',
  ':61:2611251125D2500,00NCHG',
  ':62M:C261125IDR1199000,00',
  '-}',
  '{1:F01BANK JATENG}{2:I940RKUD KAB MAGELANG}{4:',
  ':20:20261125030009',
  ':25:1010001234',
  ':28C:102/2',
  ':60M:C261125IDR1199000,00',
  ':61:2611251125C1000NTRFQR77',
  ':62F:C261125IDR1200000,00',
  ':64:C261125IDR1200000,00',
  ':65:C261126IDR1200000,00',
  '-}',
];
const TWO_PAGES = TWO_PAGE_LINES.join('\r\n');

/** A one-statement file: the header fields, then the given ones. */
function mt940(...fields: string[]): string {
  return [':20:X', ':25:1', ':28C:1', ...fields].join('\n');
}

function refusal(text: string): StatementImportError {
  try {
    parseMt940(text);
  } catch (error) {
    if (error instanceof StatementImportError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseMt940', () => {
  it('reads every statement of a file, a continuation page being a statement of its own', () => {
    const [page1, page2] = parseMt940(TWO_PAGES);
    expect(page1).toMatchObject({
      format: 'mt940',
      statementId: '20261125030008/102/1',
      sequence: '102/1',
      lineNumber: 2,
    });
    expect([page1.account, page1.currency]).toEqual(['1010001234', 'IDR']);
    expect(page1.openingBalance).toEqual({ amount: '1000000.00', date: '2026-11-25' });
    expect(page1.closingBalance).toEqual({ amount: '1199000.00', date: '2026-11-25', intermediate: true });
    expect(page2.openingBalance).toEqual({ amount: '1199000.00', date: '2026-11-25', intermediate: true });
    expect(page2.balances.map((b) => [b.type, b.amount, b.date])).toEqual([
      ['ITBD', '1199000.00', '2026-11-25'],
      ['CLBD', '1200000.00', '2026-11-25'],
      ['CLAV', '1200000.00', '2026-11-25'],
      ['FWAV', '1200000.00', '2026-11-26'],
    ]);
    expect(page2.entries).toEqual([
      {
        lineNumber: 20,
        valueDate: '2026-11-25',
        bookingDate: '2026-11-25',
        amount: '1000.00',
        direction: 'credit',
        reversal: false,
        reference: 'QR77',
        bankReference: undefined,
        transactionCode: 'NTRF',
        description: '',
        details: {},
      },
    ]);
  });

  it('reads RC as a debit that reverses a credit and RD as a credit that reverses a debit', () => {
    const entries = parseMt940(TWO_PAGES)[0].entries;
    expect(entries.map((e) => [e.lineNumber, e.direction, e.reversal, e.amount, e.description])).toEqual([
      [6, 'credit', false, '250000.00', 'STL BNI EDC 20261124 B0001'],
      [8, 'debit', true, '50000.00', 'KOREKSI STL B0001'],
      [10, 'credit', true, '1500.00', 'PEMBATALAN BIAYA ADM'],
      [12, 'debit', false, '2500.00', ''],
    ]);
  });

  it('takes the part after // as the bank reference, and NONREF or nothing as no reference', () => {
    const entries = parseMt940(TWO_PAGES)[0].entries;
    expect(entries.map((e) => [e.reference, e.bankReference])).toEqual([
      ['B0001', 'BNK0001'],
      ['B0001', undefined],
      ['', undefined],
      ['', undefined],
    ]);
  });

  it('reads the same statements whether lines end in CRLF, LF or CR, or are all indented like BRI writes them', () => {
    const expected = parseMt940(TWO_PAGES);
    expect(parseMt940(TWO_PAGES.replace(/\r\n/g, '\n'))).toEqual(expected);
    expect(parseMt940(TWO_PAGES.replace(/\r\n/g, '\r'))).toEqual(expected);
    expect(parseMt940(TWO_PAGE_LINES.map((l) => `        ${l}`).join('\r\n'))).toEqual(expected);
  });

  it('reads amounts with a decimal comma, with a trailing comma, or without one (BTN, BRI)', () => {
    const text = mt940(':60F:C261125IDR0,', ':61:261125C10000NTRFA', ':61:261125C0,35NTRFB', ':62F:C261125IDR10000,35');
    expect(parseMt940(text)[0].entries.map((e) => e.amount)).toEqual(['10000.00', '0.35']);
  });

  it('reads a funds code between the mark and the amount (CR300 is a credit of 300 in funds code R)', () => {
    const text = mt940(
      ':60F:D070903EUR100,',
      ':61:0709040904CR300,NTRFTFNr 40005 MSGID//0724710345313905',
      ':62F:C070904EUR200,',
    );
    expect(parseMt940(text)[0].entries[0]).toMatchObject({
      direction: 'credit',
      amount: '300.00',
      reference: 'TFNr 40005 MSGID',
      details: { fundsCode: 'R' },
    });
  });

  it('reads structured :86: subfields wrapped over lines, with the SEPA end-to-end reference', () => {
    const text = [
      ':20:X',
      ':25:1',
      ':28C:1',
      ':60F:C070903EUR0,',
      ':61:0709040904DR500250,NTRFKREF+//BD7CFA74485E7E69',
      ':86:191?00SEPA-UEBERW?100399?20EREF+TFNr 01005 PayId CTSc-?2101 EBB?2',
      '2SVWZ+Rechnung 4711?3050880050?31DE42100100100043921105?32Richter Renate',
      ':62F:D070904EUR500250,',
    ].join('\n');
    const entry = parseMt940(text)[0].entries[0];
    expect(entry.details).toMatchObject({
      code: '191',
      '00': 'SEPA-UEBERW',
      '20': 'EREF+TFNr 01005 PayId CTSc-',
      '21': '01 EBB',
    });
    expect(entry.details).toMatchObject({
      '22': 'SVWZ+Rechnung 4711',
      '31': 'DE42100100100043921105',
      '32': 'Richter Renate',
    });
    expect(entry.details).toMatchObject({ EREF: 'TFNr 01005 PayId CTSc-01 EBB', SVWZ: 'Rechnung 4711' });
    expect(entry.description).toBe('SEPA-UEBERW EREF+TFNr 01005 PayId CTSc-01 EBBSVWZ+Rechnung 4711 Richter Renate');
  });

  it('joins a free :86: line of 65 characters to the next without a space, a shorter one with a space', () => {
    const full = 'TRANSFER FROM PASAR MUNGKID RETRIBUSI HARIAN KIOS A12 BULAN NOVEM';
    expect(full).toHaveLength(65);
    const text = mt940(
      ':60F:C261125IDR0,',
      ':61:261125C5,NTRFA',
      'Card transaction',
      `:86:${full}`,
      'BER 2026',
      'LUNAS',
      ':62F:C261125IDR5,',
    );
    const entry = parseMt940(text)[0].entries[0];
    expect(entry.description).toBe('TRANSFER FROM PASAR MUNGKID RETRIBUSI HARIAN KIOS A12 BULAN NOVEMBER 2026 LUNAS');
    expect(entry.details).toEqual({ supplementary: 'Card transaction' });
  });

  it("keeps an :86: after the closing balance as the statement's information, not the last entry's text (ING)", () => {
    const text = mt940(
      ':60F:C261125IDR0,',
      ':61:261125C5,NTRFA',
      ':86:OWN TEXT',
      ':62F:C261125IDR5,',
      ':86:D000004C000002D25,24C28,71',
      '-XXX',
    );
    const [s] = parseMt940(text);
    expect([s.entries[0].description, s.information]).toEqual(['OWN TEXT', 'D000004C000002D25,24C28,71']);
  });

  it('reads back what writeMt940 writes: the same balances and entries', () => {
    const statement = makeStatement();
    const [parsed] = parseMt940(writeMt940(statement));
    expect(parsed).toMatchObject({ account: statement.accountNumber, sequence: '102', currency: 'IDR' });
    expect(parsed.openingBalance).toEqual({ amount: '100000.35', date: '2026-11-25' });
    expect(parsed.closingBalance).toEqual({ amount: '331149.85', date: '2026-11-25' });
    const read = parsed.entries.map(({ valueDate, bookingDate, amount, direction, reference, description }) => {
      return { valueDate, bookingDate, amount, direction, reference, description };
    });
    expect(read).toEqual(
      statement.entries.map((e) => ({ ...e, description: e.description.trim().replace(/\s+/g, ' ') })),
    );
  });
});

describe('parseMt940 refusals', () => {
  it('refuses a statement that does not add up at its closing balance, naming the sums', () => {
    const error = refusal(TWO_PAGES.replace(':62M:C261125IDR1199000,00', ':62M:C261125IDR1199500,00'));
    expect(error.line).toBe(13);
    expect(error.reason).toBe(
      'statement 20261125030008/102/1 does not balance: opening 1000000.00 + credits 251500.00 - debits 52500.00 = 1199000.00, but the closing balance is 1199500.00',
    );
  });

  it('refuses a file cut short inside a statement at its last line, or reads the complete statements before the cut', () => {
    const full = parseMt940(TWO_PAGES);
    for (let cut = 1; cut < TWO_PAGES.length; cut++) {
      const text = TWO_PAGES.slice(0, cut);
      let statements: ReturnType<typeof parseMt940>;
      try {
        statements = parseMt940(text);
      } catch (error) {
        expect(error).toBeInstanceOf(StatementImportError);
        expect((error as StatementImportError).line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
        continue;
      }
      statements.forEach((s, i) => expect({ ...s, balances: [] }).toEqual({ ...full[i], balances: [] }));
    }
    expect(refusal(TWO_PAGES.slice(0, TWO_PAGES.indexOf(':62F:')))).toMatchObject({
      line: 21,
      reason: expect.stringContaining('without a closing balance'),
    });
  });

  it.each([
    ['text that is no MT940 at all', 'Dear customer,\nplease find attached', 1, 'no MT940 statement'],
    [
      'stray text after a one-line field',
      TWO_PAGES.replace(':25:1010001234', ':25:1010001234\r\nGARBAGE'),
      4,
      'unexpected text after :25:',
    ],
    [
      'a :61: that cannot be read',
      TWO_PAGES.replace(':61:2611251125D2500,00NCHG', ':61:26112X1125D2500,00NCHG'),
      12,
      ':61: is not a statement line',
    ],
    ['an impossible date', TWO_PAGES.replace(':60F:C261125', ':60F:C260230'), 5, 'is not a date'],
    ['an amount with two commas', TWO_PAGES.replace('C250000,NTRF', 'C250,000,NTRF'), 6, 'is not an amount'],
    ['a closing balance in another currency', TWO_PAGES.replace(':62F:C261125IDR', ':62F:C261125USD'), 21, 'is in USD'],
    [
      'an entry after the closing balance',
      TWO_PAGES.replace(':64:C261125IDR1200000,00', ':61:2611251125C1000NTRFQR78'),
      22,
      'after the closing balance',
    ],
    [
      'a message header cut before its text block',
      TWO_PAGES.slice(0, TWO_PAGES.indexOf('{4:', 50)),
      15,
      'without its text block {4:',
    ],
    [
      'a message cut right after its header',
      TWO_PAGES.slice(0, TWO_PAGES.indexOf(':20:20261125030009')),
      16,
      'opened at line 15 holds no',
    ],
    ['a statement field before any :20:', `:25:1010001234\r\n${TWO_PAGES}`, 1, 'before any :20:'],
  ])('refuses %s, naming the line', (_what, text, line, reason) => {
    const error = refusal(text);
    expect(error.line).toBe(line);
    expect(error.reason).toContain(reason);
  });

  it('refuses randomly corrupted files with a line inside the file, never another error', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const noise = ':-}{?/,0123456789CDRN \n';
    for (let i = 0; i < 2000; i++) {
      const chars = TWO_PAGES.split('');
      for (let k = 0; k < 3; k++)
        chars[Math.floor(random() * chars.length)] = noise[Math.floor(random() * noise.length)];
      const text = chars.join('');
      try {
        parseMt940(text);
      } catch (error) {
        expect(error).toBeInstanceOf(StatementImportError);
        expect((error as StatementImportError).line).toBeGreaterThanOrEqual(1);
        expect((error as StatementImportError).line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
      }
    }
  });
});

describe('decodeStatementBuffer', () => {
  it('reads valid UTF-8 as UTF-8 and anything else as ISO-8859-1', () => {
    expect(decodeStatementBuffer(Buffer.from(':86:Us\u0142ugi ksi\u0119gowe', 'utf8'))).toBe(
      ':86:Us\u0142ugi ksi\u0119gowe',
    );
    expect(decodeStatementBuffer(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]))).toBe('M\u00fcller');
  });

  it("reads a DOS code page when told, as Raiffeisen HU's file needs", () => {
    requireConformance('mt940');
    const text = decodeStatementBuffer(readConformance('mt940', 'wolph_self-provided_raiffeisen-cmi.sta'), 'cp852');
    expect(text.split('\n')[6]).toBe('Csoportos \u00e1tutal\u00e1s j\u00f3v\u00e1\u00edr\u00e1sa');
  });
});

const DAY = { valueDate: '2026-11-25', bookingDate: '2026-11-25' };

function makeStatement(overrides: Partial<Statement> = {}): Statement {
  return {
    bankName: 'Bank Jateng',
    bic: 'PDJTIDJ1',
    accountNumber: '1010001234',
    accountName: 'RKUD KAB MAGELANG',
    currency: 'IDR',
    statementNumber: 102,
    date: '2026-11-25',
    openingBalance: '100000.35',
    entries: [
      // A text of 4 x 28 characters: MT940 wraps it at 65, inside a word.
      {
        ...DAY,
        amount: '232650.00',
        direction: 'credit',
        reference: 'B67377',
        description: 'STL BNI EDC 20261124 B67377 '.repeat(4),
      },
      {
        ...DAY,
        valueDate: '2026-11-24',
        amount: '1500.50',
        direction: 'debit',
        reference: '',
        description: 'BIAYA ADM',
      },
    ],
    closingBalance: '331149.85',
    generatedAt: new Date('2026-11-25T03:00:08Z'),
    ...overrides,
  };
}
