// An acquirer without a parser of its own is read through a column mapping; the same checks hold.
import {
  type ColumnMapping,
  SettlementImportError,
  detectSettlementFormat,
  parseSettlement,
} from '../../api/reconcile/importers/settlement-parse';

/** A DANA-like export: semicolons, decimal commas with dot thousands, DD-MM-YYYY, a totals row. */
const DANA = [
  'SETTLEMENT_TXN_ID;TXN_ID;TXN_TYPE;MID;SETTLE_DATE;TXN_TIME;TXN_AMOUNT;MDR_AMOUNT;NET_AMOUNT;RRN',
  'STL001;T1;ACQUIRING_ORDER;2160001;25-11-2026;24-11-2026 09:15:02;15.000,00;105,00;14.895,00;633012000145',
  'STL001;T2;ACQUIRING_ORDER;2160001;25-11-2026;24-11-2026 17:40;1.250.000,00;8.750,00;1.241.250,00;633012000146',
  'TOTAL;;;;;;1.265.000,00;8.855,00;1.256.145,00;',
  '',
].join('\r\n');

const MAPPING: ColumnMapping = {
  delimiter: ';',
  columns: {
    batch: 'SETTLEMENT_TXN_ID',
    reference: 'TXN_ID',
    mid: 'MID',
    settlementDate: 'SETTLE_DATE',
    transactedAt: 'TXN_TIME',
    gross: 'TXN_AMOUNT',
    mdr: 'MDR_AMOUNT',
    net: 'NET_AMOUNT',
    rrn: 'RRN',
  },
  dateFormat: 'DD-MM-YYYY',
  decimalSeparator: ',',
};

function refusal(run: () => unknown): { line: number; reason: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof SettlementImportError) return { line: err.line, reason: err.reason };
    throw err;
  }
  throw new Error('the file was accepted');
}

test('a layout no parser knows is not guessed: without a mapping it is refused', () => {
  expect(detectSettlementFormat(DANA)).toBeUndefined();
  expect(refusal(() => parseSettlement(DANA))).toEqual({
    line: 1,
    reason: expect.stringMatching(/give a column mapping/),
  });
});

test('with a mapping every line is read: decimal commas, DD-MM-YYYY, the date taken from the time', () => {
  const file = parseSettlement(DANA, { mapping: MAPPING });
  expect(file).toMatchObject({ format: 'mapped', merchantId: '2160001', settlementDate: '2026-11-25' });
  expect(file.lines).toEqual([
    expect.objectContaining({
      lineNumber: 2,
      batch: 'STL001',
      reference: 'T1',
      rrn: '633012000145',
      transactedAt: '2026-11-24T09:15:02',
      transactionDate: '2026-11-24',
      settlementDate: '2026-11-25',
      gross: '15000.00',
      mdr: '105.00',
      net: '14895.00',
    }),
    expect.objectContaining({
      lineNumber: 3,
      transactedAt: '2026-11-24T17:40:00',
      gross: '1250000.00',
      net: '1241250.00',
    }),
  ]);
  expect(file.lines[0].raw?.TXN_TYPE).toBe('ACQUIRING_ORDER');
  expect(file.stated).toEqual([{ lineNumber: 4, gross: '1265000.00', mdr: '8855.00', net: '1256145.00' }]);
});

test('a totals row that disagrees with the lines is refused at the totals row', () => {
  const text = DANA.replace('TOTAL;;;;;;1.265.000,00', 'TOTAL;;;;;;1.265.001,00');
  expect(refusal(() => parseSettlement(text, { mapping: MAPPING }))).toEqual({
    line: 4,
    reason: 'states gross 1265001.00, the lines sum to 1265000.00',
  });
});

test('with only the net mapped the MDR is gross - net; with only the MDR, the net is gross - MDR', () => {
  const { mdr: _mdr, ...withoutMdr } = MAPPING.columns;
  const { net: _net, ...withoutNet } = MAPPING.columns;
  const byNet = parseSettlement(DANA, { mapping: { ...MAPPING, columns: withoutMdr } });
  const byMdr = parseSettlement(DANA, { mapping: { ...MAPPING, columns: withoutNet } });
  expect(byNet.lines.map((l) => [l.mdr, l.net])).toEqual([
    ['105.00', '14895.00'],
    ['8750.00', '1241250.00'],
  ]);
  expect(byMdr.lines.map((l) => [l.mdr, l.net])).toEqual(byNet.lines.map((l) => [l.mdr, l.net]));
});

test('a line whose mapped net is not gross - MDR is refused at that line', () => {
  const text = DANA.replace(';14.895,00;', ';14.896,00;');
  expect(refusal(() => parseSettlement(text, { mapping: MAPPING }))).toEqual({
    line: 2,
    reason: 'net 14896.00 is not gross 15000.00 - MDR 105.00 = 14895.00',
  });
});

test('a mapped column the header lacks is refused at the header line, by its header text', () => {
  const mapping = { ...MAPPING, columns: { ...MAPPING.columns, tid: 'TERMINAL_ID' } };
  expect(refusal(() => parseSettlement(DANA, { mapping }))).toEqual({
    line: 1,
    reason: 'the mapped settlement header lacks TERMINAL_ID',
  });
});

test('a mapping that cannot give gross, a date and a fee is refused before reading any row', () => {
  const mapping: ColumnMapping = { columns: { rrn: 'RRN', net: 'NET_AMOUNT' } };
  expect(refusal(() => parseSettlement(DANA, { mapping }))).toEqual({
    line: 0,
    reason: 'the column mapping needs gross, transactionDate or transactedAt',
  });
  expect(refusal(() => parseSettlement(DANA, { format: 'mapped' }))).toEqual({
    line: 0,
    reason: 'a mapped settlement file needs a column mapping',
  });
  expect(refusal(() => parseSettlement(DANA, { mapping: { ...MAPPING, dateFormat: 'DD-MM' } }))).toEqual({
    line: 0,
    reason: 'the column mapping\'s dateFormat "DD-MM" needs YYYY, MM and DD, or "excel"',
  });
});

test('a row whose first cell only starts with "Total" (a merchant name) is a line, not the totals row', () => {
  const text = 'Merchant,Date,Gross,Fee\nTotal Buah,2026-11-24,15000,105\nTOTAL,,15000,105\n';
  const file = parseSettlement(text, {
    mapping: { columns: { reference: 'Merchant', transactionDate: 'Date', gross: 'Gross', mdr: 'Fee' } },
  });
  expect(file.lines.map((l) => l.reference)).toEqual(['Total Buah']);
  expect(file.stated).toEqual([{ lineNumber: 3, gross: '15000.00', mdr: '105.00', net: undefined }]);
});

test('headerLine skips a preamble; a date in another format is refused at its line and column', () => {
  const text = `Laporan Settlement\r\nPeriode: 24-11-2026\r\n${DANA}`;
  expect(parseSettlement(text, { mapping: { ...MAPPING, headerLine: 3 } }).lines.map((l) => l.lineNumber)).toEqual([
    4, 5,
  ]);
  const iso = DANA.replace('25-11-2026;24-11-2026 09:15:02', '2026-11-25;24-11-2026 09:15:02');
  expect(refusal(() => parseSettlement(iso, { mapping: MAPPING }))).toEqual({
    line: 2,
    reason: 'SETTLE_DATE: "2026-11-25" is not a date DD-MM-YYYY',
  });
});

test('dot decimals with comma thousands, the default, read an English-locale export', () => {
  const text = 'Date,Gross,Fee\n2026-11-24,"1,250,000.00",8750\n2026-11-24,15000,105.5\n';
  const file = parseSettlement(text, { mapping: { columns: { transactionDate: 'Date', gross: 'Gross', mdr: 'Fee' } } });
  expect(file.totals).toEqual({ count: 2, gross: '1265000.00', mdr: '8855.50', otherFees: '0.00', net: '1256144.50' });
});
