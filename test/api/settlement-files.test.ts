// POST /api/v1/settlement-files: the bank's file as the raw body, 201 for a new import, 200 with
// the first answer for a repeat, 422 naming the line for a file the parsers refuse; and the
// listing and detail officers and auditors read.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { staffPrincipal } from '../support/region-world';
import { make as bank } from '../unit/bank-files-support';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';

let t: TestDb;
let app: Express;
beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
});
afterAll(() => t.drop());

async function setup() {
  const region = await make.region(t.knex);
  const other = await make.region(t.knex);
  const acquirer = await make.acquirer(t.knex, region.id);
  const market = await make.market(t.knex, region.id);
  const staff = async (role: string, regionId: string | null, marketId: string | null = null) =>
    tokenFor(staffPrincipal(await make.user(t.knex, role, { regionId, marketId })));
  const tokens = {
    officer: await staff('officer', region.id),
    otherOfficer: await staff('officer', other.id),
    manager: await staff('manager', region.id, market.id),
    auditor: await staff('auditor', region.id),
    admin: await staff('admin', null),
  };
  const upload = (
    token: string | null,
    body: string | Buffer,
    query: Record<string, string> = { acquirer: acquirer.code },
  ) => {
    const req = request(app).post('/api/v1/settlement-files').query(query).set('content-type', 'text/csv');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const get = (token: string, path: string, query: Record<string, string> = {}) =>
    request(app).get(path).query(query).set('Authorization', `Bearer ${token}`);
  const count = async (table: string) =>
    Number((await t.knex(table).where({ region_id: region.id }).count('* as n').first())!.n);
  return { region, other, acquirer, tokens, upload, get, count };
}

const csv = (rrn = '633012000145') => writeBniSettlementCsv(bank.meta(), [bank.line({ rrn }), bank.qrisLine()]);

test('a new settlement file is 201 with its lines and totals; the same bytes again are 200 with the same body, duplicate', async () => {
  const s = await setup();
  const first = await s.upload(s.tokens.officer, csv(), {
    acquirer: s.acquirer.code,
    name: 'settlement_bni_20261125.csv',
  });
  expect(first.status).toBe(201);
  expect(first.body).toEqual({
    fileId: expect.any(String),
    regionId: s.region.id,
    kind: 'settlement',
    format: 'bni',
    acquirerCode: s.acquirer.code,
    name: 'settlement_bni_20261125.csv',
    lines: 2,
    duplicate: false,
    settlementDate: '2026-11-25',
    transactionDates: ['2026-11-24'],
    totals: { count: 2, gross: '240500.00', mdr: '350.00', otherFees: '0.00', net: '240150.00' },
  });
  const again = await s.upload(s.tokens.officer, csv(), {
    acquirer: s.acquirer.code,
    name: 'settlement_bni_20261125.csv',
  });
  expect(again.status).toBe(200);
  expect(again.body).toEqual({ ...first.body, duplicate: true });
  expect(await s.count('bank_files')).toBe(1);
  expect(await s.count('settlement_lines')).toBe(2);
});

test('the body is the file whatever the content type says', async () => {
  const s = await setup();
  const res = await request(app)
    .post('/api/v1/settlement-files')
    .query({ acquirer: s.acquirer.code })
    .set('Authorization', `Bearer ${s.tokens.officer}`)
    .set('content-type', 'application/json')
    .send(csv());
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ format: 'bni', lines: 2 });
});

test('a refused file is 422 naming the line and the reason, and the database is unchanged', async () => {
  const s = await setup();
  const res = await s.upload(s.tokens.officer, csv().replace(',232650,', ',232651,'));
  expect(res.status).toBe(422);
  expect(res.body.error).toEqual({
    code: 'settlement-file-refused',
    message: 'line 2: net 232651.00 is not gross 233000.00 - MDR 350.00 = 232650.00',
    details: { line: 2, reason: 'net 232651.00 is not gross 233000.00 - MDR 350.00 = 232650.00' },
  });
  const utf16 = await s.upload(s.tokens.officer, Buffer.from(csv(), 'utf16le'));
  expect(utf16.status).toBe(422);
  expect(utf16.body.error.details).toMatchObject({ line: 1 });
  expect(await s.count('bank_files')).toBe(0);
  expect(await s.count('settlement_lines')).toBe(0);
});

test('an acquirer the region does not have is 422 unknown-acquirer; a settlement file without one is 400', async () => {
  const s = await setup();
  const unknown = await s.upload(s.tokens.officer, csv(), { acquirer: 'no-such-bank' });
  expect(unknown.status).toBe(422);
  expect(unknown.body.error).toMatchObject({
    code: 'unknown-acquirer',
    details: { field: 'acquirer', acquirer: 'no-such-bank' },
  });
  const missing = await s.upload(s.tokens.officer, csv(), {});
  expect(missing.status).toBe(400);
  expect(missing.body.error.details).toEqual([{ field: 'acquirer', message: 'required for a settlement file' }]);
  const unknownField = await s.upload(s.tokens.officer, csv(), { acquirer: s.acquirer.code, colour: 'red' });
  expect(unknownField.status).toBe(400);
});

test("an officer of another region is 403, a manager 403, no token 401; the admin's upload finds the acquirer's region", async () => {
  const s = await setup();
  expect((await s.upload(s.tokens.otherOfficer, csv())).body.error).toMatchObject({ code: 'forbidden' });
  expect((await s.upload(s.tokens.otherOfficer, csv())).status).toBe(403);
  expect((await s.upload(s.tokens.manager, csv())).status).toBe(403);
  expect((await s.upload(s.tokens.auditor, csv())).status).toBe(403);
  expect((await s.upload(null, csv())).status).toBe(401);
  expect(await s.count('bank_files')).toBe(0);
  const admin = await s.upload(s.tokens.admin, csv());
  expect(admin.status).toBe(201);
  expect(admin.body.regionId).toBe(s.region.id);
});

test("a statement goes to the officer's region; the admin names the region", async () => {
  const s = await setup();
  const mt940 = writeMt940(bank.statement());
  const res = await s.upload(s.tokens.officer, mt940, { kind: 'statement' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    kind: 'statement',
    format: 'mt940',
    lines: 2,
    duplicate: false,
    regionId: s.region.id,
    valueDates: ['2026-11-25'],
    totals: { statements: 1, entries: 2, credits: '240150.00', debits: '0.00' },
    statements: [
      {
        account: '1010001234',
        statementId: '20261125030008/102',
        openingBalance: '100000.35',
        closingBalance: '340150.35',
        entries: 2,
        openingMismatch: false,
        alreadyImported: false,
      },
    ],
  });
  const adminWithout = await s.upload(s.tokens.admin, mt940, { kind: 'statement' });
  expect(adminWithout.status).toBe(400);
  expect(adminWithout.body.error.details).toEqual([{ field: 'regionId', message: 'required for a statement' }]);
  const adminInOther = await s.upload(s.tokens.admin, mt940, { kind: 'statement', regionId: s.other.id });
  expect(adminInOther.status).toBe(201);
  expect(adminInOther.body.regionId).toBe(s.other.id);
});

test('the list shows metadata (never the bytes), filtered by kind and date; the detail adds the statements', async () => {
  const s = await setup();
  const settlement = (await s.upload(s.tokens.officer, csv())).body;
  const statement = (await s.upload(s.tokens.officer, writeMt940(bank.statement()), { kind: 'statement' })).body;
  const all = await s.get(s.tokens.auditor, '/api/v1/settlement-files', { regionId: s.region.id });
  expect(all.status).toBe(200);
  expect(all.body.items.map((f: { fileId: string }) => f.fileId).sort()).toEqual(
    [settlement.fileId, statement.fileId].sort(),
  );
  expect(all.body.items.find((f: { kind: string }) => f.kind === 'settlement')).toEqual({
    fileId: settlement.fileId,
    regionId: s.region.id,
    kind: 'settlement',
    format: 'bni',
    acquirerCode: s.acquirer.code,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    sizeBytes: Buffer.byteLength(csv()),
    lines: 2,
    totals: settlement.totals,
    settlementDate: '2026-11-25',
    source: 'upload',
    importedBy: expect.any(String),
    importedAt: expect.any(String),
  });
  const byKind = await s.get(s.tokens.officer, '/api/v1/settlement-files', { kind: 'statement' });
  expect(byKind.body.items.map((f: { fileId: string }) => f.fileId)).toEqual([statement.fileId]);
  const byDate = await s.get(s.tokens.officer, '/api/v1/settlement-files', { date: '2026-11-25' });
  expect(byDate.body.items).toHaveLength(2);
  expect((await s.get(s.tokens.officer, '/api/v1/settlement-files', { date: '2026-11-26' })).body.items).toEqual([]);
  const detail = await s.get(s.tokens.auditor, `/api/v1/settlement-files/${statement.fileId}`);
  expect(detail.status).toBe(200);
  expect(detail.body).toMatchObject({ fileId: statement.fileId, kind: 'statement', statements: statement.statements });
  expect((await s.get(s.tokens.otherOfficer, `/api/v1/settlement-files/${statement.fileId}`)).status).toBe(403);
  expect((await s.get(s.tokens.officer, '/api/v1/settlement-files/00000000-0000-4000-8000-000000000000')).status).toBe(
    404,
  );
});
