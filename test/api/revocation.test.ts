// Issue 13, item 3: a token is only as good as its principal. Switching a terminal or an account
// off, rotating a terminal's secret and changing a password end every token issued before (API
// bearer tokens and page sessions alike) at one read by primary key per request; the ledger
// refuses a switched-off terminal by itself. The principals asked for in one turn of the event loop
// are read together (one statement), each answered by its own row. Logins are limited per account and per address, with
// the counts in PostgreSQL so that every instance behind the load balancer shares them.
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { hidden, postLogin } from '../support/pages-session';
import { testApp, TEST_SECRET } from '../support/app';
import * as make from '../support/make';
import { cardBody, cardScenario } from '../support/scenario';
import { QRIS_SECRET } from '../support/qris';
import { signToken } from '../../api/auth/jwt';
import { assertCurrent } from '../../api/auth/auth.service';
import type { Principal } from '../../api/auth/principal';
import { fixedClock } from '../../api/core/clock';
import { assessDay } from '../../api/assessments/assessment.service';
import { businessDate } from '../../api/core/time';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function world() {
  const s = await cardScenario(t.knex);
  await make.acquirer(t.knex, s.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  const { app, deps } = testApp(t.knex);
  await assessDay(deps, s.region.code, businessDate(new Date(), 'Asia/Jakarta'));
  const admin = await make.user(t.knex, 'admin');
  const adminToken = (
    await request(app).post('/api/v1/auth/login').send({ username: admin.username, password: admin.password })
  ).body.token as string;
  const terminalLogin = (secret = s.terminal.secret) =>
    request(app).post('/api/v1/auth/terminal').send({ terminalId: s.terminal.id, secret });
  const staffLogin = (u: { username: string }, password: string) =>
    request(app).post('/api/v1/auth/login').send({ username: u.username, password });
  const stalls = (token: string) => request(app).get(`/api/v1/markets/${s.market.id}/stalls`).set(bearer(token));
  const patch = (path: string, body: object) => request(app).patch(`/api/v1${path}`).set(bearer(adminToken)).send(body);
  return { ...s, app, deps, admin, adminToken, terminalLogin, staffLogin, stalls, patch };
}

const revoked = (res: request.Response) => {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('token-revoked');
};

describe('revocation', () => {
  test('a terminal switched off after login can no longer void, create a QRIS code or read its stall list with its token', async () => {
    const w = await world();
    const token = (await w.terminalLogin()).body.token as string;
    const paid = await request(w.app).post('/api/v1/payments/card').set(bearer(token)).send(cardBody(w));
    expect(paid.status).toBe(201);
    expect((await w.stalls(token)).status).toBe(200);

    expect((await w.patch(`/terminals/${w.terminal.id}`, { active: false })).status).toBe(200);

    revoked(
      await request(w.app)
        .post(`/api/v1/payments/${paid.body.paymentId}/void`)
        .set(bearer(token))
        .send({ voidReference: 'VOID000001', reason: 'salah nominal' }),
    );
    revoked(await request(w.app).post('/api/v1/qris').set(bearer(token)).send({ stallId: w.stall.id }));
    const list = await w.stalls(token);
    revoked(list);
    expect(JSON.stringify(list.body)).not.toContain(w.stall.id);
    // Switched back on, it logs in again; what it held before stays dead.
    expect((await w.patch(`/terminals/${w.terminal.id}`, { active: true })).status).toBe(200);
    revoked(await w.stalls(token));
    expect((await w.stalls((await w.terminalLogin()).body.token)).status).toBe(200);
    expect(await t.knex('payment_voids').where({ payment_id: paid.body.paymentId }).first()).toBeUndefined();
  });

  test('the ledger itself refuses a switched-off terminal: no void, no QRIS intent, whoever calls', async () => {
    const w = await world();
    const token = (await w.terminalLogin()).body.token as string;
    const paid = await request(w.app).post('/api/v1/payments/card').set(bearer(token)).send(cardBody(w));
    expect(paid.status).toBe(201);
    const intent = await request(w.app)
      .post('/api/v1/qris')
      .set(bearer(token))
      .send({ stallId: w.stall.id, amount: '2000' });
    expect(intent.status).toBe(201);
    await t.knex('terminals').where({ id: w.terminal.id }).update({ active: false });

    const voiding = t.knex.raw('select ledger_void_payment(?::jsonb) as r', [
      JSON.stringify({
        regionId: w.region.id,
        terminalId: w.terminal.id,
        paymentId: paid.body.paymentId,
        voidReference: 'VOID000002',
      }),
    ]);
    await expect(voiding).rejects.toMatchObject({ hint: 'e-retribusi:terminal-inactive' });
    const row = await t.knex('qris_intents').where({ id: intent.body.intentId }).first();
    const { id: _id, superseded_at: _s, paid_payment_id: _p, reference: _r, ...copy } = row;
    await expect(t.knex('qris_intents').insert({ ...copy, reference: 'RPREVOKED00001' })).rejects.toMatchObject({
      hint: 'e-retribusi:terminal-inactive',
    });
  });

  test("rotating a terminal's secret revokes the tokens issued with the old one", async () => {
    const w = await world();
    const token = (await w.terminalLogin()).body.token as string;
    expect((await w.stalls(token)).status).toBe(200);
    expect((await w.patch(`/terminals/${w.terminal.id}`, { secret: 'a-brand-new-secret-42' })).status).toBe(200);
    revoked(await w.stalls(token));
    expect((await w.terminalLogin()).status).toBe(401);
    expect((await w.stalls((await w.terminalLogin('a-brand-new-secret-42')).body.token)).status).toBe(200);
  });

  test("a switched-off officer's bearer token is refused and their page session sends them to log in", async () => {
    const w = await world();
    const officer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const token = (await w.staffLogin(officer, officer.password)).body.token as string;
    expect((await w.stalls(token)).status).toBe(200);
    const { agent, res: loggedIn } = await postLogin(w.app, officer);
    expect(loggedIn.status).toBe(303);
    expect((await agent.get('/rekonsiliasi')).status).toBe(200);

    expect((await w.patch(`/users/${officer.id}`, { active: false })).status).toBe(200);

    revoked(await w.stalls(token));
    const page = await agent.get('/rekonsiliasi');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?lanjut=%2Frekonsiliasi');
    expect(String(page.headers['set-cookie'])).toMatch(/eret_sesi=;/);
    // The login page does not send them back in either.
    expect((await agent.get('/login')).status).toBe(200);
    expect((await w.patch(`/users/${officer.id}`, { active: true })).status).toBe(200);
    revoked(await w.stalls(token));
  });

  test('a token issued before a password change is refused; one issued after works', async () => {
    const w = await world();
    const officer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const before = (await w.staffLogin(officer, officer.password)).body.token as string;
    expect((await w.stalls(before)).status).toBe(200);
    expect((await w.patch(`/users/${officer.id}`, { password: 'another-password-99' })).status).toBe(200);
    revoked(await w.stalls(before));
    const after = (await w.staffLogin(officer, 'another-password-99')).body.token as string;
    expect((await w.stalls(after)).status).toBe(200);
    // A new display name is not a credential change.
    expect((await w.patch(`/users/${officer.id}`, { displayName: 'Petugas Baru' })).status).toBe(200);
    expect((await w.stalls(after)).status).toBe(200);
  });

  test('a token without a credential version, or for an account that does not exist, is refused', async () => {
    const w = await world();
    const { app } = testApp(t.knex);
    const officer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const legacy = signToken(TEST_SECRET, { role: 'officer', sub: officer.id, regionId: w.region.id }, 600).token;
    revoked(await request(app).get(`/api/v1/markets/${w.market.id}/stalls`).set(bearer(legacy)));
    const ghost = signToken(
      TEST_SECRET,
      { role: 'officer', sub: '00000000-0000-4000-8000-000000000000', regionId: w.region.id, credentialVersion: 1 },
      600,
    ).token;
    revoked(await request(app).get(`/api/v1/markets/${w.market.id}/stalls`).set(bearer(ghost)));
    const ghostTerminal = signToken(
      TEST_SECRET,
      {
        role: 'terminal',
        sub: 'T-NOBODY',
        terminalId: 'T-NOBODY',
        regionId: w.region.id,
        marketId: w.market.id,
        credentialVersion: 1,
      },
      600,
    ).token;
    revoked(await request(app).get(`/api/v1/markets/${w.market.id}/stalls`).set(bearer(ghostTerminal)));
  });

  test('each authenticated request reads its principal once, by primary key (bearer, terminal, page session)', async () => {
    const w = await world();
    const { app } = testApp(t.knex);
    const officer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const staffToken = (await w.staffLogin(officer, officer.password)).body.token as string;
    const terminalToken = (await w.terminalLogin()).body.token as string;
    const { agent } = await postLogin(app, officer);

    const seen: string[] = [];
    const listen = (q: { sql: string }) => void seen.push(q.sql);
    t.knex.on('query', listen);
    const principalReads = async (send: () => Promise<request.Response>, status: number) => {
      seen.length = 0;
      expect((await send()).status).toBe(status);
      return seen.filter((sql) => /from "?(users|terminals)"?/i.test(sql));
    };
    try {
      const byStaff = await principalReads(
        () => request(app).get(`/api/v1/markets/${w.market.id}/stalls`).set(bearer(staffToken)),
        200,
      );
      expect(byStaff).toEqual([
        expect.stringMatching(
          /select "id", "active", "credential_version", "role" from "users" where id = any\(\$1::uuid\[\]\)$/,
        ),
      ]);
      const byTerminal = await principalReads(
        () => request(app).get(`/api/v1/markets/${w.market.id}/stalls`).set(bearer(terminalToken)),
        200,
      );
      expect(byTerminal).toEqual([
        expect.stringMatching(
          /select "id", "active", "credential_version" from "terminals" where id = any\(\$1::text\[\]\)$/,
        ),
      ]);
      // (The page header reads the user's name and scope for itself: not a credential check.)
      const byPage = (await principalReads(() => agent.get('/rekonsiliasi'), 200)).filter((sql) =>
        sql.includes('credential_version'),
      );
      expect(byPage).toEqual([
        expect.stringMatching(
          /select "id", "active", "credential_version", "role" from "users" where id = any\(\$1::uuid\[\]\)$/,
        ),
      ]);
      const forbidden = await principalReads(
        () => request(app).post('/api/v1/qris').set(bearer(staffToken)).send({ stallId: w.stall.id }),
        403,
      );
      expect(forbidden).toHaveLength(1);
    } finally {
      t.knex.off('query', listen);
    }
  });

  test('principals checked in the same moment share one read by primary key, and each gets its own answer', async () => {
    const w = await world();
    const { deps } = testApp(t.knex);
    const second = await make.terminal(t.knex, w.region.id, w.market.id, w.terminal.acquirer_id);
    const switchedOff = await make.terminal(t.knex, w.region.id, w.market.id, w.terminal.acquirer_id);
    await t.knex('terminals').where({ id: switchedOff.id }).update({ active: false });
    const officer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const staleOfficer = await make.user(t.knex, 'officer', { regionId: w.region.id });
    const terminalOf = (id: string, credentialVersion = 1) =>
      ({ role: 'terminal', sub: id, terminalId: id, regionId: w.region.id, credentialVersion }) as Principal;
    const officerOf = (id: string, credentialVersion = 1) =>
      ({ role: 'officer', sub: id, regionId: w.region.id, credentialVersion }) as Principal;
    const asked: [string, Principal][] = [
      ['terminal', terminalOf(w.terminal.id)],
      ['second terminal', terminalOf(second.id)],
      ['switched-off terminal', terminalOf(switchedOff.id, 2)],
      ['terminal again', terminalOf(w.terminal.id)],
      ['unknown terminal', terminalOf('T-NOBODY-2')],
      ['officer', officerOf(officer.id)],
      ['officer, old credential', officerOf(staleOfficer.id, 0)],
      ['officer in capitals', officerOf(officer.id.toUpperCase())],
    ];

    const seen: string[] = [];
    const listen = (q: { sql: string }) => void seen.push(q.sql);
    t.knex.on('query', listen);
    try {
      const answers = await Promise.all(
        asked.map(([, p]) =>
          assertCurrent(deps, p).then(
            () => 'ok',
            (err: { code?: string }) => err.code,
          ),
        ),
      );
      expect(Object.fromEntries(asked.map(([name], i) => [name, answers[i]]))).toEqual({
        terminal: 'ok',
        'second terminal': 'ok',
        'switched-off terminal': 'token-revoked',
        'terminal again': 'ok',
        'unknown terminal': 'token-revoked',
        officer: 'ok',
        'officer, old credential': 'token-revoked',
        'officer in capitals': 'ok',
      });
      expect(seen.filter((sql) => /from "(users|terminals)"/.test(sql))).toHaveLength(2);

      // A read is made when it is asked for: a change committed after one moment counts at the next.
      await t.knex('terminals').where({ id: second.id }).update({ active: false });
      await expect(assertCurrent(deps, terminalOf(second.id))).rejects.toMatchObject({ code: 'token-revoked' });
      await expect(assertCurrent(deps, terminalOf(w.terminal.id))).resolves.toBeUndefined();
    } finally {
      t.knex.off('query', listen);
    }
  });
});

describe('login rate limits', () => {
  const at = (ip: string) => ({ 'X-Forwarded-For': ip });

  test('40 wrong passwords for one username: 10 are answered 401, then 429 with Retry-After, even for the right password, until the window passes', async () => {
    const clock = fixedClock('2026-06-01T08:00:00Z');
    const { app } = testApp(t.knex, clock);
    const u = await make.user(t.knex, 'officer', { regionId: (await make.region(t.knex)).id });
    const statuses: number[] = [];
    let last!: request.Response;
    for (let i = 0; i < 40; i++) {
      // From ever-changing addresses: the username's own count stops it.
      last = await request(app)
        .post('/api/v1/auth/login')
        .set(at(`10.1.${i}.1`))
        .send({ username: u.username, password: `guess-${i}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(30).fill(429)]);
    expect(last.body.error.code).toBe('too-many-attempts');
    expect(last.headers['retry-after']).toBe('900');
    clock.set('2026-06-01T08:10:00Z');
    const right = await request(app)
      .post('/api/v1/auth/login')
      .set(at('10.9.9.9'))
      .send({ username: u.username.toUpperCase(), password: u.password });
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBe('300');
    // The window expires: nobody is locked out for good.
    clock.set('2026-06-01T08:15:01Z');
    expect(
      (
        await request(app)
          .post('/api/v1/auth/login')
          .set(at('10.9.9.9'))
          .send({ username: u.username, password: u.password })
      ).status,
    ).toBe(200);
  });

  test('a successful login clears the username count', async () => {
    const { app } = testApp(t.knex, fixedClock('2026-06-02T08:00:00Z'));
    const u = await make.user(t.knex, 'officer', { regionId: (await make.region(t.knex)).id });
    const login = (password: string, i: number) =>
      request(app)
        .post('/api/v1/auth/login')
        .set(at(`10.2.${i}.1`))
        .send({ username: u.username, password });
    for (let i = 0; i < 9; i++) expect((await login('wrong', i)).status).toBe(401);
    expect((await login(u.password, 9)).status).toBe(200);
    for (let i = 10; i < 19; i++) expect((await login('wrong', i)).status).toBe(401);
  });

  test('40 wrong passwords from one address across usernames: 429 after 30, other addresses unaffected; X-Forwarded-For is read only as far as the proxy', async () => {
    const { app } = testApp(t.knex, fixedClock('2026-06-03T08:00:00Z'));
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      // The client writes its own X-Forwarded-For; the load balancer appends the address it saw.
      const res = await request(app)
        .post('/api/v1/auth/login')
        .set(at(`192.0.2.${i}, 203.0.113.7`))
        .send({ username: `user-${i}`, password: 'x' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBe(900);
    }
    expect(statuses).toEqual([...Array(30).fill(401), ...Array(10).fill(429)]);
    expect(
      (await request(app).post('/api/v1/auth/login').set(at('203.0.113.8')).send({ username: 'user-0', password: 'x' }))
        .status,
    ).toBe(401);
  });

  test('terminal logins are limited per terminal id, and the counts are shared by every API instance', async () => {
    const s = await cardScenario(t.knex);
    const clock = fixedClock('2026-06-04T08:00:00Z');
    const one = testApp(t.knex, clock).app;
    const two = testApp(t.knex, clock).app;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await request(i % 2 ? one : two)
        .post('/api/v1/auth/terminal')
        .set(at(`10.4.${i}.1`))
        .send({ terminalId: s.terminal.id, secret: 'wrong-secret' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const right = await request(one)
      .post('/api/v1/auth/terminal')
      .set(at('10.4.99.1'))
      .send({ terminalId: s.terminal.id, secret: s.terminal.secret });
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBe('900');
  });

  test("a market's 40 terminals behind one carrier address all log in at once: an address counts failures, not logins", async () => {
    const s = await cardScenario(t.knex);
    const { app } = testApp(t.knex, fixedClock('2026-06-06T06:00:00Z'));
    const terminals = await Promise.all(
      Array.from({ length: 40 }, () => make.terminal(t.knex, s.region.id, s.market.id, s.acquirer.id)),
    );
    const answers = await Promise.all(
      terminals.map((x) =>
        request(app).post('/api/v1/auth/terminal').set(at('10.9.9.9')).send({ terminalId: x.id, secret: x.secret }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
  });

  test('the login page answers 429 with Retry-After too', async () => {
    const { app } = testApp(t.knex, fixedClock('2026-06-05T08:00:00Z'));
    const u = await make.user(t.knex, 'manager', {
      ...(await (async () => {
        const r = await make.region(t.knex);
        return { regionId: r.id, marketId: (await make.market(t.knex, r.id)).id };
      })()),
    });
    const agent = request.agent(app);
    const form = await agent.get('/login');
    const csrf = hidden(form.text, '_csrf');
    const statuses: number[] = [];
    let last!: request.Response;
    for (let i = 0; i < 11; i++) {
      last = await agent.post('/login').type('form').send({ _csrf: csrf, username: u.username, password: 'salah' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    expect(last.headers['retry-after']).toBe('900');
    expect(last.text).toContain('Terlalu banyak percobaan');
  });
});
