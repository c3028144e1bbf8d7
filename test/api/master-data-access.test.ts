// Who may read and change master data: wrong scope 403, unknown id 404, no token 401.
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { admin, auditor, clientFor, collector, manager, officer } from '../support/master-data-client';
import type { Express } from 'express';

let t: TestDb;
let app: Express;
let a: { region: { id: string }; market: { id: string }; stall: { id: string } };
let b: { region: { id: string }; market: { id: string }; stall: { id: string } };

async function regionWithStall(db: TestDb['knex']) {
  const region = await make.region(db);
  const market = await make.market(db, region.id);
  return { region, market, stall: await make.stall(db, region.id, market.id) };
}

beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
  a = await regionWithStall(t.knex);
  b = await regionWithStall(t.knex);
});
afterAll(() => t.drop());

const newStall = { code: 'N-01', kind: 'los', areaM2: '3' };

test("an officer of region A cannot create a stall in region B's market (403) and nothing is written", async () => {
  const res = await clientFor(app, officer(a.region.id)).post(`/markets/${b.market.id}/stalls`, newStall);
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('forbidden');
  expect(await t.knex('stalls').where({ market_id: b.market.id, code: 'N-01' }).first()).toBeUndefined();
});

test('an officer manages their own region: creating a stall and a trader and editing a stall succeed', async () => {
  const api = clientFor(app, officer(a.region.id));
  expect((await api.post(`/markets/${a.market.id}/stalls`, { ...newStall, code: 'OWN-1' })).status).toBe(201);
  expect((await api.post(`/regions/${a.region.id}/traders`, { name: 'Pak Slamet' })).status).toBe(201);
  expect((await api.patch(`/stalls/${a.stall.id}`, { status: 'damaged' })).body.status).toBe('damaged');
});

test('a resource of another region is a 403 for an officer, not a 404, while an unknown id is a 404', async () => {
  const api = clientFor(app, officer(a.region.id));
  expect((await api.get(`/stalls/${b.stall.id}`)).status).toBe(403);
  expect((await api.get(`/markets/${b.market.id}`)).status).toBe(403);
  expect((await api.get(`/regions/${b.region.id}/traders`)).status).toBe(403);
  expect((await api.get('/markets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
});

test('only the admin opens a region; an officer may edit only their own', async () => {
  const body = {
    code: 'NEW-R',
    name: 'Kab. Banjar',
    timeZone: 'Asia/Makassar',
    treasuryBank: 'Bank Kalsel',
    treasuryAccount: '0012345678',
  };
  expect((await clientFor(app, officer(a.region.id)).post('/regions', body)).status).toBe(403);
  expect((await clientFor(app, officer(a.region.id)).patch(`/regions/${b.region.id}`, { name: 'X' })).status).toBe(403);
  expect(
    (await clientFor(app, officer(a.region.id)).patch(`/regions/${a.region.id}`, { name: 'Kota A' })).body.name,
  ).toBe('Kota A');
  expect((await clientFor(app, admin()).post('/regions', body)).status).toBe(201);
});

test('a manager reads their own market, its stalls and tenancies, and the traders of their region, but writes nothing', async () => {
  const api = clientFor(app, manager(a.region.id, a.market.id));
  expect((await api.get(`/markets/${a.market.id}`)).status).toBe(200);
  expect((await api.get(`/markets/${a.market.id}/stall-register`)).status).toBe(200);
  expect((await api.get(`/stalls/${a.stall.id}/tenancies`)).status).toBe(200);
  expect((await api.get(`/markets/${a.market.id}/terminals`)).status).toBe(200);
  expect((await api.get(`/regions/${a.region.id}/traders`)).status).toBe(200);
  const other = await make.market(t.knex, a.region.id);
  expect((await api.get(`/markets/${other.id}`)).status).toBe(403);
  expect((await api.get(`/regions/${a.region.id}/tariffs`)).status).toBe(403);
  const create = await api.post(`/markets/${a.market.id}/stalls`, newStall);
  expect(create.status).toBe(403);
  expect(create.body.error).toMatchObject({ code: 'forbidden', details: { allowed: ['admin', 'officer'] } });
});

test('collectors and terminals get 403 on every master-data endpoint', async () => {
  const device = await make.terminal(t.knex, a.region.id, a.market.id, (await make.acquirer(t.knex, a.region.id)).id);
  const terminal = {
    role: 'terminal' as const,
    sub: device.id,
    terminalId: device.id,
    regionId: a.region.id,
    marketId: a.market.id,
  };
  for (const who of [collector(a.region.id, a.market.id), terminal]) {
    const api = clientFor(app, who);
    expect((await api.get('/regions')).status).toBe(403);
    expect((await api.get(`/markets/${a.market.id}`)).status).toBe(403);
    expect((await api.get(`/stalls/${a.stall.id}`)).status).toBe(403);
    expect((await api.get(`/markets/${a.market.id}/stall-register`)).status).toBe(403);
    expect((await api.post(`/markets/${a.market.id}/stalls`, newStall)).status).toBe(403);
    expect((await api.get('/users')).status).toBe(403);
  }
});

test('no token is a 401, and so is a token signed with another key', async () => {
  const res = await clientFor(app, null).get(`/markets/${a.market.id}`);
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('unauthorized');
  const forged = await clientFor(app, null).get('/regions').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x');
  expect(forged.status).toBe(401);
});

test('an auditor reads (all regions, or only their own) and writes nothing', async () => {
  const everywhere = clientFor(app, auditor());
  expect((await everywhere.get(`/stalls/${b.stall.id}`)).status).toBe(200);
  expect((await everywhere.post(`/markets/${a.market.id}/stalls`, newStall)).status).toBe(403);
  const local = clientFor(app, auditor(a.region.id));
  expect((await local.get(`/stalls/${b.stall.id}`)).status).toBe(403);
  const regions = await local.get('/regions');
  expect(regions.body.items.map((r: { id: string }) => r.id)).toEqual([a.region.id]);
});
