// The banks' own xls / xlsx (conformance/settlement/original) give the lines their CSV renderings
// give, field for field; a line's number is the sheet row Excel shows. A workbook cut short, too
// big, looping or in no known layout is refused, naming the sheet, row and column where it can.
import { deflateRawSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { type WorkbookPlace, WorkbookImportError, parseSettlementBytes } from '../../api/reconcile/bank-file-workbook';
import {
  type ParsedSettlementFile,
  type ParsedSettlementLine,
  parseSettlement,
} from '../../api/reconcile/importers/settlement-parse';
import { readWorkbook, workbookKind } from '../../api/reconcile/importers/workbook';
import { WORKBOOK_LIMITS, checkXls, checkXlsx } from '../../api/reconcile/importers/workbook-container';
import { conformanceFiles, readConformanceBytes, readConformanceText } from '../support/conformance-dir';

const FOLDER = 'settlement';
const ORIGINAL = 'settlement/original';
const MANDIRI = 'GROUP-07198-2020-05-22-Mandiri.xlsx';
const RENDERING: Record<string, string> = {
  'DEBIT.xls': 'cashlez_bni_debit_20200521.csv',
  'DEBIT.xlsx': 'cashlez_bni_debit_20200521.csv',
  'KREDIT.xls': 'cashlez_bni_kredit_20200521.csv',
  'KREDIT.xlsx': 'cashlez_bni_kredit_20200521.csv',
  [MANDIRI]: 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv',
};

const original = (file: string) => readConformanceBytes(ORIGINAL, file);
const rendering = (file: string) => parseSettlement(readConformanceText(FOLDER, RENDERING[file]));

/** The CSV renderings leave out the sheet's empty rows: the CSV line of a sheet row. */
function csvLineOf(file: string): (row: number) => number {
  const { rowOfLine, cells } = readWorkbook(original(file)).sheets[0].text();
  const blankBefore: number[] = [0];
  for (let row = 1; row <= rowOfLine.length; row++)
    blankBefore[row] = blankBefore[row - 1] + (cells(row).every((c) => c.trim() === '') ? 1 : 0);
  return (row) => row - blankBefore[row - 1];
}

/** A line less what is made of its line number (the Mandiri fee group is named by its row). */
const withoutNumbers = ({ lineNumber: _n, feeGroup: _g, ...rest }: ParsedSettlementLine & { feeGroup?: string }) =>
  rest;

function refusal(fn: () => unknown): { message: string; details: WorkbookPlace & { line: number; reason: string } } {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkbookImportError) return { message: err.message, details: err.details as never };
    throw err;
  }
  throw new Error('expected a refusal');
}

/** An original with its first sheet edited, written back as xlsx or xls by SheetJS. */
function edited(
  file: string,
  change: (ws: XLSX.WorkSheet, wb: XLSX.WorkBook) => void,
  bookType: 'xlsx' | 'biff8' = 'xlsx',
): Buffer {
  const wb = XLSX.read(original(file), { type: 'buffer' });
  change(wb.Sheets[wb.SheetNames[0]], wb);
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

test('the originals folder holds the workbooks these tests know', () => {
  expect(conformanceFiles(ORIGINAL, '')).toEqual(Object.keys(RENDERING).sort());
});

describe.each(['DEBIT.xls', 'DEBIT.xlsx', 'KREDIT.xls', 'KREDIT.xlsx'])('BNI %s', (file) => {
  test('gives exactly the lines, line numbers, totals and dates of its CSV rendering', () => {
    const csv = rendering(file);
    const wb = parseSettlementBytes(original(file));
    expect(wb).toEqual(csv);
    expect(wb.lines.length).toBe(file.startsWith('DEBIT') ? 13 : 97);
  });
});

describe('Mandiri GROUP-07198-2020-05-22-Mandiri.xlsx', () => {
  let wb: ParsedSettlementFile;
  let csv: ParsedSettlementFile;
  beforeAll(() => {
    wb = parseSettlementBytes(original(MANDIRI));
    csv = rendering(MANDIRI);
  });

  test('every line field for field as the CSV rendering, totals, stated totals and fee groups too', () => {
    expect(wb.lines.map(withoutNumbers)).toEqual(csv.lines.map(withoutNumbers));
    expect({ ...wb, lines: [], stated: [], feeGroups: [] }).toEqual({ ...csv, lines: [], stated: [], feeGroups: [] });
    expect(wb.totals).toEqual({
      count: 1677,
      gross: '9713461928.00',
      mdr: '140365872.00',
      otherFees: '0.00',
      net: '9573096056.00',
    });
  });

  test("line numbers are the sheet's rows; the rendering, which drops empty rows, numbers the same rows less those", () => {
    const csvLine = csvLineOf(MANDIRI);
    expect(wb.lines[0]).toMatchObject({ lineNumber: 9, approvalCode: '014177', transactionDate: '2020-05-22' });
    expect(wb.lines.map((l) => csvLine(l.lineNumber))).toEqual(csv.lines.map((l) => l.lineNumber));
    expect(wb.stated.map((s) => ({ ...s, lineNumber: csvLine(s.lineNumber) }))).toEqual(csv.stated);
    expect(
      wb.feeGroups?.map((g) => ({ ...g, lineNumber: csvLine(g.lineNumber), lines: g.lines.map(csvLine) })),
    ).toEqual(csv.feeGroups);
  });

  test("the cells hold real numbers for dates (43973) and text with the bank's own apostrophes ('014177')", () => {
    const { text } = readWorkbook(original(MANDIRI)).sheets[0].text();
    const row9 = text.split('\n')[8].split(',');
    expect(row9[6]).toBe('43973');
    expect(row9[13]).toBe("'014177'");
  });
});

describe('what a cell becomes', () => {
  const sheetOf = (rows: unknown[][], bookType: 'xlsx' | 'biff8' = 'xlsx') => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'S');
    return readWorkbook(XLSX.write(wb, { type: 'buffer', bookType }) as Buffer).sheets[0].text();
  };

  test.each(['xlsx', 'biff8'] as const)(
    '%s: numbers without exponent at 15 digits, booleans, quoting, padding to the widest row',
    (bookType) => {
      const { text } = sheetOf([[0.1 + 0.2, 1e-7, 349.49999999999994, true, 'a,b', 'say "x"'], [1]], bookType);
      expect(text).toBe('0.3,0.0000001,349.5,TRUE,"a,b","say ""x"""\n1,,,,,\n');
    },
  );

  test('a formula is its cached value, never evaluated', () => {
    const ws = XLSX.utils.aoa_to_sheet([[1, 2]]);
    ws.C1 = { t: 'n', f: 'A1+B1', v: 99 };
    ws['!ref'] = 'A1:C1';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    expect(readWorkbook(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).sheets[0].text().text).toBe(
      '1,2,99\n',
    );
  });

  test('a cell holding a line break keeps every later line on its own sheet row', () => {
    const file = parseSettlementBytes(
      edited('DEBIT.xlsx', (ws) => {
        ws.W3 = { t: 's', v: 'CSZ*RUMAH SAKIT\nNASIONAL' };
      }),
    );
    expect(file.lines.map((l) => l.lineNumber)).toEqual(Array.from({ length: 13 }, (_, i) => i + 2));
    expect(file.lines[1].raw?.['MERCHANT NAME']).toBe('CSZ*RUMAH SAKIT\nNASIONAL');
  });
});

test('a workbook is known by its bytes, not its name: CSV bytes stay CSV', () => {
  expect(workbookKind(original('DEBIT.xlsx'))).toBe('xlsx');
  expect(workbookKind(original('DEBIT.xls'))).toBe('xls');
  expect(workbookKind(Buffer.from(readConformanceText(FOLDER, RENDERING['DEBIT.xls'])))).toBeUndefined();
});

describe('refusals name the sheet, the row and the column', () => {
  test.each(['xlsx', 'biff8'] as const)('%s: an AMOUNT cell holding "abc"', (bookType) => {
    const bad = edited(
      bookType === 'xlsx' ? 'DEBIT.xlsx' : 'DEBIT.xls',
      (ws) => {
        ws.J5 = { t: 's', v: 'abc' };
      },
      bookType,
    );
    expect(refusal(() => parseSettlementBytes(bad))).toEqual({
      message: 'sheet BND350UI, row 5, column AMOUNT (J5): "abc" is not an amount',
      details: {
        line: 5,
        reason: 'sheet BND350UI, row 5, column AMOUNT (J5): "abc" is not an amount',
        sheet: 'BND350UI',
        row: 5,
        column: 'AMOUNT',
        cell: 'J5',
      },
    });
  });

  test('an invalid date, in BNI text and in a Mandiri date cell', () => {
    const bni = edited('DEBIT.xlsx', (ws) => {
      ws.G4 = { t: 's', v: '31/02/2020' };
    });
    expect(refusal(() => parseSettlementBytes(bni)).message).toBe(
      'sheet BND350UI, row 4, column TRX DATE (G4): "31/02/2020" is not a date DD/MM/YYYY',
    );
    const mandiri = edited(MANDIRI, (ws) => {
      ws.H12 = { t: 's', v: 'kemarin' };
    });
    expect(refusal(() => parseSettlementBytes(mandiri)).details).toMatchObject({
      sheet: 'GROUP-07198-2020-05-22',
      row: 12,
      column: 'SETTLEDATE',
      cell: 'H12',
    });
  });

  test('a row whose sums do not hold names its row', () => {
    const bad = edited('DEBIT.xlsx', (ws) => {
      ws.U3 = { t: 'n', v: 1 };
    });
    expect(refusal(() => parseSettlementBytes(bad)).message).toBe(
      'sheet BND350UI, row 3: net 1.00 is not gross 135000.00 - MDR 203.00 = 134797.00',
    );
  });

  test('a workbook in no known layout', () => {
    const bad = edited('DEBIT.xlsx', (ws) => {
      ws.A1 = { t: 's', v: 'TANGGAL' };
    });
    expect(refusal(() => parseSettlementBytes(bad)).message).toMatch(
      /^sheet BND350UI, row 1: not a settlement layout we know/,
    );
  });

  test('several sheets: the one in a known layout is read; two such are refused', () => {
    const withNotes = edited('DEBIT.xlsx', (_ws, wb) =>
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['catatan']]), 'Notes'),
    );
    expect(parseSettlementBytes(withNotes).lines).toHaveLength(13);
    const notesFirst = edited('DEBIT.xlsx', (ws, wb) => {
      wb.SheetNames.unshift('Notes');
      wb.Sheets.Notes = XLSX.utils.aoa_to_sheet([['catatan']]);
      void ws;
    });
    expect(parseSettlementBytes(notesFirst).lines).toHaveLength(13);
    const twice = edited('DEBIT.xlsx', (ws, wb) => XLSX.utils.book_append_sheet(wb, ws, 'Copy'));
    expect(refusal(() => parseSettlementBytes(twice)).message).toMatch(
      /^sheets BND350UI, Copy are each a settlement report/,
    );
  });

  test.each(Object.keys(RENDERING))('%s cut short anywhere is refused as cut short', (file) => {
    const bytes = original(file);
    for (const at of [
      100,
      600,
      Math.floor(bytes.length / 3),
      Math.floor(bytes.length / 2),
      bytes.length - 700,
      bytes.length - 1,
    ]) {
      expect(refusal(() => parseSettlementBytes(bytes.subarray(0, at))).message).toMatch(/cut short or damaged/);
    }
  });
});

describe('what a workbook may cost', () => {
  /** A one-entry zip (stored or deflated) with a [Content_Types].xml, written by hand. */
  function zip(entries: { name: string; data: Buffer; deflate?: boolean }[]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const body = e.deflate ? deflateRawSync(e.data) : e.data;
      const name = Buffer.from(e.name);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(e.deflate ? 8 : 0, 8);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(e.data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(e.deflate ? 8 : 0, 10);
      central.writeUInt32LE(body.length, 20);
      central.writeUInt32LE(e.data.length, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      locals.push(local, name, body);
      centrals.push(central, name);
      offset += 30 + name.length + body.length;
    }
    const dir = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, dir, end]);
  }
  const types = { name: '[Content_Types].xml', data: Buffer.from('<Types/>') };

  test('a zip bomb stops at the inflation cap', () => {
    const bomb = zip([types, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(8 * 1024 * 1024), deflate: true }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => checkXlsx(bomb, { ...WORKBOOK_LIMITS, maxUncompressed: 1024 * 1024 })).toThrow(
      /inflates to more than 1 MiB/,
    );
  });

  test('cells are counted before any spreadsheet is built', () => {
    const cells = Buffer.from(
      `<worksheet><sheetData><row>${'<c r="A1"><v>1</v></c><x:c r="B1"/>'.repeat(60)}</row></sheetData></worksheet>`,
    );
    expect(
      checkXlsx(zip([types, { name: 'xl/worksheets/sheet1.xml', data: cells, deflate: true }]), WORKBOOK_LIMITS).cells,
    ).toBe(120);
    expect(() =>
      checkXlsx(zip([types, { name: 'xl/worksheets/sheet1.xml', data: cells }]), { ...WORKBOOK_LIMITS, maxCells: 100 }),
    ).toThrow(/120 cells, more than the 100/);
  });

  test('a zip that is no workbook is refused', () => {
    expect(() => checkXlsx(zip([{ name: 'a.txt', data: Buffer.from('x') }]), WORKBOOK_LIMITS)).toThrow(
      /not an Excel workbook/,
    );
  });

  test('an xls whose sector chain loops is refused before SheetJS could follow it for ever', () => {
    const bytes = Buffer.from(original('DEBIT.xls'));
    expect(() => checkXls(bytes)).not.toThrow();
    const ssz = 1 << bytes.readUInt16LE(30);
    const fat = ssz + bytes.readUInt32LE(76) * ssz;
    // the directory's chain made to point back at itself
    const dir = bytes.readUInt32LE(48);
    bytes.writeUInt32LE(dir, fat + dir * 4);
    expect(() => checkXls(bytes)).toThrow(/sector chains loop/);
  });

  test('the workbook as a whole is capped', () => {
    expect(
      refusal(() =>
        parseSettlementBytes(Buffer.concat([original('DEBIT.xls'), Buffer.alloc(WORKBOOK_LIMITS.maxBytes)])),
      ).message,
    ).toMatch(/more than the 32 MiB a workbook may be: export the report as CSV instead/);
  });
});
