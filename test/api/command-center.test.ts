// The command center's wall screen over HTTP (issue 17, item 6): the feed account logs in to the
// pages and lands on /pusat-komando; the page shows per market the share of stalls paid today,
// the takings by channel and the last 7 days' reconciliation of its own region only; its payment
// stream opens with the session cookie (the API's stays bearer-only) and carries its region's
// payments only; nothing on the page or in the stream names a trader, an NIK, a phone or a card.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { type Account, pagesLogin } from '../support/pages-session';
import { tokenFor } from '../support/app';
import { pay } from '../support/pay';
import * as make from '../support/make';
import { eventually } from '../support/wait';
import { rupiah } from '../../reports/format';
import { NOW, TODAY, pagesWorld, type PagesWorld } from '../browser/pages-world';

let t: TestDb;
let w: PagesWorld;
let app: Express;
let server: http.Server;
let base: string;
let feedA: Awaited<ReturnType<typeof make.user>>;
let feedB: Awaited<ReturnType<typeof make.user>>;
let feedAll: Awaited<ReturnType<typeof make.user>>;
/** What must never reach the screen: the traders' names, NIKs and phones, the masked card. */
let secrets: string[];

const terminalToken = (terminal: { id: string }, regionId: string, marketId: string) =>
  tokenFor({ role: 'terminal', sub: terminal.id, terminalId: terminal.id, regionId, marketId }, Date.parse(NOW));
let payA: (stall: { id: string }, amount: string) => ReturnType<typeof pay>;
let payB: (amount: string) => ReturnType<typeof pay>;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  app = w.app;
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ok) => server.once('listening', () => ok()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  [feedA, feedB, feedAll] = await Promise.all([
    make.user(t.knex, 'feed', { username: 'layar.kmg', regionId: w.regionA.id }),
    make.user(t.knex, 'feed', { username: 'layar.ksm', regionId: w.regionB.id }),
    make.user(t.knex, 'feed', { username: 'layar.semua' }),
  ]);
  // Personal data the screen must not show, also where the world left it empty.
  await t
    .knex('traders')
    .where({ id: w.stalls['A-01'].trader.id })
    .update({ nik: '3371012345678901', phone: '081234567890' });
  await t.knex('traders').where({ id: w.stallB.trader.id }).update({ nik: '3322019876543210', phone: '085712345678' });
  const traders = await t.knex('traders').select('name', 'nik', 'phone');
  secrets = [...traders.flatMap((x) => [x.name, x.nik, x.phone]).filter(Boolean), '522184******1234'];
  const tokenA = terminalToken(w.terminal, w.regionA.id, w.market.id);
  payA = (stall, amount) =>
    pay(app, { stall, terminal: w.terminal, terminalToken: tokenA }, { amount, paidAt: '2026-11-18T02:55:00Z' });
  const terminalB = await make.terminal(
    t.knex,
    w.regionB.id,
    w.marketB.id,
    (await make.acquirer(t.knex, w.regionB.id)).id,
  );
  const tokenB = terminalToken(terminalB, w.regionB.id, w.marketB.id);
  payB = (amount) =>
    pay(
      app,
      { stall: w.stallB, terminal: terminalB, terminalToken: tokenB },
      { amount, paidAt: '2026-11-18T02:55:00Z' },
    );
}, 180000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((ok) => server?.close(ok));
  await t?.drop();
});

const login = (user: Account) => pagesLogin(app, user);

function expectNoPersonalData(text: string) {
  for (const s of secrets) expect([s, text.includes(s)]).toEqual([s, false]);
}

/** The <li> of one market on the page. */
const marketCard = (page: string, marketId: string) =>
  new RegExp(`<li data-market="${marketId}">([\\s\\S]*?)</li>`).exec(page)?.[1] ?? '';
const channelAmount = (part: string, channel: string) =>
  new RegExp(
    `data-channel="${channel}"><dt>[^<]+</dt><dd><span class="rp">([^<]+)</span><span class="n">(\\d+) transaksi`,
  ).exec(part);

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: () => string;
  events: { paymentId: string; regionId: string; [k: string]: unknown }[];
  close(): void;
}

/** Opens the page's stream with the session cookie; resolves once ready (or refused). */
function openStream(path: string, cookie: string | undefined): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      let raw = '';
      const stream: Stream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => raw,
        events: [],
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        stream.events = raw
          .split('\n\n')
          .filter((b) => b.includes('event: payment'))
          .map((b) =>
            JSON.parse(
              b
                .split('\n')
                .find((l) => l.startsWith('data: '))!
                .slice(6),
            ),
          );
        if (raw.includes(': ready')) resolve(stream);
      });
      res.on('end', () => resolve(stream));
      res.on('error', () => undefined);
    });
    req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
  });
}

test('without a session the screen and its stream send the browser to log in', async () => {
  for (const p of ['/pusat-komando', '/pusat-komando/aliran']) {
    const res = await request(app).get(p);
    expect([p, res.status, res.headers.location]).toEqual([p, 303, `/login?lanjut=${encodeURIComponent(p)}`]);
  }
});

test('a feed account logs in to the pages and lands on the command center, which is all it may open', async () => {
  const { agent, location } = await login(feedA);
  expect(location).toBe('/pusat-komando');
  expect((await agent.get('/')).headers.location).toBe('/pusat-komando');
  expect((await agent.get('/login')).headers.location).toBe('/pusat-komando');
  for (const p of [
    '/kelola',
    '/kelola/tunggakan',
    `/kelola/los/${w.stalls['A-01'].id}`,
    '/rekonsiliasi',
    '/laporan',
    '/laporan/unduh/daily-collection?businessDate=2026-11-17',
    '/target',
    '/cari?q=A-01',
    '/pengguna',
  ]) {
    const res = await agent.get(p);
    expect([p, res.status]).toEqual([p, 403]);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Akses ditolak');
  }
});

test("the feed account of region A sees its region's markets: share paid, takings by channel, 7 days of reconciliation, today's payments", async () => {
  const { agent } = await login(feedA);
  const res = await agent.get('/pusat-komando');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  const page = res.text;
  expect(page).toContain('<html lang="id">');
  expect(page).toContain('<script src="/aset/pusat-komando.js" defer></script>');
  expect(page).not.toMatch(/<script>/);
  expect(page).toContain('Kota Magelang');
  expect(page).toContain('Rabu, 18 November 2026');

  // Per market, from the database: today's assessments and those fully settled, today's payments.
  for (const m of [w.market, w.market2]) {
    const a = await t
      .knex('assessments')
      .where({ region_id: w.regionA.id, market_id: m.id, business_date: TODAY })
      .select(t.knex.raw('count(*)::int as n'), t.knex.raw('count(*) filter (where open_amount = 0)::int as paid'))
      .first();
    const card = await t
      .knex('payments')
      .where({ region_id: w.regionA.id, market_id: m.id, business_date: TODAY, channel: 'card' })
      .select(t.knex.raw('count(*)::int as n'), t.knex.raw('coalesce(sum(amount), 0)::text as amount'))
      .first();
    const part = marketCard(page, m.id);
    expect(part).toContain(m.name);
    const percent = new Decimal(a.paid).div(a.n).times(100).toDecimalPlaces(0, Decimal.ROUND_DOWN).toString();
    expect(part).toContain(`<span class="persen">${percent}%</span>`);
    expect(part).toContain(`<b>${a.paid}</b> dari ${a.n} los lunas`);
    const got = channelAmount(part, 'card');
    expect([got?.[1], Number(got?.[2])]).toEqual([rupiah(card.amount), card.n]);
    expect(channelAmount(part, 'qris')?.slice(1)).toEqual(['Rp 0', '0']);
    expect(channelAmount(part, 'cash')?.slice(1)).toEqual(['Rp 0', '0']);
  }
  // What the world planned: four of Rejowinangun's eleven stalls paid today, one partly, Rp 12.000 by card.
  expect(marketCard(page, w.market.id)).toContain('<b>4</b> dari 11 los lunas · 1 sebagian');
  expect(channelAmount(marketCard(page, w.market.id), 'card')?.slice(1)).toEqual(['Rp 12.000', '5']);

  // The 7 days before today, newest first, as the reconciliation runs left them.
  const runs = await t
    .knex('reconciliation_runs')
    .where({ region_id: w.regionA.id })
    .select(t.knex.raw('business_date::text as d'), t.knex.raw("summary->>'status' as s"));
  const byDay = new Map(runs.map((r) => [r.d, r.s]));
  const state = { closed: 'clean', awaiting: 'awaiting', open: 'exceptions' } as Record<string, string>;
  const days = [...page.matchAll(/<li data-date="([\d-]+)" data-state="([a-z]+)">/g)].map((m) => [m[1], m[2]]);
  expect(days.map((d) => d[0])).toEqual([17, 16, 15, 14, 13, 12, 11].map((d) => `2026-11-${d}`));
  expect(days).toEqual(days.map(([d]) => [d, state[byDay.get(d) ?? ''] ?? 'never']));
  expect(days.find(([d]) => d === '2026-11-16')?.[1]).toBe('exceptions');
  expect(page).toContain('Ada selisih');

  // Today's payments of the region, newest first, by stall code, market, channel, amount and time.
  const today = await t
    .knex('payments')
    .where({ region_id: w.regionA.id, business_date: TODAY })
    .orderBy([
      { column: 'recorded_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(20)
    .pluck('id');
  expect(today.length).toBeGreaterThan(0);
  expect([...page.matchAll(/<li data-payment="([^"]+)"/g)].map((m) => m[1])).toEqual(today);
  expect(page).toMatch(
    /<li data-payment="[^"]+" data-channel="card"><span class="jam">08\.30\.00<\/span><span class="los">A-01<\/span><span class="psr">Pasar Rejowinangun<\/span><span class="ch">Kartu debit<\/span><span class="nominal">Rp 3\.000<\/span><\/li>/,
  );

  // Nothing of region B, and no personal data.
  for (const other of [w.regionB.id, w.regionB.name, w.marketB.id, w.marketB.name, 'D-01'])
    expect(page).not.toContain(other);
  expectNoPersonalData(page);
});

test('a region-scoped account is refused another region; a feed of every region sees both, or the one asked', async () => {
  const { agent } = await login(feedA);
  const refused = await agent.get(`/pusat-komando?regionId=${w.regionB.id}`);
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('wilayah ini di luar wewenang Anda');
  expect(refused.text).not.toContain(w.marketB.name);
  expect((await agent.get('/pusat-komando?wilayah=1')).status).toBe(400);

  const b = await login(feedB);
  const own = await b.agent.get('/pusat-komando');
  expect(own.text).toContain('Pasar Bandarjo');
  expect(own.text).not.toContain('Pasar Rejowinangun');
  expect((await b.agent.get(`/pusat-komando?regionId=${w.regionA.id}`)).status).toBe(403);

  const all = await login(feedAll);
  const both = await all.agent.get('/pusat-komando');
  expect(both.status).toBe(200);
  expect(both.text).toContain('Pasar Rejowinangun');
  expect(both.text).toContain('Pasar Bandarjo');
  const onlyB = await all.agent.get(`/pusat-komando?regionId=${w.regionB.id}`);
  expect(onlyB.text).toContain('Pasar Bandarjo');
  expect(onlyB.text).not.toContain('Pasar Rejowinangun');
  expect(onlyB.text).toContain(`data-aliran="/pusat-komando/aliran?regionId=${w.regionB.id}"`);
  expect((await all.agent.get('/pusat-komando?regionId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  expectNoPersonalData(both.text);
});

test('officers and auditors watch their own region (as the feed lets them); a manager is refused', async () => {
  for (const [user, sees, not] of [
    [w.users.officer, 'Pasar Rejowinangun', 'Pasar Bandarjo'],
    [w.users.auditor, 'Pasar Rejowinangun', 'Pasar Bandarjo'],
    [w.users.officerB, 'Pasar Bandarjo', 'Pasar Rejowinangun'],
  ] as const) {
    const { agent } = await login(user);
    const res = await agent.get('/pusat-komando');
    expect([user.username, res.status]).toEqual([user.username, 200]);
    expect(res.text).toContain(sees);
    expect(res.text).not.toContain(not);
    expect(res.text).toContain('<a href="/">Halaman kerja</a>');
  }
  const officer = await login(w.users.officer);
  expect((await officer.agent.get('/rekonsiliasi')).text).toContain('<a href="/pusat-komando">Pusat komando</a>');
  const { agent } = await login(w.users.manager);
  const manager = await agent.get('/pusat-komando');
  expect(manager.status).toBe(403);
  expect(manager.text).toContain('Akses ditolak');
  expect((await agent.get('/pusat-komando/aliran')).status).toBe(403);
});

test("the stream opens with the page's cookie and carries region A's payments only, without personal data; the API's stream still wants a bearer token", async () => {
  const { cookie } = await login(feedA);
  const refused = await openStream(`/pusat-komando/aliran?regionId=${w.regionB.id}`, cookie);
  expect(refused.status).toBe(403);
  expect(refused.headers['content-type']).toMatch(/^text\/html/);
  const api = await openStream('/api/v1/feed/payments', cookie);
  expect(api.status).toBe(401);

  const stream = await openStream('/pusat-komando/aliran', cookie);
  try {
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    // B's payment first: once A's (recorded after it) has arrived, B's would have too.
    const inB = await payB('2500');
    const inA = await payA(w.stalls['A-03'], '1500');
    expect(await eventually(() => stream.events.some((e) => e.paymentId === inA.paymentId), 3000)).toBe(true);
    expect(stream.events.map((e) => e.paymentId)).not.toContain(inB.paymentId);
    expect(stream.events.every((e) => e.regionId === w.regionA.id)).toBe(true);
    expect(stream.events.find((e) => e.paymentId === inA.paymentId)).toMatchObject({
      stallCode: 'A-03',
      marketName: 'Pasar Rejowinangun',
      amount: '1500.00',
      channel: 'card',
    });
    expectNoPersonalData(stream.text());
    expect(stream.text()).not.toContain(w.stalls['A-03'].trader.id);
  } finally {
    stream.close();
  }
});

test('the page and the API share one LISTEN connection', async () => {
  const listeners = async () =>
    (
      await t.knex.raw(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'e-retribusi-feed'`,
      )
    ).rows[0].n as number;
  expect(await eventually(async () => (await listeners()) === 0, 15000)).toBe(true);
  const { cookie } = await login(feedA);
  const page = await openStream('/pusat-komando/aliran', cookie);
  const bearer = tokenFor({ role: 'feed', sub: feedA.id, regionId: w.regionA.id }, Date.parse(NOW));
  const api = await new Promise<http.IncomingMessage>((ok) =>
    http.get(`${base}/api/v1/feed/payments`, { headers: { Authorization: `Bearer ${bearer}` } }, ok),
  );
  try {
    expect([page.status, api.statusCode]).toEqual([200, 200]);
    expect(await listeners()).toBe(1);
  } finally {
    page.close();
    api.destroy();
  }
});

test('the script and the stylesheet are files of this origin, served without a session', async () => {
  const js = await request(app).get('/aset/pusat-komando.js');
  expect(js.status).toBe(200);
  expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  expect(js.text).toContain('fetch(streamUrl, {');
  expect(js.text).toContain("credentials: 'same-origin'");
  const css = await request(app).get('/aset/pusat-komando.css');
  expect(css.status).toBe(200);
  expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
});
