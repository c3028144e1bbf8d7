// The server-rendered pages over HTTP: sessions in a cookie (HttpOnly, SameSite=Strict, Secure
// behind https), CSRF on every form, the same scope as the API (403 pages), the public stall
// page without personal data, the sticker sheet's QR, and report downloads that are the API's
// own issued documents. The browser tests (test/browser) drive the same pages in Chromium.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { type Account, hidden, pagesLogin, setCookies } from '../support/pages-session';
import { binaryParser, pdfText } from '../support/pdf';
import { firstPagePng, stickerQr } from '../support/pdf-qr';
import { pageRoutes, PAGE_ROUTES } from '../../api/pages/pages.routes';
import { routesOf } from '../../api/http/route-inventory';
import { reportDefinition } from '../../reports/registry';
import { EXCEPTION_DAY, pagesWorld, type PagesWorld } from '../browser/pages-world';
import express from 'express';

let t: TestDb;
let w: PagesWorld;
let app: Express;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  app = w.app;
}, 120000);
afterAll(() => t.drop());

const login = (user: Account) => pagesLogin(app, user);

test('the pages router serves exactly PAGE_ROUTES, so the API route lists can leave them out', () => {
  const r = express();
  r.use(pageRoutes(w.deps));
  expect(routesOf(r).sort()).toEqual([...PAGE_ROUTES].sort());
});

test('logging in sets an HttpOnly, SameSite=Strict session cookie (Secure behind https); a wrong password is the form again, 401', async () => {
  const agent = request.agent(app);
  const form = await agent.get('/login');
  expect(form.status).toBe(200);
  expect(form.text).toContain('<html lang="id">');
  expect(form.text).toContain('<label for="password">Kata sandi</label>');
  const csrf = hidden(form.text, '_csrf');

  const wrong = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrf, username: w.users.manager.username, password: 'salah-sekali' });
  expect(wrong.status).toBe(401);
  expect(wrong.text).toContain('Nama pengguna atau kata sandi salah.');
  expect(setCookies(wrong).some((c) => c.startsWith('eret_sesi=') && !c.startsWith('eret_sesi=;'))).toBe(false);

  const ok = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrf, username: w.users.manager.username, password: w.users.manager.password });
  expect(ok.status).toBe(303);
  expect(ok.headers.location).toBe('/kelola');
  const cookie = setCookies(ok).find((c) => c.startsWith('eret_sesi='))!;
  expect(cookie).toMatch(/; HttpOnly/);
  expect(cookie).toMatch(/; SameSite=Strict/);
  expect(cookie).not.toMatch(/Secure/);

  // Behind a TLS-terminating proxy both cookies are Secure (sent back by hand: this client is on http).
  const form2 = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
  const loginCookie = setCookies(form2)[0];
  expect(loginCookie).toMatch(/^eret_masuk=.*; Secure/);
  const viaTls = await request(app)
    .post('/login')
    .set('X-Forwarded-Proto', 'https')
    .set('Cookie', loginCookie.split(';')[0])
    .type('form')
    .send({
      _csrf: hidden(form2.text, '_csrf'),
      username: w.users.officer.username,
      password: w.users.officer.password,
    });
  expect(viaTls.status).toBe(303);
  expect(setCookies(viaTls).find((c) => c.startsWith('eret_sesi='))).toMatch(/; Secure/);
});

test('a login form without its token, or from an account with no pages, is refused', async () => {
  const noToken = await request(app)
    .post('/login')
    .type('form')
    .send({ username: w.users.manager.username, password: w.users.manager.password });
  expect(noToken.status).toBe(403);
  expect(setCookies(noToken).some((c) => /^eret_sesi=[^;]/.test(c))).toBe(false);
  const agent = request.agent(app);
  const form = await agent.get('/login');
  const collector = await agent
    .post('/login')
    .type('form')
    .send({
      _csrf: hidden(form.text, '_csrf'),
      username: w.users.collector.username,
      password: w.users.collector.password,
    });
  expect(collector.status).toBe(403);
  expect(collector.text).toContain('tidak memakai halaman web');
});

test('without a session every staff page sends the browser to log in, and comes back after', async () => {
  for (const p of [
    '/kelola',
    '/kelola/tunggakan',
    `/kelola/los/${w.stalls['A-01'].id}`,
    '/kelola/surat',
    '/kelola/stiker',
    '/rekonsiliasi',
    `/rekonsiliasi/${EXCEPTION_DAY}`,
    '/laporan',
    '/laporan/unduh/daily-collection',
    '/target',
  ]) {
    const res = await request(app).get(p);
    expect([p, res.status, res.headers.location]).toEqual([p, 303, `/login?lanjut=${encodeURIComponent(p)}`]);
  }
  expect((await request(app).get('/')).headers.location).toBe('/login');
  const agent = request.agent(app);
  const form = await agent.get('/login?lanjut=%2Fkelola%2Ftunggakan');
  const res = await agent
    .post('/login')
    .type('form')
    .send({
      _csrf: hidden(form.text, '_csrf'),
      lanjut: hidden(form.text, 'lanjut'),
      username: w.users.manager.username,
      password: w.users.manager.password,
    });
  expect(res.headers.location).toBe('/kelola/tunggakan');
  // Only a path on this site: never another host.
  const form2 = await agent.get('/login?lanjut=%2F%2Fevil.example%2F');
  expect(form2.headers.location).toBe('/kelola');
});

test('the session cookie opens pages, never the API: /api/v1 still wants a bearer token', async () => {
  const { agent } = await login(w.users.officer);
  expect((await agent.get('/api/v1/arrears')).status).toBe(401);
});

test("a manager's today page: paid, partly paid and unpaid stalls by block, and today's takings by channel; the unpaid filter", async () => {
  const { agent, home } = await login(w.users.manager);
  expect(home.status).toBe(200);
  expect(home.text).toContain('Pasar Rejowinangun');
  expect(home.text).toContain('Rabu, 18 November 2026');
  // Paid today, B-03, C-01; A-02 paid part; the rest of the occupied stalls owe today.
  const statuses = [...home.text.matchAll(/data-status="([a-z-]+)"><th scope="row"><a href="[^"]+">([A-Z]-\d+)</g)].map(
    (m) => `${m[2]}:${m[1]}`,
  );
  expect(statuses).toEqual([
    'A-01:paid',
    'A-02:partly-paid',
    'A-03:unpaid',
    'A-04:paid',
    'A-05:unpaid',
    'B-01:unpaid',
    'B-02:unpaid',
    'B-03:paid',
    'B-04:unpaid',
    'C-01:paid',
    'C-02:unpaid',
    'C-03:not-assessed',
  ]);
  expect(home.text).toContain('Terkumpul hari ini</span><span class="v">Rp 12.000</span>'); // 3,000 × 3 + 1,000 + 2,000
  expect(home.text).toContain('Kartu debit');
  const unpaid = await agent.get('/kelola?status=belum');
  const codes = [...unpaid.text.matchAll(/data-status="unpaid"><th scope="row"><a href="[^"]+">([A-Z]-\d+)</g)].map(
    (m) => m[1],
  );
  expect(codes).toEqual(['A-03', 'A-05', 'B-01', 'B-02', 'B-04', 'C-02']);
  expect(unpaid.text).not.toContain('data-status="paid"');
  const blockB = await agent.get('/kelola?status=belum&block=B');
  expect(
    [...blockB.text.matchAll(/data-status="unpaid"><th scope="row"><a href="[^"]+">([A-Z]-\d+)</g)].map((m) => m[1]),
  ).toEqual(['B-01', 'B-02', 'B-04']);
});

test('arrears with ageing: the over-90-days filter lists who owes from August, with the totals of what is listed', async () => {
  const { agent } = await login(w.users.manager);
  const all = await agent.get('/kelola/tunggakan');
  expect(all.status).toBe(200);
  for (const name of ['Dewi Lestari', 'Slamet Riyadi', 'Endang Susilowati', 'Tukiyem'])
    expect(all.text).toContain(name);
  expect(all.text).not.toContain('Siti Aminah');
  const old = await agent.get('/kelola/tunggakan?bucket=90%2B');
  // B-02 paid its oldest five days (Rp 15,000) and C-02 its oldest three (Rp 6,000): both August debts are gone.
  expect(old.text).toContain('Dewi Lestari');
  expect(old.text).toContain('Slamet Riyadi');
  expect(old.text).not.toContain('Endang Susilowati');
  expect(old.text).not.toContain('Tukiyem');
  expect(old.text).toContain('2 pedagang/los');
  // The whole list as the registered document (DAFTAR TUNGGAKAN) for the market shown, offered
  // only where the build registers that report.
  if (!reportDefinition('arrears')) {
    expect(all.text).not.toContain('/laporan/unduh/arrears');
    return;
  }
  const link = /href="(\/laporan\/unduh\/arrears\?[^"]+format=pdf)"/.exec(all.text)![1].replace(/&#38;/g, '&');
  const pdf = await agent
    .get(link)
    .buffer(true)
    .parse(binaryParser as never);
  expect(pdf.status).toBe(200);
  expect(pdf.headers['x-document-number']).toMatch(/^KMG-DTG-2026-\d{6}$/);
  expect(pdfText(pdf.body as Buffer).text).toContain('Dewi Lestari');
});

test("a stall's history shows its days, its payments with receipt links, and its letters", async () => {
  const { agent } = await login(w.users.manager);
  const res = await agent.get(`/kelola/los/${w.stalls['A-04'].id}`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('Los A-04');
  expect(res.text).toContain('Agus Prasetyo');
  expect(res.text).toContain(`href="/receipts/${w.unsettledPayment.receipt.code}"`);
  const debtor = await agent.get(`/kelola/los/${w.stalls['B-01'].id}`);
  expect(debtor.text).toMatch(/Surat teguran/);
  // "Cetak" beside a letter prints that letter alone (test/api/search-pages.test.ts reads the PDF).
  expect(debtor.text).toMatch(/href="\/kelola\/surat\/[0-9a-f-]{36}\/cetak"/);
});

test('the manager of another market, and the officer of another region, get 403 pages', async () => {
  const other = await login(w.users.manager2);
  for (const p of [
    `/kelola?marketId=${w.market.id}`,
    `/kelola/tunggakan?marketId=${w.market.id}`,
    `/kelola/los/${w.stalls['A-01'].id}`,
    `/kelola/surat?marketId=${w.market.id}`,
    `/kelola/stiker?marketId=${w.market.id}`,
    '/rekonsiliasi',
    '/target',
  ]) {
    const res = await other.agent.get(p);
    expect([p, res.status]).toEqual([p, 403]);
    expect(res.text).toContain('Akses ditolak');
    expect(res.text).not.toContain('Siti Aminah');
  }
  const far = await login(w.users.officerB);
  const region = w.regionA.id;
  for (const p of [
    `/rekonsiliasi?regionId=${region}`,
    `/rekonsiliasi/${EXCEPTION_DAY}?regionId=${region}`,
    `/kelola?marketId=${w.market.id}`,
    `/kelola/los/${w.stalls['A-01'].id}`,
    `/target?regionId=${region}`,
    `/laporan?regionId=${region}`,
    `/laporan/unduh/daily-reconciliation?regionId=${region}&date=2026-11-17`,
  ]) {
    const res = await far.agent.get(p);
    expect([p, res.status]).toEqual([p, 403]);
  }
  const resolve = await far.agent
    .post(`/rekonsiliasi/pengecualian/${w.exception.id}/selesaikan`)
    .type('form')
    .send({ _csrf: far.csrf, resolution: 'write-off', note: 'bukan wilayah saya' });
  expect(resolve.status).toBe(403);
  const target = await far.agent
    .post('/target')
    .type('form')
    .send({ _csrf: far.csrf, marketId: w.market.id, year: '2026', amount: '1' });
  expect(target.status).toBe(403);
  expect((await t.knex('reconciliation_exceptions').where({ id: w.exception.id }).first('status')).status).toBe('open');
});

test("every form POST without the session's CSRF token (or with another session's) is refused with 403 and changes nothing", async () => {
  const { agent, csrf } = await login(w.users.officer);
  const manager = await login(w.users.manager);
  const posts: [typeof agent, string, Record<string, string>][] = [
    [
      agent,
      `/rekonsiliasi/pengecualian/${w.exception.id}/selesaikan`,
      { resolution: 'write-off', note: 'tanpa token' },
    ],
    [agent, '/target', { marketId: w.market.id, year: '2026', amount: '5' }],
    [manager.agent, '/kelola/surat/terbitkan', {}],
    [
      manager.agent,
      '/akun/kata-sandi',
      { currentPassword: w.users.manager.password, newPassword: 'tanpa-token-123', newPassword2: 'tanpa-token-123' },
    ],
    [
      agent,
      '/pengguna/baru',
      { role: 'collector', username: 'tanpa.token', displayName: 'Tanpa Token', marketId: w.market.id },
    ],
    [agent, `/pengguna/${w.users.collector.id}/kata-sandi`, { password: 'tanpa-token-123' }],
    [agent, `/pengguna/${w.users.collector.id}/status`, { aktif: 'tidak' }],
    [agent, `/rekonsiliasi/${EXCEPTION_DAY}/jalankan`, {}],
    [agent, '/rekonsiliasi/berkas', { sumber: w.acquirer.code }],
    [agent, '/logout', {}],
  ];
  expect(
    // The public stall page's QRIS form takes no session (no login): its limits are per stall and
    // per address (test/api/public-pay.test.ts).
    PAGE_ROUTES.filter((r) => r.startsWith('POST ') && r !== 'POST /login' && !r.startsWith('POST /los/'))
      .map((r) => r.slice(5))
      .sort(),
  ).toEqual(posts.map((p) => p[1].replace(/[0-9a-f-]{36}/, ':id').replace(EXCEPTION_DAY, ':date')).sort());
  for (const [who, url, body] of posts) {
    expect([url, (await who.post(url).type('form').send(body)).status]).toEqual([url, 403]);
    const otherToken = who === agent ? manager.csrf : csrf;
    expect([
      url,
      (
        await who
          .post(url)
          .type('form')
          .send({ ...body, _csrf: otherToken })
      ).status,
    ]).toEqual([url, 403]);
  }
  expect((await t.knex('reconciliation_exceptions').where({ id: w.exception.id }).first('status')).status).toBe('open');
  expect(await t.knex('market_targets').where({ market_id: w.market.id })).toEqual([]);
  expect(await t.knex('users').where({ username: 'tanpa.token' }).first()).toBeUndefined();
  expect(
    await t
      .knex('users')
      .whereIn('id', [w.users.collector.id, w.users.manager.id])
      .orderBy('username')
      .select('username', 'active', 'credential_version'),
  ).toEqual([
    { username: w.users.collector.username, active: true, credential_version: 1 },
    { username: w.users.manager.username, active: true, credential_version: 1 },
  ]);
  // The session is still alive: the logout was refused too.
  expect((await agent.get('/rekonsiliasi')).status).toBe(200);
});

test('the auditor reads the reconciliation pages without forms, and cannot decide', async () => {
  const { agent, csrf } = await login(w.users.auditor);
  const day = await agent.get(`/rekonsiliasi/${EXCEPTION_DAY}`);
  expect(day.status).toBe(200);
  expect(day.text).toContain('Tercatat di sistem, tidak disetelmen bank');
  expect(day.text).not.toContain('/selesaikan');
  const res = await agent
    .post(`/rekonsiliasi/pengecualian/${w.exception.id}/selesaikan`)
    .type('form')
    .send({ _csrf: csrf, resolution: 'write-off', note: 'auditor mencoba' });
  expect(res.status).toBe(403);
  expect((await agent.get('/target')).text).not.toContain('name="amount"');
  expect((await agent.get(`/kelola/surat?marketId=${w.market.id}`)).text).not.toContain('/kelola/surat/terbitkan');
});

test('the public stall page shows what is owed and the last payments, and no personal data', async () => {
  const b01 = await t.knex('stalls').where({ id: w.stalls['B-01'].id }).first('public_code');
  expect(b01.public_code).toMatch(/^[0-9a-f]{16}$/);
  const res = await request(app).get(`/los/${b01.public_code}`);
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.text).toContain('Los B-01');
  expect(res.text).toContain('Pasar Rejowinangun');
  // 13 days before today at Rp 3,000 plus today's, plus the penalty charged on 1 November.
  const penalty = (await t.knex('penalty_charges').where({ stall_id: w.stalls['B-01'].id }).sum('amount as s').first())
    ?.s;
  expect(Number(penalty)).toBeGreaterThan(0);
  const total = 14 * 3000 + Number(penalty);
  expect(res.text).toContain(`Yang harus dibayar: <strong>Rp ${total.toLocaleString('id-ID')}</strong>`);
  expect(res.text).not.toContain('Slamet Riyadi');
  const paidStall = await t.knex('stalls').where({ id: w.stalls['A-04'].id }).first('public_code');
  const paid = await request(app).get(`/los/${paidStall.public_code}`);
  expect(paid.text).toContain('Tidak ada tagihan terutang');
  expect(paid.text).toContain('Kartu debit');
  expect(paid.text).not.toContain('Agus Prasetyo');
  expect(paid.text).not.toMatch(/\d{6}\*+\d{4}/); // no masked PAN either
  expect(paid.text).not.toContain('/receipts/'); // a receipt names its trader
  expect((await request(app).get('/los/0000000000000000')).status).toBe(404);
  expect((await request(app).get(`/los/${w.stalls['B-01'].id}`)).status).toBe(404);
});

test("the sticker sheet has one sticker per stall of the market, each QR opening that stall's public page", async () => {
  const { agent } = await login(w.users.manager);
  const res = await agent
    .get('/kelola/stiker')
    .buffer(true)
    .parse(binaryParser as never);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const pdf = res.body as Buffer;
  const { text, pages } = pdfText(pdf);
  expect(pages).toBe(1);
  expect(text.split('Pindai untuk cek tagihan').length - 1).toBe(12);
  for (const code of ['A-01', 'B-04', 'C-03']) expect(text).toContain(code);
  const codes = await t
    .knex('stalls')
    .where({ market_id: w.market.id })
    .orderByRaw('block nulls last, code')
    .pluck('public_code');
  const png = firstPagePng(pdf);
  expect(stickerQr(png, 0, 0)).toBe(`http://localhost:3000/los/${codes[0]}`);
  expect(stickerQr(png, 2, 3)).toBe(`http://localhost:3000/los/${codes[11]}`);
  // An officer asks for a market of their region by id; the other region's officer may not.
  const officer = await login(w.users.officer);
  expect((await officer.agent.get(`/kelola/stiker?marketId=${w.market2.id}`)).headers['content-type']).toBe(
    'application/pdf',
  );
});

test("a report downloaded from the page is the API's issued document: numbered, registered, verifiable", async () => {
  const { agent } = await login(w.users.manager);
  const page = await agent.get('/laporan');
  expect(page.text).toContain('action="/laporan/unduh/daily-collection"');
  const res = await agent
    .get('/laporan/unduh/daily-collection?date=2026-11-17&format=pdf')
    .buffer(true)
    .parse(binaryParser as never);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const bytes = res.body as Buffer;
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const number = res.headers['x-document-number'];
  expect(number).toMatch(/^KMG-[A-Z]+-2026-\d{6}$/);
  const check = await request(app)
    .post(`/verify/${number}`)
    .set('content-type', 'application/octet-stream')
    .send(bytes);
  expect(check.body.status).toBe('genuine');
  // The API's scope and parameter checks, as pages.
  const region = await agent.get('/laporan/unduh/daily-reconciliation?date=2026-11-17');
  expect(region.status).toBe(403);
  expect(region.text).toContain('Akses ditolak');
  const missing = await agent.get('/laporan/unduh/daily-collection?format=pdf&date=');
  expect(missing.status).toBe(400);
  expect(missing.headers['content-type']).toMatch(/text\/html/);
});

test('the manager issues the letters due today from the letters page; a second press issues nothing new', async () => {
  const { agent, csrf } = await login(w.users.manager);
  const before = await agent.get('/kelola/surat');
  expect(before.text).toContain('action="/kelola/surat/terbitkan"');
  const res = await agent.post('/kelola/surat/terbitkan').type('form').send({ _csrf: csrf });
  expect(res.status).toBe(303);
  const m = /strd=(\d+)&warning=(\d+)/.exec(res.headers.location);
  expect(Number(m![1]) + Number(m![2])).toBeGreaterThan(0);
  const after = await agent.get(res.headers.location);
  expect(after.text).toContain(`Diterbitkan: ${m![1]} STRD dan ${m![2]} surat teguran.`);
  expect(after.text).toContain('/laporan/unduh/strd?marketId=');
  const again = await agent.post('/kelola/surat/terbitkan').type('form').send({ _csrf: csrf });
  expect(again.headers.location).toContain('strd=0&warning=0');
});

test('an officer resolves the open exception from the day page; the day and its calendar cell turn clean', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const cal = await agent.get('/rekonsiliasi?month=2026-11');
  expect(cal.text).toMatch(
    new RegExp(`href="/rekonsiliasi/${EXCEPTION_DAY}" aria-label="[^"]+" data-state="exceptions"`),
  );
  expect(cal.text).toMatch(/href="\/rekonsiliasi\/2026-11-17" aria-label="[^"]+" data-state="awaiting"/);
  expect(cal.text).toMatch(/href="\/rekonsiliasi\/2026-11-15" aria-label="[^"]+" data-state="clean"/);
  const short = await agent
    .post(`/rekonsiliasi/pengecualian/${w.exception.id}/selesaikan`)
    .type('form')
    .send({ _csrf: csrf, resolution: 'write-off', note: 'x' });
  expect(short.status).toBe(400);
  expect(short.text).toContain('Tuliskan alasan keputusan');
  const res = await agent.post(`/rekonsiliasi/pengecualian/${w.exception.id}/selesaikan`).type('form').send({
    _csrf: csrf,
    resolution: 'write-off',
    note: 'Transaksi uji coba, dana tidak pernah diterima',
    stallId: '',
    terminalId: '',
    paymentId: '',
  });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/rekonsiliasi/${EXCEPTION_DAY}?resolved=1`);
  const day = await agent.get(res.headers.location);
  expect(day.text).toContain('✔ Bersih');
  expect(day.text).toContain('Transaksi uji coba, dana tidak pernah diterima');
  expect(day.text).toContain('Rina Kartika');
  const row = await t.knex('reconciliation_exceptions').where({ id: w.exception.id }).first();
  expect(row).toMatchObject({ status: 'resolved', resolution: 'write-off', resolved_by: w.users.officer.id });
  const after = await agent.get('/rekonsiliasi?month=2026-11');
  expect(after.text).toMatch(new RegExp(`href="/rekonsiliasi/${EXCEPTION_DAY}" aria-label="[^"]+" data-state="clean"`));
});

test('an officer sets a market target as people write rupiah; a nonsense amount is the form again with a message', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const page = await agent.get('/target');
  expect(page.text).toContain('Pasar Rejowinangun');
  const bad = await agent
    .post('/target')
    .type('form')
    .send({ _csrf: csrf, marketId: w.market.id, year: '2026', amount: 'seratus juta' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('Tulis jumlah rupiah tanpa huruf');
  const res = await agent
    .post('/target')
    .type('form')
    .send({ _csrf: csrf, marketId: w.market.id, year: '2026', amount: '150.000.000' });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/target?year=2026&saved=REJ');
  expect((await t.knex('market_targets').where({ market_id: w.market.id }).first()).amount).toBe('150000000.00');
  const after = await agent.get(res.headers.location);
  expect(after.text).toContain('Rp 150.000.000');
  expect(after.text).toContain('Target pasar REJ disimpan.');
});

test('logging out ends the session', async () => {
  const { agent, csrf } = await login(w.users.officer);
  const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
  expect(out.status).toBe(303);
  expect(setCookies(out).some((c) => c.startsWith('eret_sesi=;') && c.includes('Max-Age=0'))).toBe(true);
  expect((await agent.get('/rekonsiliasi')).status).toBe(303);
});
