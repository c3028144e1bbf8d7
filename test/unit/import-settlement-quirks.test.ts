// What banks' files do that a plain CSV reader gets wrong: a BOM, LF or CRLF, blank lines at the
// end, thousand separators, Excel's text markers and serials, a fee charged per group.
import Decimal from 'decimal.js';
import { allocate } from '../../api/reconcile/importers/settlement-allocate';
import { detectSettlementFormat, parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import { SettlementImportError } from '../../api/reconcile/importers/settlement-types';
import { at, excelDateTime, readAmount, readTime } from '../../api/reconcile/importers/settlement-values';
import { readConformanceText } from '../support/conformance-dir';

const BNI_DEBIT = readConformanceText('settlement', 'cashlez_bni_debit_20200521.csv');
const MANDIRI = readConformanceText('settlement', 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv');
const where = at(9, 'AMOUNT');
const values = (text: string) => parseSettlement(text).lines.map(({ raw: _raw, ...line }) => line);

describe('text mechanics', () => {
  test('a BOM, LF line ends and blank lines after STOP read the same lines as the original', () => {
    const reworked = `\uFEFF${BNI_DEBIT.replace(/\r\n/g, '\n')}\n\n\n`;
    expect(detectSettlementFormat(reworked)).toBe('bni');
    expect(values(reworked)).toEqual(values(BNI_DEBIT));
  });

  test('a header re-saved with every cell quoted is still detected and read as BNI', () => {
    const [header, ...rest] = BNI_DEBIT.split('\r\n');
    const quoted = [
      header
        .split(',')
        .map((c) => `"${c}"`)
        .join(','),
      ...rest,
    ].join('\r\n');
    expect(detectSettlementFormat(quoted)).toBe('bni');
    expect(values(quoted)).toEqual(values(BNI_DEBIT));
  });

  test('amounts re-saved with thousand separators (quoted, as Excel writes them) read the same', () => {
    const grouped = BNI_DEBIT.replace(',1754360,', ',"1,754,360",').replace(',1751728,', ',"1,751,728.00",');
    expect(parseSettlement(grouped).totals).toEqual(parseSettlement(BNI_DEBIT).totals);
  });

  test("Excel's text markers keep leading zeros: '014177', '014177 and =\"014177\" are all 014177", () => {
    for (const marked of ["'014177", '"=""014177"""', '="014177"']) {
      const text = MANDIRI.replace("'014177'", marked);
      expect(parseSettlement(text).lines[0].approvalCode).toBe('014177');
    }
  });
});

describe('values', () => {
  test('amounts: separators, a decimal comma on request, accounting brackets, no exponents', () => {
    expect(readAmount('(1,500.00)', where).toFixed(2)).toBe('-1500.00');
    expect(readAmount('1.539.000,50', where, ',').toFixed(2)).toBe('1539000.50');
    expect(readAmount('Rp 15.000', where, ',').toFixed(0)).toBe('15000');
    // With a decimal point, 200000.000 is BRI's three decimals, not two thousand separators.
    expect(readAmount('200000.000', where).toFixed()).toBe('200000');
    expect(() => readAmount('1,53', where)).toThrow(new SettlementImportError(9, 'AMOUNT: "1,53" is not an amount'));
    expect(() => readAmount('', where)).toThrow(SettlementImportError);
    expect(() => readAmount('2.0052290388657E+16', where)).toThrow(/scientific notation/);
  });

  test('Excel serials: 43973 is 2020-05-22, a fraction is the time to the second, nonsense is refused', () => {
    expect(excelDateTime('43973', where)).toEqual({ date: '2020-05-22' });
    expect(excelDateTime('43973.5', where)).toEqual({ date: '2020-05-22', time: '12:00:00' });
    expect(excelDateTime('43973.99999999', where)).toEqual({ date: '2020-05-23', time: '00:00:00' });
    expect(readTime('0.45275462962963', where)).toBe('10:51:58');
    expect(readTime('7:05', where)).toBe('07:05:00');
    expect(() => excelDateTime('60', where)).toThrow(/outside the Excel dates/);
    expect(() => readTime('1.5', where)).toThrow(/not a time of day/);
  });
});

describe('a fee charged on a group, spread over its lines', () => {
  const parts = (total: string, weights: string[]) =>
    allocate(
      new Decimal(total),
      weights.map((w) => new Decimal(w)),
    ).map((d) => d.toFixed());

  test('in the unit the bank wrote, largest remainders first, ties to the earlier line', () => {
    expect(parts('10', ['1', '1', '1'])).toEqual(['4', '3', '3']);
    expect(parts('0.05', ['1', '1'])).toEqual(['0.03', '0.02']);
    expect(parts('190652', ['779840', '11520265'])).toEqual(['12088', '178564']);
  });

  test('the parts always add up to the total, whatever the weights', () => {
    expect(parts('-10', ['1', '1', '1'])).toEqual(['-4', '-3', '-3']);
    expect(parts('7', ['0', '0'])).toEqual(['7', '0']);
    const sum = parts('140365872', ['3', '5', '7', '11', '13']).reduce((a, p) => a.plus(p), new Decimal(0));
    expect(sum.toFixed()).toBe('140365872');
  });
});
