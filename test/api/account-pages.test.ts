// The account and staff pages over HTTP: one's own password change (the current one checked,
// Indonesian errors at the form with no password put back, the login limiter's counts, every
// other session and token ended, this one renewed), and staff and feed accounts managed by the
// admin (every region) and officers (managers, collectors and feed of their own region, as the
// users API allows): nobody else reaches those pages, an officer neither touches another
// region's accounts nor makes an admin.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { type Account, type Agent, pagesLogin, postLogin, sessionCookie } from '../support/pages-session';
import { pagesWorld, type PagesWorld } from '../browser/pages-world';
import * as make from '../support/make';

let t: TestDb;
let w: PagesWorld;
let app: Express;
let admin: Awaited<ReturnType<typeof make.user>>;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  app = w.app;
  admin = await make.user(t.knex, 'admin', { username: 'admin.pusat' });
}, 120000);
afterAll(() => t.drop());

const login = (user: Account) => pagesLogin(app, user, { home: '/akun' });

/** The login form's answer for these credentials (303 when they work). */
const tryLogin = async (username: string, password: string): Promise<number> =>
  (await postLogin(app, { username, password })).res.status;

/** The password change form of /akun, sent by this session (the new password repeated unless told). */
const changePassword = (session: { agent: Agent; csrf: string }, current: string, next: string, again = next) =>
  session.agent
    .post('/akun/kata-sandi')
    .type('form')
    .send({ _csrf: session.csrf, currentPassword: current, newPassword: next, newPassword2: again });

const userRow = (username: string) =>
  t.knex('users').where({ username }).first('id', 'role', 'region_id', 'market_id', 'active', 'credential_version');

test('a manager reaches the account page but not the staff pages; the nav shows Akun, and Pengguna only to admin and officers', async () => {
  const m = await login(w.users.manager);
  expect(m.home.status).toBe(200);
  expect(m.home.text).toContain('<a href="/akun" aria-current="page">Akun</a>');
  expect(m.home.text).not.toContain('href="/pengguna"');
  for (const path of ['/pengguna', '/pengguna/baru', `/pengguna/${w.users.collector.id}`]) {
    const res = await m.agent.get(path);
    expect([path, res.status]).toEqual([path, 403]);
    expect(res.text).toContain('Akses ditolak');
  }
  const before = await t.knex('users').count<{ n: string }[]>('* as n');
  const post = await m.agent.post('/pengguna/baru').type('form').send({
    _csrf: m.csrf,
    role: 'collector',
    username: 'pemungut.baru',
    displayName: 'Pemungut Baru',
    marketId: w.market.id,
    password: 'sandi-awal-123',
  });
  expect(post.status).toBe(403);
  const reset = await m.agent
    .post(`/pengguna/${w.users.collector.id}/kata-sandi`)
    .type('form')
    .send({ _csrf: m.csrf, password: 'diambil-alih-123' });
  expect(reset.status).toBe(403);
  expect(await t.knex('users').count<{ n: string }[]>('* as n')).toEqual(before);
  expect(await tryLogin(w.users.collector.username, 'diambil-alih-123')).not.toBe(303);

  const auditor = await login(w.users.auditor);
  expect(auditor.home.text).not.toContain('href="/pengguna"');
  expect((await auditor.agent.get('/pengguna')).status).toBe(403);

  const officer = await login(w.users.officer);
  expect(officer.home.text).toContain('<a href="/pengguna">Pengguna</a>');
});

test("an officer lists their own region's accounts and manages only managers, collectors and feed there", async () => {
  const { agent } = await login(w.users.officer);
  const list = await agent.get('/pengguna');
  expect(list.status).toBe(200);
  const names = [...list.text.matchAll(/data-username="([^"]+)"/g)].map((m) => m[1]);
  expect(names).toEqual(
    expect.arrayContaining(['petugas.kmg', 'kepala.rej', 'kepala.got', 'auditor.kmg', 'jukir.rej']),
  );
  expect(names).not.toContain('petugas.ksm');
  expect(names).not.toContain('admin.pusat');
  // Links to manage: the manager and collector, not the auditor, not the officer's own row.
  expect(list.text).toContain(`href="/pengguna/${w.users.manager.id}"`);
  expect(list.text).toContain(`href="/pengguna/${w.users.collector.id}"`);
  expect(list.text).not.toContain(`href="/pengguna/${w.users.auditor.id}"`);
  expect(list.text).not.toContain(`href="/pengguna/${w.users.officer.id}"`);
  expect(list.text).toContain('Kepala Pasar');
  expect(list.text).toContain('Pasar Rejowinangun (REJ)');

  const managers = await agent.get('/pengguna?peran=kepala-pasar');
  expect([...managers.text.matchAll(/data-username="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
    'kepala.got',
    'kepala.rej',
  ]);
  expect((await agent.get(`/pengguna?regionId=${w.regionB.id}`)).status).toBe(403);
  expect((await agent.get(`/pengguna/${w.users.auditor.id}`)).status).toBe(403);
  expect((await agent.get(`/pengguna/${w.users.manager.id}`)).status).toBe(200);
});

test("an officer cannot touch another region's accounts nor create an admin or an officer", async () => {
  const managerB = await make.user(t.knex, 'manager', {
    username: 'kepala.bdj',
    regionId: w.regionB.id,
    marketId: w.marketB.id,
  });
  const { agent, csrf } = await login(w.users.officer);
  expect((await agent.get(`/pengguna/${managerB.id}`)).status).toBe(403);
  expect((await agent.get(`/pengguna/${w.users.officerB.id}`)).status).toBe(403);
  const reset = await agent
    .post(`/pengguna/${managerB.id}/kata-sandi`)
    .type('form')
    .send({ _csrf: csrf, password: 'diambil-alih-123' });
  expect(reset.status).toBe(403);
  expect(reset.text).toContain('di luar wewenang Anda');
  const off = await agent.post(`/pengguna/${managerB.id}/status`).type('form').send({ _csrf: csrf, aktif: 'tidak' });
  expect(off.status).toBe(403);
  expect(await userRow('kepala.bdj')).toMatchObject({ active: true, credential_version: 1 });
  expect(await tryLogin('kepala.bdj', 'diambil-alih-123')).toBe(401);

  // The form offers only what the API allows.
  const form = await agent.get('/pengguna/baru');
  const roles = [...form.text.matchAll(/<option value="(admin|officer|manager|collector|auditor|feed)"/g)].map(
    (m) => m[1],
  );
  expect(roles).toEqual(['manager', 'collector', 'feed']);
  expect(form.text).not.toContain(w.marketB.id);

  for (const role of ['admin', 'officer', 'auditor']) {
    const res = await agent
      .post('/pengguna/baru')
      .type('form')
      .send({
        _csrf: csrf,
        role,
        username: `naik.${role}`,
        displayName: 'Naik Pangkat',
        password: 'sandi-awal-123',
      });
    expect([role, res.status]).toEqual([role, 403]);
    expect(await userRow(`naik.${role}`)).toBeUndefined();
  }
  // A manager for a market of region B, sent by hand: refused at the form, nothing made.
  const other = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'manager',
    username: 'kepala.lain',
    displayName: 'Kepala Lain',
    marketId: w.marketB.id,
    password: 'sandi-awal-123',
  });
  expect(other.status).toBe(422);
  expect(other.text).toContain('Pasar ini tidak berada di wilayah yang dipilih.');
  expect(await userRow('kepala.lain')).toBeUndefined();
});

test('an officer creates a manager with a generated password shown once, and a feed account of the region', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const res = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'manager',
    username: 'Kepala.Baru',
    displayName: 'Sri Rahayu',
    marketId: w.market2.id,
    password: '',
  });
  expect(res.status).toBe(201);
  expect(res.headers['cache-control']).toContain('no-store');
  const password = /<code id="kata-sandi-baru">([^<]+)<\/code>/.exec(res.text)?.[1];
  expect(password).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
  const row = await userRow('kepala.baru');
  expect(row).toMatchObject({ role: 'manager', region_id: w.regionA.id, market_id: w.market2.id, active: true });
  const stored = await t.knex('users').where({ username: 'kepala.baru' }).first('password_hash');
  expect(stored.password_hash).toMatch(/^scrypt\$/);
  expect(stored.password_hash).not.toContain(password);
  expect(await tryLogin('kepala.baru', password!)).toBe(303);
  // Shown once: the account's page does not show it again.
  const detail = await agent.get(`/pengguna/${row.id}`);
  expect(detail.status).toBe(200);
  expect(detail.text).not.toContain(password!);

  const feed = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'feed',
    username: 'layar.kmg',
    displayName: 'Layar Pusat Komando Magelang',
    marketId: '',
    password: 'layar-kmg-2026',
  });
  expect(feed.status).toBe(201);
  expect(feed.text).not.toContain('kata-sandi-baru');
  expect(feed.text).not.toContain('layar-kmg-2026');
  expect(await userRow('layar.kmg')).toMatchObject({ role: 'feed', region_id: w.regionA.id, market_id: null });
  const feeds = await agent.get('/pengguna?peran=feed');
  expect([...feeds.text.matchAll(/data-username="([^"]+)"/g)].map((m) => m[1])).toEqual(['layar.kmg']);
});

test('a refused account form says why in Indonesian next to the field, keeps what was typed but never the password', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const typed = 'rahasia-sekali-99';
  const taken = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'manager',
    username: 'kepala.rej',
    displayName: 'Nama Ganda',
    marketId: w.market.id,
    password: typed,
  });
  expect(taken.status).toBe(409);
  expect(taken.text).toMatch(/id="username"[^>]*value="kepala.rej"[^>]*aria-invalid="true"/);
  expect(taken.text).toContain(
    '<p class="bad" id="e-username" role="alert">Nama pengguna ini sudah dipakai; pilih yang lain.</p>',
  );
  expect(taken.text).toContain('value="Nama Ganda"');
  expect(taken.text).toContain(`<option value="${w.market.id}" selected>`);
  expect(taken.text).not.toContain(typed);

  const noMarket = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'collector',
    username: 'pemungut.dua',
    displayName: 'Pemungut Dua',
    marketId: '',
    password: 'pendek',
  });
  expect(noMarket.status).toBe(400);
  expect(noMarket.text).toContain('id="e-marketId" role="alert">Pilih pasar untuk peran ini.');
  expect(noMarket.text).toContain('id="e-password" role="alert">Kata sandi minimal 10 karakter');
  expect(noMarket.text).not.toContain('pendek');
  expect(noMarket.text).not.toMatch(/required for|must be|not allowed/);
  expect(await userRow('pemungut.dua')).toBeUndefined();
});

test('a wrong current password is an Indonesian error at the form; nothing changes and the session goes on', async () => {
  const { agent, csrf } = await login(w.users.manager);
  const before = await userRow(w.users.manager.username);
  const wrong = await changePassword({ agent, csrf }, 'bukan-sandinya-1', 'sandi-baru-yang-kuat');
  expect(wrong.status).toBe(422);
  expect(wrong.text).toMatch(/id="currentPassword"[^>]*aria-invalid="true" aria-describedby="e-currentPassword"/);
  expect(wrong.text).toContain('<p class="bad" id="e-currentPassword" role="alert">Kata sandi saat ini salah.</p>');
  expect(wrong.text).not.toContain('bukan-sandinya-1');
  expect(wrong.text).not.toContain('sandi-baru-yang-kuat');
  expect(await userRow(w.users.manager.username)).toEqual(before);

  const mismatch = await changePassword(
    { agent, csrf },
    w.users.manager.password,
    'sandi-baru-yang-kuat',
    'sandi-baru-yang-lain',
  );
  expect(mismatch.status).toBe(400);
  expect(mismatch.text).toContain('id="e-newPassword2" role="alert">Ulangan kata sandi baru tidak sama');
  const short = await changePassword({ agent, csrf }, w.users.manager.password, 'pendek');
  expect(short.status).toBe(400);
  expect(short.text).toContain('id="e-newPassword" role="alert">Kata sandi baru minimal 10 karakter');
  const same = await changePassword({ agent, csrf }, w.users.manager.password, w.users.manager.password);
  expect(same.status).toBe(422);
  expect(same.text).toContain('Kata sandi baru harus berbeda dari kata sandi saat ini.');
  expect(await userRow(w.users.manager.username)).toEqual(before);
  expect((await agent.get('/kelola')).status).toBe(200);
});

test("changing one's password ends the other sessions and tokens, renews this one, and the old password stops working", async () => {
  const u = await make.user(t.knex, 'manager', {
    username: 'kepala.ganti',
    regionId: w.regionA.id,
    marketId: w.market.id,
    password: 'sandi-lama-123',
  });
  const here = await login(u);
  const elsewhere = await login(u);
  const api = await request(app).post('/api/v1/auth/login').send({ username: u.username, password: 'sandi-lama-123' });
  expect(api.status).toBe(200);
  const bearer = api.body.token as string;
  expect(
    (await request(app).get(`/api/v1/markets/${w.market.id}`).set('Authorization', `Bearer ${bearer}`)).status,
  ).toBe(200);

  const res = await changePassword(here, 'sandi-lama-123', 'sandi-baru-456');
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/akun?diubah=1');
  const renewed = sessionCookie(res);
  expect(renewed).toBeDefined();
  expect(renewed).not.toBe(here.cookie);
  expect((await userRow(u.username)).credential_version).toBe(2);

  // This browser goes on with the renewed cookie.
  const after = await here.agent.get('/akun?diubah=1');
  expect(after.status).toBe(200);
  expect(after.text).toContain('Kata sandi diganti.');
  // The old cookie, in this browser or another, is a session no more.
  for (const cookie of [here.cookie, elsewhere.cookie]) {
    const old = await request(app).get('/kelola').set('Cookie', cookie);
    expect(old.status).toBe(303);
    expect(old.headers.location).toBe('/login?lanjut=%2Fkelola');
  }
  expect((await elsewhere.agent.get('/akun')).status).toBe(303);
  const revoked = await request(app).get(`/api/v1/markets/${w.market.id}`).set('Authorization', `Bearer ${bearer}`);
  expect(revoked.status).toBe(401);
  expect(revoked.body.error.code).toBe('token-revoked');

  expect(await tryLogin(u.username, 'sandi-lama-123')).toBe(401);
  expect(await tryLogin(u.username, 'sandi-baru-456')).toBe(303);
});

test('password change attempts count with the login limiter: too many wrong ones are refused, the right one too', async () => {
  const u = await make.user(t.knex, 'auditor', {
    username: 'auditor.batas',
    regionId: w.regionA.id,
    password: 'sandi-auditor-1',
  });
  const { agent, csrf } = await login(u);
  const max = w.deps.config.LOGIN_MAX_ATTEMPTS;
  w.deps.config.LOGIN_MAX_ATTEMPTS = 3;
  try {
    const attempt = (current: string) => changePassword({ agent, csrf }, current, 'sandi-auditor-2');
    for (let i = 0; i < 3; i++) expect((await attempt(`tebakan-${i}-salah`)).status).toBe(422);
    const over = await attempt('sandi-auditor-1');
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toMatch(/^\d+$/);
    expect(over.text).toContain('Terlalu banyak percobaan.');
    expect(await tryLogin(u.username, 'sandi-auditor-1')).toBe(429);
  } finally {
    w.deps.config.LOGIN_MAX_ATTEMPTS = max;
  }
  expect((await userRow(u.username)).credential_version).toBe(1);
});

test('an officer resets a manager password and switches a collector off and on: their sessions end, the old password stops', async () => {
  const m = await make.user(t.knex, 'manager', {
    username: 'kepala.lupa',
    regionId: w.regionA.id,
    marketId: w.market.id,
    password: 'sandi-lupa-123',
  });
  const managerSession = await login(m);
  const { agent, csrf } = await login(w.users.officer);

  const shortReset = await agent
    .post(`/pengguna/${m.id}/kata-sandi`)
    .type('form')
    .send({ _csrf: csrf, password: 'pendek' });
  expect(shortReset.status).toBe(400);
  expect(shortReset.text).toContain('id="e-password" role="alert">Kata sandi minimal 10 karakter');
  expect((await userRow(m.username)).credential_version).toBe(1);

  const reset = await agent.post(`/pengguna/${m.id}/kata-sandi`).type('form').send({ _csrf: csrf, password: '' });
  expect(reset.status).toBe(200);
  const generated = /<code id="kata-sandi-baru">([^<]+)<\/code>/.exec(reset.text)?.[1];
  expect(generated).toBeDefined();
  expect((await managerSession.agent.get('/kelola')).status).toBe(303);
  expect(await tryLogin(m.username, 'sandi-lupa-123')).toBe(401);
  expect(await tryLogin(m.username, generated!)).toBe(303);

  const c = await make.user(t.knex, 'collector', {
    username: 'pemungut.cuti',
    regionId: w.regionA.id,
    marketId: w.market.id,
  });
  const api = await request(app).post('/api/v1/auth/login').send({ username: c.username, password: c.password });
  expect(api.status).toBe(200);
  const off = await agent.post(`/pengguna/${c.id}/status`).type('form').send({ _csrf: csrf, aktif: 'tidak' });
  expect(off.status).toBe(303);
  expect(off.headers.location).toBe(`/pengguna/${c.id}?disimpan=nonaktif`);
  const page = await agent.get(off.headers.location);
  expect(page.text).toContain('Akun dinonaktifkan.');
  expect(page.text).toContain('<span class="badge b-na">Nonaktif</span>');
  expect(await userRow(c.username)).toMatchObject({ active: false, credential_version: 2 });
  expect(
    (await request(app).post('/api/v1/auth/login').send({ username: c.username, password: c.password })).status,
  ).toBe(401);
  const on = await agent.post(`/pengguna/${c.id}/status`).type('form').send({ _csrf: csrf, aktif: 'ya' });
  expect(on.status).toBe(303);
  expect(await userRow(c.username)).toMatchObject({ active: true, credential_version: 2 });
  // Switched back on: it logs in again, but the token from before stays dead.
  const stale = await request(app)
    .get(`/api/v1/markets/${w.market.id}`)
    .set('Authorization', `Bearer ${api.body.token}`);
  expect([stale.status, stale.body.error.code]).toEqual([401, 'token-revoked']);
  expect(
    (await request(app).post('/api/v1/auth/login').send({ username: c.username, password: c.password })).status,
  ).toBe(200);
});

test('the admin manages every region: an officer of region B, a deployment-wide feed; its own account only on /akun', async () => {
  const { agent, csrf } = await login(admin);
  const list = await agent.get('/pengguna');
  const names = [...list.text.matchAll(/data-username="([^"]+)"/g)].map((m) => m[1]);
  expect(names).toEqual(expect.arrayContaining(['petugas.kmg', 'petugas.ksm', 'admin.pusat']));
  expect(list.text).toContain('<a href="/akun">Akun Anda</a>');
  expect((await agent.get(`/pengguna?regionId=${w.regionB.id}`)).text).not.toContain('data-username="petugas.kmg"');

  const form = await agent.get('/pengguna/baru');
  const roles = [...form.text.matchAll(/<option value="(admin|officer|manager|collector|auditor|feed)"/g)].map(
    (m) => m[1],
  );
  expect(roles).toEqual(['admin', 'officer', 'manager', 'collector', 'auditor', 'feed']);

  const officer = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'officer',
    username: 'petugas.ksm2',
    displayName: 'Petugas Kedua',
    regionId: w.regionB.id,
    marketId: '',
    password: 'petugas-ksm-2026',
  });
  expect(officer.status).toBe(201);
  expect(await userRow('petugas.ksm2')).toMatchObject({ role: 'officer', region_id: w.regionB.id });
  // A manager's region follows its market.
  const manager = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'manager',
    username: 'kepala.bdj2',
    displayName: 'Kepala Bandarjo',
    marketId: w.marketB.id,
    regionId: '',
    password: '',
  });
  expect(manager.status).toBe(201);
  expect(await userRow('kepala.bdj2')).toMatchObject({ region_id: w.regionB.id, market_id: w.marketB.id });
  const feed = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'feed',
    username: 'layar.nasional',
    displayName: 'Layar Semua Wilayah',
    password: 'layar-semua-2026',
  });
  expect(feed.status).toBe(201);
  expect(await userRow('layar.nasional')).toMatchObject({ role: 'feed', region_id: null });
  const adminWithRegion = await agent.post('/pengguna/baru').type('form').send({
    _csrf: csrf,
    role: 'admin',
    username: 'admin.kedua',
    displayName: 'Admin Kedua',
    regionId: w.regionA.id,
    password: 'admin-kedua-2026',
  });
  expect(adminWithRegion.status).toBe(400);
  expect(adminWithRegion.text).toContain('id="e-regionId" role="alert">Administrator tidak terikat pada wilayah');

  const off = await agent
    .post(`/pengguna/${w.users.officerB.id}/status`)
    .type('form')
    .send({ _csrf: csrf, aktif: 'tidak' });
  expect(off.status).toBe(303);
  expect(await tryLogin(w.users.officerB.username, w.users.officerB.password)).toBe(401);
  await agent.post(`/pengguna/${w.users.officerB.id}/status`).type('form').send({ _csrf: csrf, aktif: 'ya' });
  expect(await tryLogin(w.users.officerB.username, w.users.officerB.password)).toBe(303);

  // Its own account: the account page, never a reset or a switch-off without the current password.
  const self = await agent.get(`/pengguna/${admin.id}`);
  expect(self.status).toBe(303);
  expect(self.headers.location).toBe('/akun');
  const selfReset = await agent
    .post(`/pengguna/${admin.id}/kata-sandi`)
    .type('form')
    .send({ _csrf: csrf, password: 'tanpa-sandi-lama' });
  expect(selfReset.status).toBe(403);
  expect((await userRow(admin.username)).credential_version).toBe(1);
});
