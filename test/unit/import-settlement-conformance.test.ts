// Every real acquirer file in conformance/settlement parses to what its SOURCES.md records.
// The folder must be there (CONFORMANCE_DIR or ../shared/conformance): without it these fail.
import Decimal from 'decimal.js';
import {
  type ParsedSettlementFile,
  detectSettlementFormat,
  parseSettlement,
} from '../../api/reconcile/importers/settlement-parse';
import { conformanceFiles, readConformanceText } from '../support/conformance-dir';

const FOLDER = 'settlement';
const BNI_DEBIT = 'cashlez_bni_debit_20200521.csv';
const BNI_KREDIT = 'cashlez_bni_kredit_20200521.csv';
const BRI = 'cashlez_bri_ecom_20200522.csv';
const LINKAJA = 'cashlez_linkaja_trans_status_detail_20200522_REDACTED.csv';
const MANDIRI = 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv';

/** SOURCES.md's counts and sums, per file. */
const EXPECTED: Record<string, { format: string; count: number; gross: string; mdr: string; net: string }> = {
  [BNI_DEBIT]: { format: 'bni', count: 13, gross: '6958947.00', mdr: '10440.00', net: '6948507.00' },
  [BNI_KREDIT]: { format: 'bni', count: 97, gross: '633935443.00', mdr: '8904167.00', net: '624945833.00' },
  [BRI]: { format: 'bri', count: 10, gross: '8172500.00', mdr: '146505.00', net: '8025995.00' },
  [LINKAJA]: { format: 'linkaja', count: 5, gross: '132150.00', mdr: '804.18', net: '131345.82' },
  [MANDIRI]: { format: 'mandiri', count: 1677, gross: '9713461928.00', mdr: '140365872.00', net: '9573096056.00' },
};

const parsed = new Map<string, ParsedSettlementFile>();
function parsedFile(file: string): ParsedSettlementFile {
  if (!parsed.has(file)) parsed.set(file, parseSettlement(readConformanceText(FOLDER, file)));
  return parsed.get(file) as ParsedSettlementFile;
}

test('the conformance folder holds exactly the settlement files these tests know', () => {
  expect(conformanceFiles(FOLDER, '.csv')).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.keys(EXPECTED))('%s', (file) => {
  const want = EXPECTED[file];

  test('is detected as its layout and its line count and sums are those SOURCES.md lists', () => {
    expect(detectSettlementFormat(readConformanceText(FOLDER, file))).toBe(want.format);
    const { format, totals } = parsedFile(file);
    expect({ format, count: totals.count, gross: totals.gross, mdr: totals.mdr, net: totals.net }).toEqual(want);
  });

  test('every line has a date, and its net is its gross less its fees to the last decimal', () => {
    for (const line of parsedFile(file).lines) {
      expect(line.transactionDate).toMatch(/^2020-05-2[012]$/);
      expect(
        new Decimal(line.gross)
          .minus(line.mdr)
          .minus(line.otherFees ?? 0)
          .toFixed(2),
      ).toBe(line.net);
    }
  });
});

describe('BNI card layout', () => {
  test('debit: RATE 0.15 % on every row, DISC = AMOUNT x RATE rounded half up (233000 -> 350)', () => {
    const { lines } = parsedFile(BNI_DEBIT);
    expect(new Set(lines.map((l) => l.mdrRate))).toEqual(new Set(['0.0015']));
    for (const l of lines)
      expect(
        new Decimal(l.gross)
          .times(l.mdrRate as string)
          .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
          .toFixed(2),
      ).toBe(l.mdr);
    expect(lines[0]).toMatchObject({
      lineNumber: 2,
      mid: '908032071',
      tid: '90807101',
      approvalCode: '353440',
      maskedPan: '519893******8977',
      transactionDate: '2020-05-20',
      settlementDate: '2020-05-21',
      gross: '233000.00',
      mdr: '350.00',
      net: '232650.00',
      batch: '67377',
      terminalBatch: '00080',
    });
  });

  test('kredit: rates 1.3 and 1.75 %, 38 alphanumeric AUTH codes, leading zeros kept', () => {
    const { lines } = parsedFile(BNI_KREDIT);
    expect(new Set(lines.map((l) => l.mdrRate))).toEqual(new Set(['0.013', '0.0175']));
    expect(lines.filter((l) => l.approvalCode?.startsWith('R'))).toHaveLength(38);
    expect(lines.find((l) => l.approvalCode === '063027')?.tid).toBe('91203701');
  });

  test('kredit: the installment row pays the SS AMOUNT too, NETT = AMOUNT - DISC - SS AMOUNT', () => {
    const { lines, totals } = parsedFile(BNI_KREDIT);
    const installments = lines.filter((l) => l.raw?.['JENIS TRX'] === 'S');
    expect(installments).toHaveLength(1);
    expect(installments[0]).toMatchObject({
      gross: '1499000.00',
      mdr: '19487.00',
      otherFees: '85443.00',
      net: '1394070.00',
    });
    expect(installments[0].raw).toMatchObject({ PTR: '12', PLAN: '351', 'SS FEE TYPE': '5.7' });
    expect(totals.otherFees).toBe('85443.00');
  });
});

test('BRI: three-decimal amounts normalised, padding trimmed, RK_DATE is the settlement date', () => {
  const file = parsedFile(BRI);
  expect(file).toMatchObject({ merchantId: '000001999082885', settlementDate: '2020-05-22', stated: [] });
  expect(file.lines[0]).toMatchObject({
    lineNumber: 2,
    reference: '312050',
    approvalCode: 'T28458',
    maskedPan: '542640******8663',
    mdrRate: '0.018',
    transactionDate: '2020-05-20',
    settlementDate: '2020-05-22',
    gross: '200000.00',
    mdr: '3600.00',
    net: '196400.00',
  });
  expect(file.lines[0].tid).toBeUndefined();
  expect(file.lines[7].mdrRate).toBe('0.015');
});

describe('Mandiri merchant statement', () => {
  test('Payment Date serial 43973 is 2020-05-22; the group keeps its leading zero; both TOTALs agree', () => {
    const file = parsedFile(MANDIRI);
    expect(file).toMatchObject({ merchantId: '07198', settlementDate: '2020-05-22' });
    expect(file.stated).toEqual([
      { lineNumber: 1684, gross: '9713461928.00' },
      { lineNumber: 2272, gross: '9713461928.00', mdr: '140365872.00', net: '9573096056.00' },
    ]);
  });

  test("a detail row: ' prefixes gone from AUTHCODE ('014177'), dates from serials, the payment batch", () => {
    expect(parsedFile(MANDIRI).lines[0]).toMatchObject({
      lineNumber: 7,
      mid: '2122008903',
      tid: '69401712',
      approvalCode: '014177',
      maskedPan: '524325******2336',
      transactionDate: '2020-05-22',
      settlementDate: '2020-05-22',
      batch: '391104139',
      terminalBatch: '125',
      gross: '1028000.00',
      mdrAllocated: true,
    });
    expect(parsedFile(MANDIRI).lines.filter((l) => l.transactionDate === '2020-05-21').length).toBeGreaterThan(0);
  });

  test('585 summary groups, each TOTAMOUNT - MDRAMOUNT = NETAMOUNT, each group fee spread exactly over its lines', () => {
    const { lines, feeGroups = [] } = parsedFile(MANDIRI);
    expect(feeGroups).toHaveLength(585);
    const byLine = new Map(lines.map((l) => [l.lineNumber, l]));
    expect(feeGroups.reduce((n, g) => n + g.lines.length, 0)).toBe(1677);
    for (const g of feeGroups) {
      const members = g.lines.map((n) => byLine.get(n)!);
      expect(members.every((l) => l.mid === g.mid && l.batch === g.batch)).toBe(true);
      const sum = (pick: (l: (typeof members)[0]) => string) =>
        members.reduce((a, l) => a.plus(pick(l)), new Decimal(0)).toFixed(2);
      expect([sum((l) => l.gross), sum((l) => l.mdr), sum((l) => l.net)]).toEqual([g.gross, g.mdr, g.net]);
      expect(new Decimal(g.gross).minus(g.mdr).toFixed(2)).toBe(g.net);
    }
  });

  test('MDR is per MID x network: on-us Mastercard 0.93 %, PowerBuy installment 6.0 %', () => {
    const rate = (g: { gross: string; mdr: string }) =>
      new Decimal(g.mdr).div(g.gross).times(100).toDecimalPlaces(2).toNumber();
    const groups = parsedFile(MANDIRI).feeGroups ?? [];
    const onUsMc = groups.filter((g) => g.description === 'Mandiri MasterCard' && new Decimal(g.gross).gt(1_000_000));
    expect(onUsMc.length).toBeGreaterThan(0);
    expect(onUsMc.every((g) => Math.abs(rate(g) - 0.93) < 0.02)).toBe(true);
    const powerBuy = groups.filter((g) => g.description === 'PowerBuy Visa');
    expect(powerBuy.length).toBeGreaterThan(0);
    expect(powerBuy.every((g) => Math.abs(rate(g) - 6) < 0.02)).toBe(true);
  });
});

describe('LinkAja trans status detail', () => {
  test('a payment row and its fee row are one line; times are Excel day fractions', () => {
    const file = parsedFile(LINKAJA);
    expect(file).toMatchObject({ merchantId: '191121091813001', settlementDate: '2020-05-22' });
    expect(file.lines.map((l) => l.lineNumber)).toEqual([12, 14, 16, 18, 20]);
    expect(file.lines[0]).toMatchObject({
      rrn: '000000031507',
      transactedAt: '2020-05-22T10:51:58',
      transactionDate: '2020-05-22',
      gross: '50000.00',
      mdr: '310.00',
      net: '49690.00',
      mdrRate: '0.0062',
      status: 'Completed',
    });
    expect(file.lines[1]).toMatchObject({ gross: '50500.00', mdr: '313.10', net: '50186.90' });
    expect(file.stated).toEqual([{ lineNumber: 22, gross: '132150.00', mdr: '804.18' }]);
  });

  test('the invoice id comes whole from Transaction Statement, not from its exponent-mangled column', () => {
    const [first] = parsedFile(LINKAJA).lines;
    expect(first.raw?.['Invoice ID']).toBe('2.00522903886572e+16');
    expect(first.reference).toBe('20052290388657239');
  });

  test('fee rates: 0.62 % on transfers, about 0.49 % physical merchant fee, none where the cell is missing', () => {
    expect(parsedFile(LINKAJA).lines.map((l) => l.mdrRate)).toEqual([
      '0.0062',
      '0.0062',
      '0.0048969696969697',
      undefined,
      '0.0049',
    ]);
  });
});
