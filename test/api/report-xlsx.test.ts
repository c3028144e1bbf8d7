// Every report as an Excel workbook (GET /api/v1/reports/:kind?format=xlsx), read back with the
// library that reads the banks' workbooks (SheetJS): sheet "Data" has the CSV's rows cell for
// cell, money, counts, dates and percentages as typed number cells with their formats, codes
// (a stall code or terminal id with leading zeros) as text; and its totals are the PDF's, the
// figures the issued document prints and registers. Built on the pages' region (months of
// assessments, payments, a reconciled calendar, letters), plus a stall and a terminal whose
// codes start with zeros.
import request from 'supertest';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
import { freshDb, type TestDb } from '../support/db';
import { tokenFor } from '../support/app';
import * as make from '../support/make';
import { pay as payCard } from '../support/pay';
import { binaryParser, pdfText } from '../support/pdf';
import { Decimal } from '../../api/core/money';
import { assessDay } from '../../api/assessments/assessment.service';
import { csvCell } from '../../reports/document';
import { rupiah } from '../../reports/format';
import { reportDefinition } from '../../reports/registry';
import type { ColumnType } from '../../reports/definition';
import { NOW, TODAY, EXCEPTION_DAY, pagesWorld, type PagesWorld } from '../browser/pages-world';

let t: TestDb;
let w: PagesWorld;
let officer: string;
let manager: string;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  officer = tokenFor({ role: 'officer', sub: 'officer-xlsx', regionId: w.regionA.id }, Date.parse(NOW));
  manager = tokenFor(
    { role: 'manager', sub: 'manager-xlsx', regionId: w.regionA.id, marketId: w.market.id },
    Date.parse(NOW),
  );
  // A stall code and a terminal id that a spreadsheet would read as numbers, dropping the zeros.
  const stall = await make.stall(t.knex, w.regionA.id, w.market2.id, { code: '0042' });
  const trader = await make.trader(t.knex, w.regionA.id, { name: 'Sumarni' });
  await make.tenancy(t.knex, w.regionA.id, stall.id, trader.id);
  await assessDay(w.deps, w.regionA.code, '2026-11-10');
  await assessDay(w.deps, w.regionA.code, '2026-11-11');
  const terminal = await make.terminal(t.knex, w.regionA.id, w.market2.id, w.acquirer.id, { id: '00012345' });
  const terminalToken = tokenFor(
    { role: 'terminal', sub: terminal.id, terminalId: terminal.id, regionId: w.regionA.id, marketId: w.market2.id },
    Date.parse(NOW),
  );
  await payCard(w.app, { stall, terminal, terminalToken }, { amount: '1500', paidAt: '2026-11-17T03:00:00Z' });
}, 180000);
afterAll(() => t.drop());

async function get(kind: string, query: Record<string, string>, token = officer) {
  const res = await request(w.app)
    .get(`/api/v1/reports/${kind}`)
    .query(query)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse(binaryParser as never);
  if (res.status !== 200) throw new Error(`${kind} ${JSON.stringify(query)}: ${res.status} ${res.body.toString()}`);
  return res;
}

interface Workbook {
  data: XLSX.WorkSheet;
  about: XLSX.WorkSheet;
  /** the Data sheet's cells, row by row, across the CSV's width */
  cells: (XLSX.CellObject | undefined)[][];
}

function readWorkbook(bytes: Buffer, width: number): Workbook {
  const wb = XLSX.read(bytes, { type: 'buffer', cellNF: true });
  expect(wb.SheetNames).toEqual(['Data', 'Keterangan']);
  const data = wb.Sheets.Data;
  const range = XLSX.utils.decode_range(data['!ref']!);
  const cells: (XLSX.CellObject | undefined)[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const row: (XLSX.CellObject | undefined)[] = [];
    for (let c = 0; c < Math.max(width, range.e.c + 1); c++) row.push(data[XLSX.utils.encode_cell({ r, c })]);
    cells.push(row);
  }
  return { data, about: wb.Sheets.Keterangan, cells };
}

/** An Excel date serial as the CSV writes the day. */
const isoOf = (serial: number) => new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);

/** The CSV text a workbook cell stands for, checking the cell's type and format on the way. */
function asCsv(cell: XLSX.CellObject | undefined, type: ColumnType, csv: string): string {
  if (cell === undefined) return '';
  if (cell.t === 's') return csvCell(String(cell.v));
  expect(cell.t).toBe('n');
  const v = cell.v as number;
  switch (type) {
    case 'money':
      expect(cell.z).toBe('#,##0.00');
      // The number is the CSV's amount exactly (1234.5 for "1234.50").
      return new Decimal(v).equals(new Decimal(csv)) ? csv : String(v);
    case 'percent':
      expect(cell.z).toBe('0.00"%"');
      return new Decimal(v).equals(new Decimal(csv)) ? csv : String(v);
    case 'integer':
      expect(cell.z).toBe('#,##0');
      return String(v);
    case 'date':
      expect(XLSX.SSF.is_date(cell.z as string)).toBe(true);
      return isoOf(v);
    default:
      throw new Error(`a number cell in a text column: ${v}`);
  }
}

const CASES: [string, Record<string, string>][] = [
  ['daily-reconciliation', { date: EXCEPTION_DAY }],
  ['daily-collection', { date: '2026-11-17' }],
  ['monthly-realisation', { month: '2026-11' }],
  ['arrears', { asOf: TODAY }],
  ['warning-letters', { date: '2026-11-01' }],
];

test.each(CASES)('%s: the workbook is the CSV row for row, with typed cells', async (kind, query) => {
  const q = kind === 'warning-letters' ? { ...query, marketId: w.market.id } : query;
  const csv: string[][] = parse((await get(kind, { ...q, format: 'csv' })).body.toString('utf8'));
  const res = await get(kind, { ...q, format: 'xlsx' });
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?[a-z-]+-[0-9-]+\.xlsx"?$/);
  const types = reportDefinition(kind)!.columns!;
  const { cells, about } = readWorkbook(res.body as Buffer, csv[0].length);
  expect(cells.length).toBe(csv.length);
  expect(cells[0].map((c) => c?.v)).toEqual(csv[0]);
  let numbers = 0;
  csv.slice(1).forEach((line, i) => {
    const row = cells[i + 1];
    expect(row.length).toBe(line.length);
    const back = line.map((text, c) => asCsv(row[c], types[csv[0][c]] ?? 'text', text));
    expect(back).toEqual(line);
    // Every cell of a typed column that reads as its type is a number, never text.
    line.forEach((text, c) => {
      const type = types[csv[0][c]] ?? 'text';
      const typed = (
        type === 'money' || type === 'percent'
          ? /^-?\d+(\.\d+)?$/
          : type === 'integer'
            ? /^-?\d+$/
            : /^\d{4}-\d\d-\d\d$/
      ).test(text);
      if (type !== 'text' && typed) {
        expect(row[c]?.t).toBe('n');
        numbers++;
      }
    });
  });
  // Not vacuous: the report has typed figures, and the TOTAL row is there.
  expect(numbers).toBeGreaterThan(csv[0].length);
  expect(csv[csv.length - 1][0]).toBe('TOTAL');
  // The other sheet says what the data is.
  expect(String(about.A1.v)).toBe(reportDefinition(kind)!.title);
  expect(XLSX.utils.sheet_to_csv(about)).toContain('Dokumen resmi yang bernomor');
});

test('every CSV column that holds money, counts or dates is declared with its type', async () => {
  for (const [kind, query] of CASES) {
    const q = kind === 'warning-letters' ? { ...query, marketId: w.market.id } : query;
    const csv: string[][] = parse((await get(kind, { ...q, format: 'csv' })).body.toString('utf8'));
    const types = reportDefinition(kind)!.columns!;
    const body = csv.slice(1, -1); // without the TOTAL row
    expect(body.length).toBeGreaterThan(0);
    csv[0].forEach((header, c) => {
      const values = body.map((l) => l[c]).filter((v) => v !== '' && v !== '—');
      const numeric = values.length > 0 && values.every((v) => /^-?\d+(\.\d+)?$/.test(v));
      const dated = values.length > 0 && values.every((v) => /^\d{4}-\d\d-\d\d$/.test(v));
      if (dated) expect([kind, header, types[header]]).toEqual([kind, header, 'date']);
      // A column of digits that is not declared would be a code: there is none in these reports.
      if (numeric)
        expect([kind, header, ['money', 'integer', 'percent'].includes(types[header])]).toEqual([kind, header, true]);
    });
  }
});

test('codes stay text: a stall code and a terminal id with leading zeros keep their zeros', async () => {
  const arrears = readWorkbook((await get('arrears', { asOf: TODAY, format: 'xlsx' })).body as Buffer, 17);
  const stallCol = arrears.cells[0].findIndex((c) => c?.v === 'kode_tempat');
  const stall = arrears.cells.find((r) => r[stallCol]?.v === '0042');
  expect(stall?.[stallCol]).toMatchObject({ t: 's', v: '0042' });
  const collection = readWorkbook(
    (await get('daily-collection', { date: '2026-11-17', format: 'xlsx' })).body as Buffer,
    20,
  );
  const terminalCol = collection.cells[0].findIndex((c) => c?.v === 'terminal');
  const terminal = collection.cells.find((r) => r[terminalCol]?.v === '00012345');
  expect(terminal?.[terminalCol]).toMatchObject({ t: 's', v: '00012345' });
});

/** A number cell's value: a total in a workbook is a number a spreadsheet can add, not text. */
function num(cell: XLSX.CellObject | undefined): Decimal {
  expect(cell?.t).toBe('n');
  return new Decimal(cell!.v as number);
}

/** The amount printed beside a label of the PDF's summary (one line of pdftotext -layout). */
function printed(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" in the PDF`);
  return /-?Rp [\d.]+(,\d\d)?/.exec(line.slice(line.indexOf(label) + label.length))![0];
}

test("the workbook's totals are the PDF's: Daftar Tunggakan and Penerimaan Harian", async () => {
  // Arrears: the TOTAL row's principal, penalty and amount owed, against the PDF's summary and
  // the figures its register row keeps.
  const pdf = await get('arrears', { asOf: TODAY });
  const number = pdf.headers['x-document-number'];
  const { text } = pdfText(pdf.body as Buffer, { layout: true });
  const doc = await t.knex('documents').where({ region_id: w.regionA.id, number }).first('covers');
  const book = readWorkbook((await get('arrears', { asOf: TODAY, format: 'xlsx' })).body as Buffer, 17);
  const header = book.cells[0].map((c) => c?.v);
  const total = book.cells[book.cells.length - 1];
  const at = (name: string) => num(total[header.indexOf(name)]);
  expect(total[0]?.v).toBe('TOTAL');
  expect(at('pokok').toFixed(2)).toBe(doc.covers.principal);
  expect(at('sanksi_bunga').toFixed(2)).toBe(doc.covers.penalty);
  expect(at('jumlah').toFixed(2)).toBe(doc.covers.total);
  expect(printed(text, 'Pokok retribusi')).toBe(rupiah(at('pokok')));
  expect(printed(text, 'Sanksi bunga')).toBe(rupiah(at('sanksi_bunga')));
  expect(printed(text, 'Jumlah tunggakan')).toBe(rupiah(at('jumlah')));
  expect(at('jumlah').isPositive() && !at('jumlah').isZero()).toBe(true);
  // ... and the rows above it add up to it, cell by cell in the workbook's own numbers.
  const rows = book.cells.slice(1, -1);
  expect(rows.length).toBe(doc.covers.rows);
  for (const name of ['pokok', 'sanksi_bunga', 'jumlah']) {
    const sum = rows.reduce((s, r) => s.plus(num(r[header.indexOf(name)])), new Decimal(0));
    expect([name, sum.toFixed(2)]).toEqual([name, at(name).toFixed(2)]);
  }

  // Daily collection of one market, as its manager asks for it.
  const lph = await get('daily-collection', { date: '2026-11-17' }, manager);
  const lphText = pdfText(lph.body as Buffer, { layout: true }).text;
  const lphDoc = await t
    .knex('documents')
    .where({ region_id: w.regionA.id, number: lph.headers['x-document-number'] })
    .first('covers');
  const lphBook = readWorkbook(
    (await get('daily-collection', { date: '2026-11-17', format: 'xlsx' }, manager)).body as Buffer,
    20,
  );
  const lphHeader = lphBook.cells[0].map((c) => c?.v);
  const lphTotal = lphBook.cells[lphBook.cells.length - 1];
  const amount = num(lphTotal[lphHeader.indexOf('jumlah_nominal')]);
  const count = num(lphTotal[lphHeader.indexOf('jumlah_trx')]);
  expect(amount.toFixed(2)).toBe(lphDoc.covers.total.amount);
  expect(count.toNumber()).toBe(lphDoc.covers.total.count);
  expect(printed(lphText, 'Jumlah penerimaan')).toBe(rupiah(amount));
  expect(num(lphTotal[lphHeader.indexOf('retribusi_nominal')]).toFixed(2)).toBe(lphDoc.covers.parts.principal);
  expect(amount.isZero()).toBe(false);
});

test('a workbook is refused like the PDF: out of scope, or a day never reconciled', async () => {
  const other = await request(w.app)
    .get('/api/v1/reports/daily-reconciliation')
    .query({ date: EXCEPTION_DAY, format: 'xlsx' })
    .set('Authorization', `Bearer ${manager}`);
  expect(other.status).toBe(403);
  const never = await request(w.app)
    .get('/api/v1/reports/daily-reconciliation')
    .query({ date: '2026-10-01', format: 'xlsx' })
    .set('Authorization', `Bearer ${officer}`);
  expect(never.status).toBe(409);
});
