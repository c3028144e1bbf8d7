import { writeCamt053 } from '../../terminal-sim/banks/files/camt053';
import type { Statement } from '../../terminal-sim/banks/types';
import { parseCamt } from '../../api/reconcile/importers/camt';
import { StatementImportError } from '../../api/reconcile/importers/statement-types';

const NS = (message: string, version: string) => `urn:iso:std:iso:20022:tech:xsd:${message}.001.${version}`;

const bal = (code: string, amount: string, side = 'CRDT') =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>${side}</CdtDbtInd><Dt><Dt>2026-11-25</Dt></Dt></Bal>`;

/** One Ntry on one line; `inner` goes after the dates (AcctSvcrRef, Chrgs, NtryDtls ...). */
function ntry(amount: string, side: string, inner = '', status = '<Sts>BOOK</Sts>', reversal = ''): string {
  const dates = '<BookgDt><Dt>2026-11-25</Dt></BookgDt><ValDt><DtTm>2026-11-25T23:30:00+07:00</DtTm></ValDt>';
  return `<Ntry><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>${side}</CdtDbtInd>${reversal}${status}${dates}${inner}</Ntry>`;
}

const tx = (amount: string, e2e: string, text: string) =>
  `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><Amt Ccy="IDR">${amount}</Amt><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls>`;

/** A camt.053 statement: line 1 declaration, 2 Document, 3 message, 4 Stmt, 5 Id, 6 Acct,
 * then one line per balance and entry. */
function camt053(lines: string[], version = '02'): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${NS('camt.053', version)}">`,
    '<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-25T23:59:00Z</CreDtTm></GrpHdr>',
    '<Stmt>',
    '<Id>1010001234-20261125</Id><ElctrncSeqNb>102</ElctrncSeqNb>',
    '<Acct><Id><Othr><Id>1010001234</Id></Othr></Id><Ccy>IDR</Ccy></Acct>',
    ...lines,
    '</Stmt></BkToCstmrStmt></Document>',
  ].join('\n');
}

// 1,000,000 + 250,000 (a batch of two, 1,250 charges) - 50,000 (a credit reversed) = 1,200,000
const DAY = [
  bal('OPBD', '1000000.00'),
  bal('CLBD', '1200000.00'),
  ntry(
    '250000.00',
    'CRDT',
    [
      '<AcctSvcrRef>BNK0001</AcctSvcrRef>',
      '<Chrgs><Rcrd><Amt Ccy="IDR">1500.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd><Rcrd><Amt Ccy="IDR">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Rcrd></Chrgs>',
      '<NtryDtls><Btch><PmtInfId>B0001</PmtInfId><NbOfTxs>2</NbOfTxs></Btch>',
      `${tx('200000.00', 'QR-1', 'KIOS A12')}${tx('50000.00', 'QR-2', 'KIOS B07')}</NtryDtls>`,
      '<AddtlNtryInf>STL BNI EDC 20261124 B0001</AddtlNtryInf>',
    ].join(''),
  ),
  ntry(
    '50000.00',
    'DBIT',
    `<NtryDtls>${tx('50000.00', 'NOTPROVIDED', 'KOREKSI')}</NtryDtls>`,
    '<Sts>BOOK</Sts>',
    '<RvslInd>true</RvslInd>',
  ),
  ntry('999.00', 'CRDT', '', '<Sts>PDNG</Sts>'),
];

function refusal(xml: string): StatementImportError {
  try {
    parseCamt(xml);
  } catch (error) {
    if (error instanceof StatementImportError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseCamt', () => {
  it('reads a statement: balances, entries with their batch, charges, reversal and references', () => {
    const [s] = parseCamt(camt053(DAY));
    expect(s).toMatchObject({
      format: 'camt.053',
      statementId: '1010001234-20261125',
      sequence: '102',
      lineNumber: 4,
      account: '1010001234',
      currency: 'IDR',
    });
    expect([s.openingBalance, s.closingBalance]).toEqual([
      { amount: '1000000.00', date: '2026-11-25' },
      { amount: '1200000.00', date: '2026-11-25' },
    ]);
    const [batch, reversal] = s.entries;
    expect(batch).toMatchObject({
      lineNumber: 9,
      amount: '250000.00',
      direction: 'credit',
      reversal: false,
      reference: 'B0001',
      bankReference: 'BNK0001',
    });
    expect([batch.charges, batch.batchCount, batch.description]).toEqual(['1250.00', 2, 'STL BNI EDC 20261124 B0001']);
    expect(batch.transactions!.map((t) => [t.amount, t.endToEndId, t.description])).toEqual([
      ['200000.00', 'QR-1', 'KIOS A12'],
      ['50000.00', 'QR-2', 'KIOS B07'],
    ]);
    expect(reversal).toMatchObject({
      lineNumber: 10,
      amount: '50000.00',
      direction: 'debit',
      reversal: true,
      reference: '',
      description: 'KOREKSI',
    });
  });

  it('leaves out entries the bank has not booked (PDNG, INFO): they are not on the account yet', () => {
    const [s] = parseCamt(camt053(DAY));
    expect(s.entries.map((e) => e.amount)).toEqual(['250000.00', '50000.00']);
  });

  it('takes the value date of a DtTm as the bank wrote it, in its own time zone', () => {
    expect(parseCamt(camt053(DAY))[0].entries[0]).toMatchObject({ bookingDate: '2026-11-25', valueDate: '2026-11-25' });
  });

  it('reads versions .02, .04 and .08, prefixed or not, and the .08 <Sts><Cd> spelling, the same', () => {
    const expected = parseCamt(camt053(DAY));
    expect(parseCamt(camt053(DAY, '04'))).toEqual(expected);
    const v8 = camt053(DAY, '08').replace(/<Sts>(\w+)<\/Sts>/g, '<Sts><Cd>$1</Cd></Sts>');
    expect(parseCamt(v8)).toEqual(expected);
    const prefixed = camt053(DAY)
      .replace(/<(\/?)(?=[A-Z])/g, '<$1c:')
      .replace('xmlns=', 'xmlns:c=');
    expect(parseCamt(prefixed)).toEqual(expected);
  });

  it('keeps amounts as written, up to five decimals, and checks the balance exactly', () => {
    const [s] = parseCamt(camt053([bal('OPBD', '18.150'), bal('CLBD', '18.27345'), ntry('0.12345', 'CRDT')]));
    expect([s.openingBalance!.amount, s.entries[0].amount, s.closingBalance!.amount]).toEqual([
      '18.15',
      '0.12345',
      '18.27345',
    ]);
    expect(refusal(camt053([bal('OPBD', '18.150'), bal('CLBD', '18.2734'), ntry('0.12345', 'CRDT')])).line).toBe(8);
  });

  it('reads a debit (DBIT) balance as negative, and PRCD as the opening when there is no OPBD', () => {
    const [s] = parseCamt(camt053([bal('PRCD', '100.00', 'DBIT'), bal('CLBD', '50.00'), ntry('150.00', 'CRDT')]));
    expect([s.openingBalance!.amount, s.balances.map((b) => b.type)]).toEqual(['-100.00', ['PRCD', 'CLBD']]);
  });

  it('reads every notification of a camt.054, which has no balances to check', () => {
    const ntfctn = (id: string, amount: string) =>
      `<Ntfctn><Id>${id}</Id><Acct><Id><IBAN>ID00BANK1010001234</IBAN></Id></Acct>${ntry(amount, 'CRDT')}</Ntfctn>`;
    const xml = [
      `<Document xmlns="${NS('camt.054', '04')}">`,
      '<BkToCstmrDbtCdtNtfctn>',
      ntfctn('N1', '10.00'),
      ntfctn('N2', '20.00'),
      '</BkToCstmrDbtCdtNtfctn></Document>',
    ].join('\n');
    const notes = parseCamt(xml);
    expect(
      notes.map((n) => [n.format, n.statementId, n.lineNumber, n.account, n.currency, n.entries[0].amount]),
    ).toEqual([
      ['camt.054', 'N1', 3, 'ID00BANK1010001234', 'IDR', '10.00'],
      ['camt.054', 'N2', 4, 'ID00BANK1010001234', 'IDR', '20.00'],
    ]);
  });

  it('reads back what writeCamt053 writes: the same balances and entries', () => {
    const statement = makeStatement();
    const [parsed] = parseCamt(writeCamt053(statement));
    expect([parsed.account, parsed.sequence, parsed.currency]).toEqual(['1010001234', '102', 'IDR']);
    expect(parsed.openingBalance).toEqual({ amount: '-100000.35', date: '2026-11-25' });
    expect(parsed.closingBalance).toEqual({ amount: '131149.15', date: '2026-11-25' });
    const read = parsed.entries.map(({ valueDate, bookingDate, amount, direction, reference, description }) => {
      return { valueDate, bookingDate, amount, direction, reference, description };
    });
    expect(read).toEqual(statement.entries);
  });
});

describe('parseCamt refusals', () => {
  it.each([
    ['XML that is not well-formed', camt053(DAY).replace('<AddtlNtryInf>', '<AddtlNtryInf'), 9, 'not well-formed XML'],
    [
      'a statement that does not add up, at its closing balance',
      camt053(DAY).replace('1200000.00', '1200000.01'),
      8,
      'does not balance',
    ],
    [
      'an entry without an amount',
      camt053(DAY).replace('<Amt Ccy="IDR">50000.00</Amt><CdtDbtInd>DBIT', '<CdtDbtInd>DBIT'),
      10,
      'Ntry/Amt',
    ],
    [
      'an entry neither credit nor debit',
      camt053(DAY).replace('<CdtDbtInd>DBIT</CdtDbtInd><RvslInd>', '<CdtDbtInd>X</CdtDbtInd><RvslInd>'),
      10,
      'CRDT or DBIT',
    ],
    [
      'an impossible date',
      camt053(DAY).replace('<BookgDt><Dt>2026-11-25', '<BookgDt><Dt>2026-02-30'),
      9,
      'is not a date',
    ],
    ['a record without an account', camt053(DAY).replace(/<Acct>.*<\/Acct>/, ''), 4, 'no account'],
    ['a camt.052 report', `<Document xmlns="${NS('camt.052', '02')}"><BkToCstmrAcctRpt/></Document>`, 1, 'camt.052'],
    ['an XML file that is no ISO 20022 document', '<html><body>statement</body></html>', 1, 'not a camt.053'],
  ])('refuses %s, naming the line', (_what, xml, line, reason) => {
    const error = refusal(xml);
    expect(error.line).toBe(line);
    expect(error.reason).toContain(reason);
  });

  it('refuses a statement whose TxsSummry does not count or sum its entries, at the summary', () => {
    const summary = (count: number, sum: string) =>
      `<TxsSummry><TtlNtries><NbOfNtries>${count}</NbOfNtries><Sum>${sum}</Sum></TtlNtries></TxsSummry>`;
    const withSummary = (s: string) => camt053([bal('OPBD', '0.00'), bal('CLBD', '5.00'), s, ntry('5.00', 'CRDT')]);
    expect(parseCamt(withSummary(summary(1, '5.00')))[0].entries).toHaveLength(1);
    expect(refusal(withSummary(summary(2, '5.00')))).toMatchObject({
      line: 9,
      reason: 'TxsSummry/TtlNtries says 2 entries, the record holds 1',
    });
    expect(refusal(withSummary(summary(1, '6.00')))).toMatchObject({
      line: 9,
      reason: 'TxsSummry/TtlNtries says the entries sum to 6.00, they sum to 5.00',
    });
  });

  it('refuses files cut short or randomly corrupted with a line inside the file, never another error', () => {
    const xml = writeCamt053(makeStatement());
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const noise = '<>/="&?!-0123456789.ABCDIRT \n';
    for (let i = 0; i < 1500; i++) {
      const chars = xml.slice(0, i % 3 === 0 ? Math.floor(random() * xml.length) : xml.length).split('');
      for (let k = 0; k < 2 && i % 3 !== 0; k++)
        chars[Math.floor(random() * chars.length)] = noise[Math.floor(random() * noise.length)];
      const text = chars.join('');
      try {
        parseCamt(text);
      } catch (error) {
        expect(error).toBeInstanceOf(StatementImportError);
        expect((error as StatementImportError).line).toBeGreaterThanOrEqual(1);
        expect((error as StatementImportError).line).toBeLessThanOrEqual(text.split('\n').length);
      }
    }
  });
});

const DAY_DATES = { valueDate: '2026-11-25', bookingDate: '2026-11-25' };

function makeStatement(overrides: Partial<Statement> = {}): Statement {
  return {
    bankName: 'Bank Jateng',
    bic: 'PDJTIDJ1',
    accountNumber: '1010001234',
    accountName: 'RKUD KAB MAGELANG',
    currency: 'IDR',
    statementNumber: 102,
    date: '2026-11-25',
    openingBalance: '-100000.35',
    entries: [
      {
        ...DAY_DATES,
        amount: '232650.00',
        direction: 'credit',
        reference: 'B67377',
        description: 'STL BNI EDC 20261124 B67377',
      },
      {
        ...DAY_DATES,
        valueDate: '2026-11-24',
        amount: '1500.50',
        direction: 'debit',
        reference: '',
        description: 'BIAYA ADM',
      },
    ],
    closingBalance: '131149.15',
    generatedAt: new Date('2026-11-25T03:00:08Z'),
    ...overrides,
  };
}
