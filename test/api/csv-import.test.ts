// CSV import of stalls and traders: every bad row reported by file line, and all or nothing.
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { admin, clientFor, type Client, manager } from '../support/master-data-client';

let t: TestDb;
let api: Client;
beforeAll(async () => {
  t = await freshDb();
  api = clientFor(testApp(t.knex).app, admin());
});
afterAll(() => t.drop());

async function market() {
  const r = await make.region(t.knex);
  return { region: r, market: await make.market(t.knex, r.id) };
}
const stallCount = async (marketId: string) =>
  Number((await t.knex('stalls').where({ market_id: marketId }).count('* as n'))[0].n);

test('a stall CSV with a bad row on line 4 is a 400 naming line 4 and the field, and imports no stall at all', async () => {
  const { market: m } = await market();
  const csv = [
    'code,kind,area_m2,block,zone,status',
    'A-01,kios,6,A,,',
    'A-02,los,4.5,A,depan,active',
    'A-03,kios,enam,A,,',
    'A-04,pelataran,2,,,vacant',
  ].join('\n');
  const res = await api.csv(`/markets/${m.id}/stalls/import`, csv);
  expect(res.status).toBe(400);
  expect(res.body.error).toEqual({
    code: 'invalid-csv',
    message: '1 line(s) of the file are invalid; nothing was imported',
    details: [{ line: 4, field: 'area_m2', message: 'must be a decimal string of square metres such as "6" or "7.5"' }],
  });
  expect(await stallCount(m.id)).toBe(0);
});

test('a clean stall CSV imports every row', async () => {
  const { market: m } = await market();
  const csv =
    'code,kind,area_m2,block,zone,status\r\nA-01,kios,6,A,,\r\nA-02,Los,4.5,A,depan,active\r\nA-03,pelataran,2,,,vacant\r\n';
  const res = await api.csv(`/markets/${m.id}/stalls/import`, csv);
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ imported: 3 });
  const rows = await t
    .knex('stalls')
    .where({ market_id: m.id })
    .orderBy('code')
    .select('code', 'kind', 'area_m2', 'block', 'zone', 'status');
  expect(rows).toEqual([
    { code: 'A-01', kind: 'kios', area_m2: '6.00', block: 'A', zone: null, status: 'active' },
    { code: 'A-02', kind: 'los', area_m2: '4.50', block: 'A', zone: 'depan', status: 'active' },
    { code: 'A-03', kind: 'pelataran', area_m2: '2.00', block: null, zone: null, status: 'vacant' },
  ]);
});

test('an Excel export with ";" and decimal commas imports; optional columns may be left out', async () => {
  const { market: m } = await market();
  const res = await api.csv(`/markets/${m.id}/stalls/import`, '\uFEFFcode;kind;area_m2\nK-1;kios;"7,25"\nK-2;los;3\n');
  expect(res.body).toEqual({ imported: 2 });
  expect(await t.knex('stalls').where({ market_id: m.id, code: 'K-1' }).first('area_m2')).toEqual({ area_m2: '7.25' });
});

test('duplicate codes within the file and against existing stalls, and ragged rows, are each reported with their line', async () => {
  const { region: r, market: m } = await market();
  await make.stall(t.knex, r.id, m.id, { code: 'OLD-1' });
  const csv = ['code,kind,area_m2', 'N-1,kios,6', '', 'N-1,los,3', 'OLD-1,kios,4', 'N-2,kios', 'N-3,gudang,0'].join(
    '\n',
  );
  const res = await api.csv(`/markets/${m.id}/stalls/import`, csv);
  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([
    { line: 4, field: 'code', message: 'code N-1 already appears on line 2' },
    { line: 5, field: 'code', message: 'the market already has a stall with code OLD-1' },
    { line: 6, field: '(row)', message: 'has 2 fields, the header has 3' },
    { line: 7, field: 'kind', message: expect.any(String) },
    { line: 7, field: 'area_m2', message: 'must be greater than zero' },
  ]);
  expect(await stallCount(m.id)).toBe(1);
});

test('an unknown or missing column is reported on line 1; a body that is not CSV is a 415', async () => {
  const { market: m } = await market();
  const res = await api.csv(`/markets/${m.id}/stalls/import`, 'code,jenis,area_m2\nA,kios,1\n');
  expect(res.body.error.details).toEqual([
    { line: 1, field: 'jenis', message: 'unknown column; expected code, kind, area_m2, block, zone, status' },
    { line: 1, field: 'kind', message: 'required column is missing' },
  ]);
  expect((await api.post(`/markets/${m.id}/stalls/import`, { code: 'A' })).status).toBe(415);
});

test('a manager cannot import stalls (403)', async () => {
  const { region: r, market: m } = await market();
  const res = await clientFor(testApp(t.knex).app, manager(r.id, m.id)).csv(
    `/markets/${m.id}/stalls/import`,
    'code,kind,area_m2\nA,kios,1\n',
  );
  expect(res.status).toBe(403);
});

test('a trader CSV with stall columns creates the traders and their tenancies in the market', async () => {
  const { region: r, market: m } = await market();
  await make.stall(t.knex, r.id, m.id, { code: 'A-01' });
  await make.stall(t.knex, r.id, m.id, { code: 'A-02' });
  const csv = [
    'name,nik,phone,address,stall_code,effective_from',
    'Bu Sri,3371014501800001,081234567890,Jl. Pemuda 1,A-01,2026-01-01',
    'Pak Budi,,,,A-02,2026-02-01',
    'Bu Tini,,,,,',
  ].join('\n');
  const res = await api.csv(`/regions/${r.id}/traders/import?marketId=${m.id}`, csv);
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ imported: 3, tenancies: 2 });
  const placed = await t
    .knex('tenancies as t')
    .join('traders as tr', 'tr.id', 't.trader_id')
    .join('stalls as s', 's.id', 't.stall_id')
    .where('t.region_id', r.id)
    .orderBy('s.code')
    .select('s.code', 'tr.name', 't.effective_from', 't.effective_to');
  expect(placed).toEqual([
    { code: 'A-01', name: 'Bu Sri', effective_from: '2026-01-01', effective_to: null },
    { code: 'A-02', name: 'Pak Budi', effective_from: '2026-02-01', effective_to: null },
  ]);
});

test('a trader CSV with a bad NIK, an unknown stall and an occupied stall imports nobody and names each line', async () => {
  const { region: r, market: m } = await market();
  const taken = await make.stall(t.knex, r.id, m.id, { code: 'B-01' });
  await make.tenancy(t.knex, r.id, taken.id, (await make.trader(t.knex, r.id)).id, { from: '2025-01-01' });
  const csv = [
    'name,nik,stall_code,effective_from',
    'Bu Sri,3371014501800001,,',
    'Pak Budi,12345,,',
    'Bu Tini,,Z-99,2026-01-01',
    'Pak Joko,,B-01,2026-01-01',
    'Bu Ani,3371014501800001,,',
  ].join('\n');
  const res = await api.csv(`/regions/${r.id}/traders/import?marketId=${m.id}`, csv);
  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([
    { line: 3, field: 'nik', message: 'must be the 16-digit NIK' },
    { line: 4, field: 'stall_code', message: 'the market has no stall Z-99' },
    {
      line: 5,
      field: 'stall_code',
      message: 'the stall already has an occupant on or after effective_from; end that tenancy first',
    },
    { line: 6, field: 'nik', message: 'NIK already appears on line 2' },
  ]);
  expect(await t.knex('traders').where({ region_id: r.id })).toHaveLength(1);
});

test('stall columns without ?marketId= are refused naming marketId', async () => {
  const { region: r } = await market();
  const res = await api.csv(
    `/regions/${r.id}/traders/import`,
    'name,stall_code,effective_from\nBu Sri,A-01,2026-01-01\n',
  );
  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([
    { field: 'marketId', message: 'the file has a stall_code column: say which market with ?marketId=' },
  ]);
});
