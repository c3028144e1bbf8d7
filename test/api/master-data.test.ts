import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testApp } from '../support/app';
import * as make from '../support/make';
import { admin, clientFor, type Client, officer } from '../support/master-data-client';

let t: TestDb;
let api: Client;
beforeAll(async () => {
  t = await freshDb();
  api = clientFor(testApp(t.knex).app, admin());
});
afterAll(() => t.drop());

const uuid = expect.stringMatching(/^[0-9a-f-]{36}$/);
const instant = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

test('region → market → stall → trader → tenancy → tariff: each is created and returned exactly, with ledger accounts', async () => {
  const region = await api.post('/regions', {
    code: 'MGL',
    name: 'Kota Magelang',
    timeZone: 'Asia/Jakarta',
    treasuryBank: 'Bank Jateng',
    treasuryAccount: '1234567890',
  });
  expect(region.status).toBe(201);
  expect(region.body).toEqual({
    id: uuid,
    code: 'MGL',
    name: 'Kota Magelang',
    timeZone: 'Asia/Jakarta',
    treasuryBank: 'Bank Jateng',
    treasuryAccount: '1234567890',
    allowCash: false,
    allocationOrder: 'oldest-month',
    createdAt: instant,
  });
  const regionId = region.body.id;

  const market = await api.post(`/regions/${regionId}/markets`, {
    code: 'CACABAN',
    name: 'Pasar Cacaban',
    class: 'I',
    openDays: [1, 2, 3, 4, 5, 6],
    annualTarget: '1200000000',
  });
  expect(market.status).toBe(201);
  expect(market.body).toEqual({
    id: uuid,
    regionId,
    code: 'CACABAN',
    name: 'Pasar Cacaban',
    class: 'I',
    openDays: [1, 2, 3, 4, 5, 6],
    annualTarget: '1200000000.00',
    address: null,
    active: true,
    createdAt: instant,
  });
  const marketId = market.body.id;

  const stall = await api.post(`/markets/${marketId}/stalls`, {
    code: 'A-01',
    kind: 'kios',
    areaM2: '6.5',
    block: 'A',
  });
  expect(stall.status).toBe(201);
  expect(stall.body).toEqual({
    id: uuid,
    regionId,
    marketId,
    code: 'A-01',
    kind: 'kios',
    areaM2: '6.50',
    block: 'A',
    zone: null,
    status: 'active',
    exempt: false,
    createdAt: instant,
  });

  const trader = await api.post(`/regions/${regionId}/traders`, {
    name: 'Bu Sri',
    nik: '3371014501800001',
    phone: '081234567890',
  });
  expect(trader.status).toBe(201);
  expect(trader.body).toEqual({
    id: uuid,
    regionId,
    nik: '3371014501800001',
    name: 'Bu Sri',
    phone: '081234567890',
    address: null,
    createdAt: instant,
  });

  const tenancy = await api.post(`/stalls/${stall.body.id}/tenancies`, {
    traderId: trader.body.id,
    effectiveFrom: '2026-01-01',
  });
  expect(tenancy.status).toBe(201);
  expect(tenancy.body).toEqual({
    id: uuid,
    regionId,
    stallId: stall.body.id,
    traderId: trader.body.id,
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
    createdAt: instant,
  });

  const tariff = await api.post(`/regions/${regionId}/tariffs`, {
    stallKind: 'kios',
    marketClass: 'I',
    basis: 'per_m2_day',
    rate: '750',
    effectiveFrom: '2026-01-01',
    legalBasis: 'Perda 5/2023',
  });
  expect(tariff.status).toBe(201);
  expect(tariff.body).toEqual({
    id: uuid,
    regionId,
    stallKind: 'kios',
    marketClass: 'I',
    zone: null,
    basis: 'per_m2_day',
    rate: '750.00',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
    legalBasis: 'Perda 5/2023',
    createdAt: instant,
  });

  const accounts = await t.knex('accounts').where({ region_id: regionId }).orderBy('code').pluck('code');
  expect(accounts).toEqual([
    '1100',
    '1300-CACABAN',
    '1310-CACABAN',
    '2100',
    '2900',
    '4100-CACABAN',
    '4110-CACABAN',
    '5100',
  ]);
  expect((await api.get(`/stalls/${stall.body.id}/tenancies`)).body).toEqual({ items: [tenancy.body] });
  expect((await api.get(`/markets/${marketId}/stall-register`)).body).toEqual({
    items: [stall.body],
    total: 1,
    limit: 50,
    offset: 0,
  });
});

test('an unknown field is a 400 that names the field', async () => {
  const res = await api.post('/regions', {
    code: 'XA',
    name: 'X',
    timeZone: 'Asia/Jakarta',
    treasuryBank: 'BPD',
    treasuryAccount: '12345',
    colour: 'red',
  });
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: {
      code: 'invalid-input',
      message: 'invalid colour: unknown field',
      details: [{ field: 'colour', message: 'unknown field' }],
    },
  });
});

test('a time zone that is not IANA is a 400 naming timeZone, and nothing is created', async () => {
  const res = await api.post('/regions', {
    code: 'XB',
    name: 'X',
    timeZone: 'WIB',
    treasuryBank: 'BPD',
    treasuryAccount: '12345',
  });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid-input');
  expect(res.body.error.details).toEqual([
    { field: 'timeZone', message: 'must be an IANA time zone such as Asia/Jakarta' },
  ]);
  expect(await t.knex('regions').where({ code: 'XB' }).first()).toBeUndefined();
});

test('money given as a JSON number, and an impossible date, are refused naming the field', async () => {
  const r = await make.region(t.knex);
  const money = await api.post(`/regions/${r.id}/markets`, {
    code: 'NUM',
    name: 'Pasar',
    class: 'II',
    annualTarget: 1000,
  });
  expect(money.status).toBe(400);
  expect(money.body.error.details.map((d: { field: string }) => d.field)).toEqual(['annualTarget']);
  const date = await api.post(`/regions/${r.id}/tariffs`, {
    stallKind: 'los',
    marketClass: 'I',
    basis: 'flat_day',
    rate: '2000',
    effectiveFrom: '2026-02-30',
  });
  expect(date.status).toBe(400);
  expect(date.body.error.details).toEqual([{ field: 'effectiveFrom', message: 'must be a real date YYYY-MM-DD' }]);
});

test('a malformed id in the path is a 400 naming it; an unknown id is a 404', async () => {
  expect((await api.get('/stalls/not-a-uuid')).body.error).toMatchObject({
    code: 'invalid-input',
    details: [{ field: 'stallId', message: 'must be a uuid' }],
  });
  const missing = await api.get('/stalls/00000000-0000-4000-8000-000000000000');
  expect(missing.status).toBe(404);
  expect(missing.body.error).toEqual({ code: 'not-found', message: 'stall not found' });
});

test('a duplicate stall code in the same market is a 409 duplicate-code naming code', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  await make.stall(t.knex, r.id, m.id, { code: 'B-07' });
  const res = await api.post(`/markets/${m.id}/stalls`, { code: 'B-07', kind: 'los', areaM2: '4' });
  expect(res.status).toBe(409);
  expect(res.body.error).toEqual({
    code: 'duplicate-code',
    message: 'this market already has a stall with this code',
    details: [{ field: 'code', message: 'this market already has a stall with this code' }],
  });
});

test('an overlapping tenancy is a 409 tenancy-overlap; once the first is ended the next occupant can start', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  const s = await make.stall(t.knex, r.id, m.id);
  const [a, b] = [await make.trader(t.knex, r.id), await make.trader(t.knex, r.id)];
  const first = await api.post(`/stalls/${s.id}/tenancies`, { traderId: a.id, effectiveFrom: '2026-01-01' });
  const clash = await api.post(`/stalls/${s.id}/tenancies`, { traderId: b.id, effectiveFrom: '2026-06-01' });
  expect(clash.status).toBe(409);
  expect(clash.body.error.code).toBe('tenancy-overlap');
  expect(clash.body.error.details[0].field).toBe('effectiveFrom');

  const ended = await api.post(`/tenancies/${first.body.id}/end`, { effectiveTo: '2026-05-31' });
  expect(ended.status).toBe(200);
  expect(ended.body).toEqual({ ...first.body, effectiveTo: '2026-05-31' });
  expect((await api.post(`/tenancies/${first.body.id}/end`, { effectiveTo: '2026-05-30' })).body.error.code).toBe(
    'tenancy-already-ended',
  );
  expect((await api.post(`/stalls/${s.id}/tenancies`, { traderId: b.id, effectiveFrom: '2026-06-01' })).status).toBe(
    201,
  );
});

test('a tenancy for a trader of another region is refused, and the stall stays empty', async () => {
  const [r1, r2] = [await make.region(t.knex), await make.region(t.knex)];
  const s = await make.stall(t.knex, r1.id, (await make.market(t.knex, r1.id)).id);
  const foreign = await make.trader(t.knex, r2.id);
  const res = await api.post(`/stalls/${s.id}/tenancies`, { traderId: foreign.id, effectiveFrom: '2026-01-01' });
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'trader-outside-region', details: [{ field: 'traderId' }] });
  expect(await t.knex('tenancies').where({ stall_id: s.id })).toHaveLength(0);
});

test('an overlapping tariff is a 409 tariff-overlap; a revision ends the old tariff and adds a new one', async () => {
  const r = await make.region(t.knex);
  const body = { stallKind: 'los', marketClass: 'II', basis: 'per_m2_day', rate: '500', effectiveFrom: '2025-01-01' };
  const old = await api.post(`/regions/${r.id}/tariffs`, body);
  const clash = await api.post(`/regions/${r.id}/tariffs`, { ...body, rate: '600', effectiveFrom: '2026-01-01' });
  expect(clash.status).toBe(409);
  expect(clash.body.error.code).toBe('tariff-overlap');
  // Another zone is another tariff, not an overlap.
  expect((await api.post(`/regions/${r.id}/tariffs`, { ...body, zone: 'depan' })).status).toBe(201);

  expect((await api.post(`/tariffs/${old.body.id}/end`, { effectiveTo: '2025-12-31' })).body.effectiveTo).toBe(
    '2025-12-31',
  );
  expect(
    (await api.post(`/regions/${r.id}/tariffs`, { ...body, rate: '600', effectiveFrom: '2026-01-01' })).status,
  ).toBe(201);
  const inForce = await api.get(`/regions/${r.id}/tariffs?asOf=2026-03-01&stallKind=los`);
  expect(inForce.body.items.map((x: { rate: string; zone: string | null }) => [x.zone, x.rate])).toEqual([
    [null, '600.00'],
    ['depan', '500.00'],
  ]);
});

test('a closure before the region’s business date is refused; today and later are recorded once', async () => {
  const r = await make.region(t.knex, { timeZone: 'Asia/Makassar' });
  const m = await make.market(t.knex, r.id);
  // 2026-11-23T17:00Z is already 24 November in WITA.
  const now = '2026-11-23T17:00:00Z';
  const client = clientFor(testApp(t.knex, fixedClock(now)).app, officer(r.id), Date.parse(now));
  expect(
    (await client.post(`/markets/${m.id}/closures`, { date: '2026-11-23', reason: 'banjir' })).body.error.code,
  ).toBe('closure-in-past');
  expect((await client.post(`/markets/${m.id}/closures`, { date: '2026-11-24', reason: 'banjir' })).status).toBe(201);
  expect((await client.post(`/markets/${m.id}/closures`, { date: '2026-11-24', reason: 'lagi' })).status).toBe(409);
  expect((await client.get(`/markets/${m.id}/closures`)).body).toEqual({
    items: [{ marketId: m.id, date: '2026-11-24', reason: 'banjir' }],
  });
});

test('a PATCH changes only what it names and refuses fields that are fixed', async () => {
  const r = await make.region(t.knex);
  const patched = await api.patch(`/regions/${r.id}`, { allowCash: true });
  expect(patched.body).toMatchObject({ id: r.id, code: r.code, allowCash: true, treasuryAccount: r.treasury_account });
  const fixed = await api.patch(`/regions/${r.id}`, { timeZone: 'Asia/Jayapura' });
  expect(fixed.body.error.details).toEqual([{ field: 'timeZone', message: 'unknown field' }]);
  expect((await api.patch(`/regions/${r.id}`, {})).status).toBe(400);
});

test('traders are searched by name, literally, and paginated', async () => {
  const r = await make.region(t.knex);
  for (const name of ['Pak Budi', 'Bu Budiarti', 'Pak Joko', '100% Budi']) await make.trader(t.knex, r.id, { name });
  const page = await api.get(`/regions/${r.id}/traders?q=budi&limit=2`);
  expect(page.body.total).toBe(3);
  expect(page.body.items.map((x: { name: string }) => x.name)).toEqual(['100% Budi', 'Bu Budiarti']);
  expect((await api.get(`/regions/${r.id}/traders?q=100%25`)).body.items.map((x: { name: string }) => x.name)).toEqual([
    '100% Budi',
  ]);
  expect(
    (await api.get(`/regions/${r.id}/traders?q=budi&limit=2&offset=2`)).body.items.map((x: { name: string }) => x.name),
  ).toEqual(['Pak Budi']);
});
