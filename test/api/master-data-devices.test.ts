// Acquirers, terminals and staff accounts: secrets go in, never come back out.
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { admin, clientFor, type Client, officer } from '../support/master-data-client';
import { verifySecret } from '../../api/auth/password';
import type { Express } from 'express';

let t: TestDb;
let app: Express;
let api: Client;
beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
  api = clientFor(app, admin());
});
afterAll(() => t.drop());

const uuid = expect.stringMatching(/^[0-9a-f-]{36}$/);
const instant = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

test('an acquirer is created with its clearing account; its notification secret is never returned', async () => {
  const r = await make.region(t.knex);
  const body = {
    code: 'bpd-qris',
    name: 'BPD QRIS',
    channel: 'qris',
    notificationSecret: 'a-very-long-shared-secret',
    merchantName: 'RETRIBUSI PASAR',
    merchantCity: 'MAGELANG',
    nmid: 'ID1020012345678',
  };
  const res = await api.post(`/regions/${r.id}/acquirers`, body);
  expect(res.status).toBe(201);
  expect(res.body).toEqual({
    id: uuid,
    regionId: r.id,
    code: 'bpd-qris',
    name: 'BPD QRIS',
    channel: 'qris',
    mdrRate: '0.000000',
    mdrBasis: 'per-line',
    mdrRounding: 'sen',
    mdrRates: [],
    hasNotificationSecret: true,
    merchantName: 'RETRIBUSI PASAR',
    merchantCity: 'MAGELANG',
    nmid: 'ID1020012345678',
    protocol: 'simple-hmac',
    snap: null,
    hasClientSecret: false,
    createdAt: instant,
  });
  expect(JSON.stringify((await api.get(`/regions/${r.id}/acquirers`)).body)).not.toContain('a-very-long-shared-secret');
  expect(await t.knex('accounts').where({ region_id: r.id, acquirer_id: res.body.id }).pluck('code')).toEqual([
    '1200-bpd-qris',
  ]);
  expect((await api.post(`/regions/${r.id}/acquirers`, body)).body.error.code).toBe('duplicate-code');
});

test('an MDR given as a percentage, or a qris acquirer without its merchant name, is refused naming the field', async () => {
  const r = await make.region(t.knex);
  const card = await api.post(`/regions/${r.id}/acquirers`, {
    code: 'bank-card',
    name: 'Bank',
    channel: 'card',
    mdrRate: '0.15',
  });
  expect(card.body.error.details).toEqual([
    { field: 'mdrRate', message: expect.stringContaining('fraction below 0.1') },
  ]);
  const qris = await api.post(`/regions/${r.id}/acquirers`, {
    code: 'bank-qris',
    name: 'Bank',
    channel: 'qris',
    merchantCity: 'BANJAR',
  });
  expect(qris.body.error.details).toEqual([{ field: 'merchantName', message: 'required for a qris acquirer' }]);
});

test("an acquirer's MDR rule is data: per line or per group, rounded to the sen or the rupiah, rates by MID, BIN and network", async () => {
  const r = await make.region(t.knex);
  const rates = [
    { network: 'Off Us Visa', rate: '0.0155' },
    { mid: '2270008739', network: 'Off Us Visa', rate: '0.0145' },
    { binPrefix: '410505', rate: '0.013' },
  ];
  const res = await api.post(`/regions/${r.id}/acquirers`, {
    code: 'mandiri-card',
    name: 'Mandiri',
    channel: 'card',
    mdrRate: '0.0093',
    mdrBasis: 'per-group',
    mdrRounding: 'rupiah',
    mdrRates: rates,
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ mdrBasis: 'per-group', mdrRounding: 'rupiah' });
  const byKey = (x: { mid?: string; network?: string; binPrefix?: string }) =>
    `${x.mid ?? ''}|${x.network ?? ''}|${x.binPrefix ?? ''}`;
  expect([...res.body.mdrRates].sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
    [...rates].sort((a, b) => byKey(a).localeCompare(byKey(b))),
  );
  // A patch of the rates replaces them; the rest stays.
  const patched = await api.patch(`/acquirers/${res.body.id}`, { mdrRates: [{ rate: '0.01' }] });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ mdrBasis: 'per-group', mdrRounding: 'rupiah', mdrRates: [{ rate: '0.01' }] });
  const bad = await api.patch(`/acquirers/${res.body.id}`, {
    mdrRounding: 'dollar',
    mdrRates: [{ binPrefix: '41x', rate: '0.01' }, { rate: '2' }],
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
    'mdrRates.0.binPrefix',
    'mdrRates.1.rate',
    'mdrRounding',
  ]);
  expect((await api.get(`/acquirers/${res.body.id}`)).body.mdrRates).toEqual([{ rate: '0.01' }]);
});

test('a terminal secret is stored hashed and never returned, and the terminal can log in with it', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  const acq = await make.acquirer(t.knex, r.id, { channel: 'card' });
  const secret = 'edc-secret-0123456789';
  const res = await api.post(`/markets/${m.id}/terminals`, {
    id: 'EDC-CCB-01',
    acquirerId: acq.id,
    tid: '10293847',
    mid: '000071000123456',
    secret,
  });
  expect(res.status).toBe(201);
  expect(res.body).toEqual({
    id: 'EDC-CCB-01',
    regionId: r.id,
    marketId: m.id,
    acquirerId: acq.id,
    tid: '10293847',
    mid: '000071000123456',
    active: true,
    lastReceiptSerial: '0',
    createdAt: instant,
  });
  const listed = await api.get(`/markets/${m.id}/terminals`);
  expect(listed.body).toEqual({ items: [res.body] });
  const row = await t.knex('terminals').where({ id: 'EDC-CCB-01' }).first();
  expect(row.secret_hash).not.toContain(secret);
  expect(JSON.stringify([res.body, listed.body])).not.toContain(row.secret_hash);
  expect(await verifySecret(secret, row.secret_hash)).toBe(true);
  const login = await request(app).post('/api/v1/auth/terminal').send({ terminalId: 'EDC-CCB-01', secret });
  expect(login.status).toBe(200);
});

test('a switched-off terminal can no longer log in; a duplicate terminal id is a 409', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  const acq = await make.acquirer(t.knex, r.id);
  const term = await make.terminal(t.knex, r.id, m.id, acq.id, { secret: 'old-secret-123456' });
  expect((await api.patch(`/terminals/${term.id}`, { active: false })).body.active).toBe(false);
  expect(
    (await request(app).post('/api/v1/auth/terminal').send({ terminalId: term.id, secret: 'old-secret-123456' }))
      .status,
  ).toBe(401);
  const dup = await api.post(`/markets/${m.id}/terminals`, {
    id: term.id,
    acquirerId: acq.id,
    tid: '55555555',
    mid: '1',
    secret: 'another-secret-1',
  });
  expect(dup.status).toBe(409);
  expect(dup.body.error).toMatchObject({ code: 'duplicate-id', details: [{ field: 'id' }] });
});

test("a terminal's acquirer must be a card acquirer of the market's region", async () => {
  const [r, other] = [await make.region(t.knex), await make.region(t.knex)];
  const m = await make.market(t.knex, r.id);
  const body = (acquirerId: string) => ({
    id: `T-${acquirerId.slice(0, 8)}`,
    acquirerId,
    tid: '12345678',
    mid: '99',
    secret: 'terminal-secret-1',
  });
  const qris = await make.acquirer(t.knex, r.id, { channel: 'qris' });
  expect((await api.post(`/markets/${m.id}/terminals`, body(qris.id))).body.error.code).toBe('acquirer-not-card');
  const foreign = await make.acquirer(t.knex, other.id);
  expect((await api.post(`/markets/${m.id}/terminals`, body(foreign.id))).body.error.code).toBe(
    'acquirer-outside-region',
  );
  expect(
    (await api.post(`/markets/${m.id}/terminals`, { ...body(qris.id), secret: 'short' })).body.error.details,
  ).toEqual([{ field: 'secret', message: expect.any(String) }]);
});

test('an officer creates collectors for their own region; the password hash is never returned and the user can log in', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  const off = clientFor(app, officer(r.id));
  const res = await off.post('/users', {
    username: 'Juru.Pungut1',
    password: 'rahasia-123',
    role: 'collector',
    regionId: r.id,
    marketId: m.id,
    displayName: 'Pak Juru',
  });
  expect(res.status).toBe(201);
  expect(res.body).toEqual({
    id: uuid,
    username: 'juru.pungut1',
    role: 'collector',
    regionId: r.id,
    marketId: m.id,
    displayName: 'Pak Juru',
    active: true,
    createdAt: instant,
  });
  // (the officer's own account is listed too)
  expect(
    (await off.get('/users')).body.items
      .filter((u: { role: string }) => u.role === 'collector')
      .map((u: { username: string }) => u.username),
  ).toEqual(['juru.pungut1']);
  expect(JSON.stringify((await api.get('/users')).body)).not.toContain('scrypt$');
  expect(
    (await request(app).post('/api/v1/auth/login').send({ username: 'juru.pungut1', password: 'rahasia-123' })).status,
  ).toBe(200);
});

test('an officer may not create an officer, nor staff another region; the scope a role needs is checked', async () => {
  const [r, other] = [await make.region(t.knex), await make.region(t.knex)];
  const m = await make.market(t.knex, other.id);
  const off = clientFor(app, officer(r.id));
  expect(
    (
      await off.post('/users', {
        username: 'officer2',
        password: 'rahasia-123',
        role: 'officer',
        regionId: r.id,
        displayName: 'X',
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await off.post('/users', {
        username: 'col2',
        password: 'rahasia-123',
        role: 'collector',
        regionId: other.id,
        marketId: m.id,
        displayName: 'X',
      })
    ).status,
  ).toBe(403);
  const noMarket = await api.post('/users', {
    username: 'mgr2',
    password: 'rahasia-123',
    role: 'manager',
    regionId: r.id,
    displayName: 'X',
  });
  expect(noMarket.body.error.details).toEqual([{ field: 'marketId', message: 'required for the manager role' }]);
  const wrongRegion = await api.post('/users', {
    username: 'mgr3',
    password: 'rahasia-123',
    role: 'manager',
    regionId: r.id,
    marketId: m.id,
    displayName: 'X',
  });
  expect(wrongRegion.body.error.code).toBe('market-outside-region');
});

test('a deactivated user cannot log in, and a user cannot deactivate themselves', async () => {
  const u = await make.user(t.knex, 'auditor');
  expect((await api.patch(`/users/${u.id}`, { active: false })).body.active).toBe(false);
  expect(
    (await request(app).post('/api/v1/auth/login').send({ username: u.username, password: u.password })).status,
  ).toBe(401);
  const me = await make.user(t.knex, 'admin');
  const self = await clientFor(app, { role: 'admin', sub: me.id }).patch(`/users/${me.id}`, { active: false });
  expect(self.body.error.code).toBe('cannot-deactivate-self');
});
