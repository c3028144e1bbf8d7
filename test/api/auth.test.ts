import request from 'supertest';
import jwt from 'jsonwebtoken';
import { freshDb, type TestDb } from '../support/db';
import { testApp, TEST_SECRET, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { signToken } from '../../api/auth/jwt';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function setup() {
  const s = await cardScenario(t.knex);
  const { app } = testApp(t.knex);
  const stalls = (token: string) =>
    request(app).get(`/api/v1/markets/${s.market.id}/stalls`).set('Authorization', `Bearer ${token}`);
  return { ...s, app, stalls };
}

test('staff log in with username and password and get a token carrying role and scope', async () => {
  const s = await setup();
  const u = await make.user(t.knex, 'manager', { regionId: s.region.id, marketId: s.market.id });
  const res = await request(s.app).post('/api/v1/auth/login').send({ username: u.username, password: u.password });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    token: expect.any(String),
    expiresAt: expect.any(String),
    role: 'manager',
    regionId: s.region.id,
    marketId: s.market.id,
  });
  expect((await s.stalls(res.body.token)).status).toBe(200);
  expect(u.password_hash).toMatch(/^scrypt\$/);
});

test('a wrong password, an unknown user and an inactive user all get the same 401', async () => {
  const s = await setup();
  const u = await make.user(t.knex, 'officer', { regionId: s.region.id });
  const off = await make.user(t.knex, 'officer', { regionId: s.region.id });
  await t.knex('users').where({ id: off.id }).update({ active: false });
  for (const body of [
    { username: u.username, password: 'wrong-password' },
    { username: 'nobody-here', password: 'x' },
    { username: off.username, password: off.password },
  ]) {
    const res = await request(s.app).post('/api/v1/auth/login').send(body);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'unauthorized', message: 'wrong username or password' });
  }
});

test('a terminal logs in with its id and secret and gets its market', async () => {
  const s = await setup();
  const res = await request(s.app)
    .post('/api/v1/auth/terminal')
    .send({ terminalId: s.terminal.id, secret: s.terminal.secret });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ token: expect.any(String), marketId: s.market.id });
  expect(
    (await request(s.app).post('/api/v1/auth/terminal').send({ terminalId: s.terminal.id, secret: 'nope' })).status,
  ).toBe(401);
});

test('login input is validated strictly', async () => {
  const s = await setup();
  const res = await request(s.app).post('/api/v1/auth/login').send({ username: 'a', password: 'b', role: 'admin' });
  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([{ field: 'role', message: 'unknown field' }]);
});

test('a token with alg none is refused', async () => {
  const s = await setup();
  const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'admin', sub: 'x', iss: 'e-retribusi', aud: 'e-retribusi-api', exp: 4102444800 })}.`;
  const res = await s.stalls(forged);
  expect(res.status).toBe(401);
});

test('a token signed with another secret is refused', async () => {
  const s = await setup();
  const forged = jwt.sign({ role: 'admin' }, 'another-secret-another-secret-another-secret', {
    algorithm: 'HS256',
    issuer: 'e-retribusi',
    audience: 'e-retribusi-api',
    subject: 'x',
    expiresIn: 600,
  });
  expect((await s.stalls(forged)).status).toBe(401);
});

test('an expired token is refused with 401 token expired', async () => {
  const s = await setup();
  const old = signToken(TEST_SECRET, { role: 'admin', sub: 'x' }, 60, Date.now() - 3600_000).token;
  const res = await s.stalls(old);
  expect(res.status).toBe(401);
  expect(res.body.error.message).toBe('token expired');
});

test('a token for another audience or issuer, or with a tampered payload, is refused', async () => {
  const s = await setup();
  const wrongAud = jwt.sign({ role: 'admin' }, TEST_SECRET, {
    algorithm: 'HS256',
    issuer: 'e-retribusi',
    audience: 'other',
    subject: 'x',
    expiresIn: 600,
  });
  expect((await s.stalls(wrongAud)).status).toBe(401);
  const good = tokenFor({ role: 'collector', sub: 'c', regionId: s.region.id, marketId: 'other' });
  const [h, , sig] = good.split('.');
  const tampered = `${h}.${b64({ role: 'admin', sub: 'c', iss: 'e-retribusi', aud: 'e-retribusi-api', exp: 4102444800 })}.${sig}`;
  expect((await s.stalls(tampered)).status).toBe(401);
});

test('no token is 401, a malformed header is 401', async () => {
  const s = await setup();
  expect((await request(s.app).get(`/api/v1/markets/${s.market.id}/stalls`)).status).toBe(401);
  expect(
    (await request(s.app).get(`/api/v1/markets/${s.market.id}/stalls`).set('Authorization', 'Basic abc')).status,
  ).toBe(401);
});

test('health answers ok when the database answers', async () => {
  const s = await setup();
  expect((await request(s.app).get('/health')).body).toEqual({ status: 'ok' });
});
