// The banks' own workbooks through POST /api/v1/settlement-files and the inbox: each original
// (conformance/settlement/original) imports as its CSV rendering does, to the stored line; a bad
// workbook is 422 naming sheet, row and column, and nothing of it is kept.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import request from 'supertest';
import type { Express } from 'express';
import * as XLSX from '@e965/xlsx';
import { freshDb, type TestDb } from '../support/db';
import { testApp, testDeps, tokenFor } from '../support/app';
import * as make from '../support/make';
import { staffPrincipal } from '../support/region-world';
import { readConformanceBytes, readConformanceText } from '../support/conformance-dir';
import { importInbox } from '../../api/reconcile/inbox';

let t: TestDb;
let app: Express;
beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
});
afterAll(() => t.drop());

const RENDERING: Record<string, string> = {
  'DEBIT.xls': 'cashlez_bni_debit_20200521.csv',
  'DEBIT.xlsx': 'cashlez_bni_debit_20200521.csv',
  'KREDIT.xls': 'cashlez_bni_kredit_20200521.csv',
  'KREDIT.xlsx': 'cashlez_bni_kredit_20200521.csv',
  'GROUP-07198-2020-05-22-Mandiri.xlsx': 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv',
};

async function setup() {
  const region = await make.region(t.knex);
  const acquirer = await make.acquirer(t.knex, region.id);
  const token = tokenFor(staffPrincipal(await make.user(t.knex, 'officer', { regionId: region.id })));
  const upload = (body: Buffer | string, name: string) =>
    request(app)
      .post('/api/v1/settlement-files')
      .query({ acquirer: acquirer.code, kind: 'settlement', name })
      .set('Authorization', `Bearer ${token}`)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from(body));
  const count = async (table: string) =>
    Number((await t.knex(table).where({ region_id: region.id }).count('* as n').first())!.n);
  /** The stored lines of a file, less what names the file or the row they came from. */
  const lines = async (fileId: string) =>
    (await t.knex('settlement_lines').where({ file_id: fileId }).orderBy('line_number')).map(
      ({ id: _i, file_id: _f, line_number: _n, created_at: _c, imported_at: _a, ...rest }) => rest,
    );
  return { region, acquirer, upload, count, lines };
}

describe.each(Object.keys(RENDERING))('%s uploaded', (file) => {
  test('is 201 with the totals and dates of its CSV rendering, and stores the same lines', async () => {
    const asCsv = await setup();
    const asWorkbook = await setup();
    const csv = await asCsv.upload(readConformanceText('settlement', RENDERING[file]), RENDERING[file]);
    const wb = await asWorkbook.upload(readConformanceBytes('settlement/original', file), file);
    expect(csv.status).toBe(201);
    expect(wb.status).toBe(201);
    const { fileId: _a, regionId: _b, acquirerCode: _c, name: _d, ...csvBody } = csv.body;
    expect(wb.body).toEqual({
      ...csvBody,
      fileId: expect.any(String),
      regionId: asWorkbook.region.id,
      acquirerCode: asWorkbook.acquirer.code,
      name: file,
    });
    // fee_group names the Mandiri summary row by its number: a sheet row, not the rendering's line.
    const strip = (rows: Record<string, unknown>[]) =>
      rows.map(({ region_id: _r, acquirer_id: _q, fee_group: _g, ...rest }) => rest);
    expect(strip(await asWorkbook.lines(wb.body.fileId))).toEqual(strip(await asCsv.lines(csv.body.fileId)));
  });
});

/** DEBIT.xlsx with one cell changed, written back by SheetJS. */
function debitWith(change: (ws: XLSX.WorkSheet) => void): Buffer {
  const wb = XLSX.read(readConformanceBytes('settlement/original', 'DEBIT.xlsx'), { type: 'buffer' });
  change(wb.Sheets[wb.SheetNames[0]]);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

test('an AMOUNT cell holding "abc" is 422 naming sheet, row and column; nothing is kept', async () => {
  const s = await setup();
  const res = await s.upload(
    debitWith((ws) => {
      ws.J5 = { t: 's', v: 'abc' };
    }),
    'DEBIT.xlsx',
  );
  expect(res.status).toBe(422);
  expect(res.body.error).toEqual({
    code: 'settlement-file-refused',
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
  expect([await s.count('bank_files'), await s.count('settlement_lines')]).toEqual([0, 0]);
});

test('an invalid date, an unknown layout and a file cut short are 422 too, and nothing is kept', async () => {
  const s = await setup();
  const date = await s.upload(
    debitWith((ws) => {
      ws.A3 = { t: 's', v: '32/05/2020' };
    }),
    'x.xlsx',
  );
  expect(date.status).toBe(422);
  expect(date.body.error.details).toMatchObject({ sheet: 'BND350UI', row: 3, column: 'PROC DATE', cell: 'A3' });
  const layout = await s.upload(
    debitWith((ws) => {
      ws.A1 = { t: 's', v: 'TANGGAL' };
    }),
    'x.xlsx',
  );
  expect(layout.status).toBe(422);
  expect(layout.body.error.message).toMatch(/^sheet BND350UI, row 1: not a settlement layout we know/);
  for (const f of ['KREDIT.xlsx', 'KREDIT.xls']) {
    const bytes = readConformanceBytes('settlement/original', f);
    const cut = await s.upload(bytes.subarray(0, Math.floor(bytes.length / 2)), f);
    expect(cut.status).toBe(422);
    expect(cut.body.error.message).toMatch(/cut short or damaged/);
  }
  expect([await s.count('bank_files'), await s.count('settlement_lines')]).toEqual([0, 0]);
});

/** A zip of [Content_Types].xml and a 300 MiB worksheet of spaces, deflated to under 1 MiB. */
async function zipBomb(): Promise<Buffer> {
  const size = 300 * 1024 * 1024;
  const deflater = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflater.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => deflater.on('end', resolve));
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < size / chunk.length; i++) deflater.write(chunk);
  deflater.end();
  await done;
  const body = Buffer.concat(parts);
  const entry = (name: string, data: Buffer, method: number, usize: number, offset: number) => {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    return { local: Buffer.concat([local, n, data]), central: Buffer.concat([central, n]) };
  };
  const types = entry('[Content_Types].xml', Buffer.from('<Types/>'), 0, 8, 0);
  const sheet = entry('xl/worksheets/sheet1.xml', body, 8, size, types.local.length);
  const dir = Buffer.concat([types.central, sheet.central]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(types.local.length + sheet.local.length, 16);
  return Buffer.concat([types.local, sheet.local, dir, end]);
}

test('a zip bomb is refused with 422 before it inflates past the cap; nothing is kept', async () => {
  const s = await setup();
  const bomb = await zipBomb();
  expect(bomb.length).toBeLessThan(1024 * 1024);
  const res = await s.upload(bomb, 'bomb.xlsx');
  expect(res.status).toBe(422);
  expect(res.body.error.message).toMatch(/inflates to more than 256 MiB/);
  expect(await s.count('bank_files')).toBe(0);
}, 60_000);

test('the inbox takes settlement_<code>_*.xlsx and .xls, known by their bytes', async () => {
  const s = await setup();
  const inbox = mkdtempSync(path.join(os.tmpdir(), 'eret-wb-inbox-'));
  try {
    const day = path.join(inbox, s.region.code, '2020-05-20');
    mkdirSync(day, { recursive: true });
    writeFileSync(
      path.join(day, `settlement_${s.acquirer.code}_20200521.xlsx`),
      readConformanceBytes('settlement/original', 'KREDIT.xlsx'),
    );
    writeFileSync(
      path.join(day, `settlement_${s.acquirer.code}_20200521_debit.xls`),
      readConformanceBytes('settlement/original', 'DEBIT.xls'),
    );
    const result = await importInbox(testDeps(t.knex), s.region.id, inbox);
    expect(result.refused).toEqual([]);
    expect(result.imported.map((f) => [f.name, f.format, f.lines]).sort()).toEqual([
      [`settlement_${s.acquirer.code}_20200521.xlsx`, 'bni', 97],
      [`settlement_${s.acquirer.code}_20200521_debit.xls`, 'bni', 13],
    ]);
    expect(result.businessDates).toEqual(['2020-05-20']);
  } finally {
    rmSync(inbox, { recursive: true, force: true });
  }
});
