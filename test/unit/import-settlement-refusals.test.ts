// A bad settlement file is refused whole, with the line an officer must open and the reason:
// a line that does not add up, totals that disagree, a missing column, a cut or garbled file.
import { SettlementImportError, parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { readConformanceText } from '../support/conformance-dir';
import { make } from './bank-files-support';

const real = (file: string) => readConformanceText('settlement', file);
const BNI_DEBIT = 'cashlez_bni_debit_20200521.csv';
const BRI = 'cashlez_bri_ecom_20200522.csv';
const LINKAJA = 'cashlez_linkaja_trans_status_detail_20200522_REDACTED.csv';
const MANDIRI = 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv';

/** The refusal parseSettlement throws; fails the test when it parses or throws anything else. */
function refusal(text: string): { line: number; reason: string } {
  try {
    parseSettlement(text);
  } catch (err) {
    if (err instanceof SettlementImportError) return { line: err.line, reason: err.reason };
    throw err;
  }
  throw new Error('the file was accepted');
}

/** The text with physical line n (1-based) replaced, or removed when by is undefined. */
function editLine(text: string, n: number, edit: (line: string) => string | undefined): string {
  const lines = text.split('\r\n');
  const replaced = edit(lines[n - 1]);
  if (replaced === undefined) lines.splice(n - 1, 1);
  else lines[n - 1] = replaced;
  return lines.join('\r\n');
}

const bni = () =>
  writeBniSettlementCsv(make.meta(), [
    make.line(),
    make.line({ rrn: '633012000146', gross: '15000', mdr: '22.5', net: '14977.5' }),
  ]);

describe('amounts that do not add up', () => {
  test('a line whose net is not gross - MDR is refused at that line', () => {
    const text = editLine(bni(), 3, (l) => l.replace(',14977.5,', ',14977,'));
    expect(refusal(text)).toEqual({ line: 3, reason: 'net 14977.00 is not gross 15000.00 - MDR 22.50 = 14977.50' });
  });

  test('a totals row is checked against the lines: refused at the totals row when it disagrees', () => {
    const withTotal = (amount: string) =>
      bni().replace('STOP\r\n', `TOTAL,,,,,,,,,${amount},,,,,22.5,,,,,,,,\r\nSTOP\r\n`);
    expect(refusal(withTotal('248000'))).toEqual({ line: 4, reason: 'states mdr 22.50, the lines sum to 372.50' });
    expect(refusal(withTotal('248001'))).toEqual({
      line: 4,
      reason: 'states gross 248001.00, the lines sum to 248000.00',
    });
    const ok = parseSettlement(bni().replace('STOP\r\n', 'TOTAL,,,,,,,,,248000,,,,,372.5,,,,,,,,\r\nSTOP\r\n'));
    expect(ok.stated).toEqual([{ lineNumber: 4, gross: '248000.00', mdr: '372.50', net: undefined }]);
  });

  test("Mandiri's summary TOTAL that disagrees with the groups is refused at its line (2272)", () => {
    const text = editLine(real(MANDIRI), 2272, (l) => l.replace('140365872', '140365873'));
    expect(refusal(text)).toEqual({
      line: 2272,
      reason: expect.stringMatching(/states mdr 140365873.00, the lines sum to 140365872.00/),
    });
  });

  test('a Mandiri summary row whose TOTAMOUNT - MDRAMOUNT is not NETAMOUNT is refused at that row', () => {
    const text = editLine(real(MANDIRI), 1687, (l) => l.replace(',190652,', ',190651,'));
    expect(refusal(text)).toEqual({
      line: 1687,
      reason: expect.stringMatching(/^net 12109453.00 is not gross 12300105.00/),
    });
  });

  test("a Mandiri detail row changed is refused at its group's summary row, whose TOTAMOUNT no longer holds", () => {
    const text = editLine(real(MANDIRI), 207, (l) => l.replace(/,779840,0$/, ',779841,0'));
    expect(refusal(text)).toEqual({
      line: 1687,
      reason: 'TOTAMOUNT 12300105.00 but its 2 DETAIL rows sum to 12300106.00',
    });
  });
});

describe('missing columns are refused at the header', () => {
  test('BNI without DISC AMOUNT', () => {
    expect(refusal(editLine(real(BNI_DEBIT), 1, (l) => l.replace('DISC AMOUNT', 'DISCOUNT')))).toEqual({
      line: 1,
      reason: 'the BNI settlement header lacks DISC AMOUNT',
    });
  });

  test("Mandiri's SUMMARY GROUP without MDRAMOUNT", () => {
    const text = editLine(real(MANDIRI), 1686, (l) => l.replace('MDRAMOUNT', 'FEE'));
    expect(refusal(text)).toEqual({ line: 1686, reason: 'the Mandiri SUMMARY GROUP header lacks MDRAMOUNT' });
  });
});

describe('cut, reordered and garbled files', () => {
  test('BNI without its STOP line is cut short, refused at its last line', () => {
    expect(refusal(editLine(real(BNI_DEBIT), 15, () => undefined))).toEqual({
      line: 14,
      reason: 'no STOP line: the BNI settlement file is cut short',
    });
  });

  test('a row cut in the middle is refused at that row', () => {
    const text = real(BNI_DEBIT).split('\r\n').slice(0, 6).join('\r\n').slice(0, -40);
    expect(refusal(text)).toEqual({ line: 6, reason: expect.stringMatching(/cut short/) });
  });

  test('Mandiri cut inside DETAIL or SUMMARY GROUP is refused', () => {
    const lines = real(MANDIRI).split('\r\n');
    expect(refusal(lines.slice(0, 900).join('\r\n'))).toEqual({
      line: 900,
      reason: 'DETAIL has no TOTAL row: the Mandiri statement is cut short',
    });
    expect(refusal(lines.slice(0, 2000).join('\r\n'))).toEqual({
      line: 2000,
      reason: 'SUMMARY GROUP has no TOTAL row: the Mandiri statement is cut short',
    });
  });

  test('LinkAja with a fee row lost: the running Balance breaks on the next row', () => {
    expect(refusal(editLine(real(LINKAJA), 13, () => undefined))).toEqual({
      line: 13,
      reason: expect.stringMatching(/^Balance 626411.32 does not follow/),
    });
  });

  test('LinkAja without its Total row is cut short', () => {
    const text = real(LINKAJA).split('\r\n').slice(0, 21).join('\r\n');
    expect(refusal(text)).toEqual({ line: 21, reason: 'no Total row: the LinkAja report is cut short' });
  });

  test('BRI with a row lost from the middle: NO no longer counts', () => {
    const text = real(BRI)
      .split('\n')
      .filter((_, i) => i !== 4)
      .join('\n');
    expect(refusal(text)).toEqual({ line: 5, reason: 'NO "5" where row 4 belongs: a row is missing or moved' });
  });

  test('an amount in scientific notation is refused: its digits are already lost', () => {
    const text = editLine(bni(), 2, (l) => l.replace(',233000,', ',2.33e+5,'));
    expect(refusal(text)).toEqual({
      line: 2,
      reason: 'AMOUNT: "2.33e+5" is in scientific notation; its digits are lost',
    });
  });

  test('text after the end of a file is refused, not ignored', () => {
    expect(refusal(`${real(BNI_DEBIT)}21/05/2020,908032071\r\n`)).toEqual({
      line: 16,
      reason: 'text after the end of the BNI settlement file',
    });
  });

  test('a UTF-16 file read as UTF-8 is refused, not parsed as garbage', () => {
    const utf16 = Buffer.from(real(BNI_DEBIT), 'utf16le').toString('utf8');
    expect(refusal(utf16)).toEqual({ line: 1, reason: expect.stringMatching(/NUL/) });
  });

  test('garbage and an empty text are refused at line 1 as no layout we know', () => {
    expect(refusal('\u0089PNG\r\n\u001a\n garbage')).toEqual({
      line: 1,
      reason: expect.stringMatching(/not a settlement layout we know/),
    });
    expect(refusal('')).toEqual({ line: 1, reason: expect.stringMatching(/not a settlement layout we know/) });
  });
});
