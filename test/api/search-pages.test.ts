// Finding a stall, a trader or a letter from any staff page (the header's search box, GET /cari)
// within what the viewer may see; the stall list and the arrears list a page at a time, sorted;
// the count tiles that open their filtered list; one trader's letter printed alone (its own
// issued document); one stall's or one block's stickers.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { type Account, pagesLogin } from '../support/pages-session';
import { binaryParser, pdfText } from '../support/pdf';
import * as make from '../support/make';
import { assessDay } from '../../api/assessments/assessment.service';
import { pagesWorld, TODAY, type PagesWorld } from '../browser/pages-world';

let t: TestDb;
let w: PagesWorld;
let app: Express;
/** A second market of region A with 120 occupied stalls in three blocks, for the paging. */
let big: { id: string; code: string };
let bigManager: { username: string; password: string };
let admin: { username: string; password: string };

const BIG = 120;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  app = w.app;
  const db = t.knex;
  big = await make.market(db, w.regionA.id, { code: 'BSR' });
  await db('markets').where({ id: big.id }).update({ name: 'Pasar Besar' });
  // Stall i: block P, Q or R; area 1..7 m² so stalls owe different amounts; the trader of every
  // tenth stall moved in on 6 August, so those owe fewer days.
  const stalls = await db('stalls')
    .insert(
      Array.from({ length: BIG }, (_, i) => ({
        region_id: w.regionA.id,
        market_id: big.id,
        code: `${'PQR'[i % 3]}-${String(i + 1).padStart(3, '0')}`,
        kind: 'kios',
        area_m2: String((i % 7) + 1),
        block: 'PQR'[i % 3],
        status: 'active',
      })),
    )
    .returning(['id', 'code']);
  const traders = await db('traders')
    .insert(
      stalls.map((_, i) => ({ region_id: w.regionA.id, name: `Pedagang Besar ${String(i + 1).padStart(3, '0')}` })),
    )
    .returning(['id']);
  await db('tenancies').insert(
    stalls.map((s, i) => ({
      region_id: w.regionA.id,
      stall_id: s.id,
      trader_id: traders[i].id,
      effective_from: i % 10 === 0 ? '2026-08-06' : '2020-01-01',
      effective_to: null,
    })),
  );
  // Days the world already assessed: running them again assesses the new market only.
  for (const d of ['2026-08-05', '2026-08-06', '2026-11-17', TODAY]) await assessDay(w.deps, w.regionA.code, d);
  bigManager = await make.user(db, 'manager', { username: 'kepala.bsr', regionId: w.regionA.id, marketId: big.id });
  admin = await make.user(db, 'admin', { username: 'admin.pusat' });
}, 180000);
afterAll(() => t?.drop());

const ampersands = (s: string) => s.replace(/&#38;/g, '&');

/** Logs in through the form; the agent keeps the session. */
const login = async (user: Account) => (await pagesLogin(app, user)).agent;

/** The rows of a results table: the text of each row's cells, tags stripped. */
function rowsOf(html: string, tableId: string): string[][] {
  const table = new RegExp(`<table id="${tableId}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (!table) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]
        .replace(/<[^>]+>/g, '')
        .replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n)))
        .trim(),
    ),
  );
}

test('every staff page carries the search box in its header; /cari wants a session', async () => {
  const manager = await login(w.users.manager);
  for (const p of ['/kelola', '/kelola/tunggakan', '/kelola/surat', `/kelola/los/${w.stalls['A-01'].id}`, '/laporan']) {
    const res = await manager.get(p);
    expect([p, res.status]).toEqual([p, 200]);
    expect(res.text).toMatch(/<form class="search" role="search" method="get" action="\/cari">/);
    expect(res.text).toContain('<input type="search" id="cari-q" name="q"');
  }
  const officer = await login(w.users.officer);
  for (const p of ['/rekonsiliasi', '/target', '/kelola'])
    expect((await officer.get(p)).text).toContain('action="/cari"');
  expect((await request(app).get('/login')).text).not.toContain('action="/cari"');
  const anon = await request(app).get('/cari?q=siti');
  expect([anon.status, anon.headers.location]).toEqual([303, `/login?lanjut=${encodeURIComponent('/cari?q=siti')}`]);
});

test("a manager finds a stall by part of its trader's name, by its code, and nothing outside the market", async () => {
  const agent = await login(w.users.manager);
  const byName = await agent.get('/cari?q=aminah');
  expect(byName.status).toBe(200);
  expect(byName.text).toContain('value="aminah"'); // the header's box keeps what was searched for
  expect(rowsOf(byName.text, 'hasil-pedagang').map((r) => r.slice(0, 2))).toEqual([['Siti Aminah', 'A-01']]);
  expect(byName.text).toContain(`href="/kelola/los/${w.stalls['A-01'].id}"`);
  const byCode = await agent.get('/cari?q=b-0');
  expect(rowsOf(byCode.text, 'hasil-los').map((r) => r[0])).toEqual(['B-01', 'B-02', 'B-03', 'B-04']);
  // The exact code first, then codes that start with it.
  expect(rowsOf((await agent.get('/cari?q=c-01')).text, 'hasil-los').map((r) => r[0])).toEqual(['C-01']);
  // Paijo trades in Pasar Gotong Royong, Ngatini in another region: not this manager's.
  for (const q of ['paijo', 'G-01', 'ngatini', 'D-01', 'Pedagang Besar']) {
    const res = await agent.get(`/cari?q=${encodeURIComponent(q)}`);
    expect([q, res.status]).toEqual([q, 200]);
    expect([q, res.text]).toEqual([q, expect.stringContaining('Tidak ada los, pedagang atau surat yang cocok')]);
  }
});

test('an officer and an auditor search their region, the admin every region', async () => {
  const officer = await login(w.users.officer);
  const paijo = await officer.get('/cari?q=paijo');
  expect(rowsOf(paijo.text, 'hasil-pedagang').map((r) => r.slice(0, 3))).toEqual([
    ['Paijo', 'G-01', 'Pasar Gotong Royong'],
  ]);
  expect(rowsOf((await officer.get('/cari?q=ngatini')).text, 'hasil-pedagang')).toEqual([]);
  const auditor = await login(w.users.auditor);
  expect(rowsOf((await auditor.get('/cari?q=aminah')).text, 'hasil-pedagang')).toHaveLength(1);
  expect(rowsOf((await auditor.get('/cari?q=ngatini')).text, 'hasil-pedagang')).toEqual([]);
  const far = await login(w.users.officerB);
  expect(rowsOf((await far.get('/cari?q=ngatini')).text, 'hasil-pedagang').map((r) => r[1])).toEqual(['D-01']);
  expect(rowsOf((await far.get('/cari?q=aminah')).text, 'hasil-pedagang')).toEqual([]);
  const all = await login(admin);
  expect(
    rowsOf((await all.get('/cari?q=-01&jenis=los')).text, 'hasil-los')
      .map((r) => r[0])
      .sort(),
  ).toEqual(expect.arrayContaining(['A-01', 'B-01', 'C-01', 'D-01', 'G-01']));
});

test('the text is one escaped LIKE pattern: % and _ match themselves; too short, too long and unknown fields', async () => {
  const agent = await login(w.users.officer);
  // Unescaped, '_i' would match Siti, Sri Wahyuni, Slamet Riyadi ... and '%%' everything.
  for (const q of ['_i', '%%', 'a%', '\\i']) {
    const res = await agent.get(`/cari?q=${encodeURIComponent(q)}`);
    expect([q, res.status]).toEqual([q, 200]);
    expect([q, rowsOf(res.text, 'hasil-pedagang'), rowsOf(res.text, 'hasil-los')]).toEqual([q, [], []]);
  }
  const short = await agent.get('/cari?q=a');
  expect(short.status).toBe(200);
  expect(short.text).toContain('Ketik sedikitnya 2 huruf');
  const spaced = await agent.get(`/cari?q=${encodeURIComponent('  siti    aminah ')}`);
  expect(rowsOf(spaced.text, 'hasil-pedagang').map((r) => r[0])).toEqual(['Siti Aminah']);
  const long = await agent.get(`/cari?q=${'x'.repeat(81)}`);
  expect(long.status).toBe(400);
  expect(long.headers['content-type']).toMatch(/text\/html/);
  expect(long.text).toContain('paling banyak 80 huruf');
  expect((await agent.get('/cari?q=siti&urutan=1')).status).toBe(400);
  expect((await agent.get('/cari?q=siti&jenis=semua')).status).toBe(400);
});

test('a kind listed alone is paged: 50 stalls a page, then the rest', async () => {
  const agent = await login(w.users.officer);
  const preview = await agent.get('/cari?q=pedagang%20besar');
  expect(rowsOf(preview.text, 'hasil-pedagang')).toHaveLength(10);
  expect(ampersands(preview.text)).toContain('href="/cari?q=pedagang+besar&jenis=pedagang"');
  const first = await agent.get('/cari?q=pedagang%20besar&jenis=pedagang');
  const names = rowsOf(first.text, 'hasil-pedagang').map((r) => r[0]);
  expect(names).toHaveLength(50);
  expect(first.text).not.toContain('id="hasil-los"');
  expect(ampersands(first.text)).toContain('href="/cari?q=pedagang+besar&jenis=pedagang&page=2" rel="next"');
  const third = await agent.get('/cari?q=pedagang%20besar&jenis=pedagang&page=3');
  const rest = rowsOf(third.text, 'hasil-pedagang').map((r) => r[0]);
  expect(rest).toHaveLength(BIG - 100);
  expect(third.text).not.toContain('rel="next"');
  expect(new Set([...names, ...rest]).size).toBe(names.length + rest.length);
});

test('a letter is found by part of its number and its "Cetak" gives that letter alone, an issued document', async () => {
  const letters = await t
    .knex('letters as l')
    .join('traders as tr', 'tr.id', 'l.trader_id')
    .where('l.market_id', w.market.id)
    .orderBy('l.seq')
    .select('l.id', 'l.number', 'l.kind', 'tr.name');
  expect(letters.length).toBeGreaterThan(1);
  const letter = letters[1];
  const others = letters.filter((l) => l.id !== letter.id);
  const agent = await login(w.users.manager);
  const part = letter.number.split('/')[0];
  const found = await agent.get(`/cari?q=${encodeURIComponent(part)}`);
  const rows = rowsOf(found.text, 'hasil-surat');
  expect(rows.map((r) => r[0])).toContain(letter.number);
  expect(found.text).toContain(`href="/kelola/surat/${letter.id}/cetak"`);

  const pdf = await agent
    .get(`/kelola/surat/${letter.id}/cetak`)
    .buffer(true)
    .parse(binaryParser as never);
  expect(pdf.status).toBe(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(pdf.headers['content-disposition']).toMatch(
    /^attachment; filename="(strd|surat-teguran)-[A-Za-z0-9._-]+\.pdf"$/,
  );
  const { text } = pdfText(pdf.body as Buffer);
  expect(text.split('Kepada Yth.').length - 1).toBe(1);
  expect(text).toContain(letter.name);
  expect(text).toContain(letter.number);
  expect(text).not.toContain('Rekapitulasi');
  for (const o of others) {
    expect(text).not.toContain(o.number);
    if (o.name !== letter.name) expect(text).not.toContain(o.name);
  }
  // Numbered and registered like any report: the verification page calls the file genuine.
  const number = pdf.headers['x-document-number'];
  expect(number).toMatch(/^KMG-(STRD|STG)-2026-\d{6}$/);
  const doc = await t.knex('documents').where({ number }).first('kind', 'covers');
  expect(doc.covers).toMatchObject({ letterId: letter.id, letters: 1, firstNumber: letter.number });
  const check = await request(app)
    .post(`/verify/${number}`)
    .set('content-type', 'application/octet-stream')
    .send(pdf.body as Buffer);
  expect(check.body.status).toBe('genuine');

  // The stall page's "Cetak" is that letter's, not the day's bundle.
  const stall = await t.knex('letter_items').where({ letter_id: letter.id }).first('stall_id');
  const page = await agent.get(`/kelola/los/${stall.stall_id}`);
  expect(page.text).toContain(`href="/kelola/surat/${letter.id}/cetak"`);
  // Another market's manager, another region's officer: 403; a letter that does not exist: 404.
  expect((await (await login(w.users.manager2)).get(`/kelola/surat/${letter.id}/cetak`)).status).toBe(403);
  expect((await (await login(w.users.officerB)).get(`/kelola/surat/${letter.id}/cetak`)).status).toBe(403);
  const officer = await login(w.users.officer);
  expect((await officer.get(`/kelola/surat/${letter.id}/cetak`)).status).toBe(200);
  const missing = await agent.get('/kelola/surat/00000000-0000-4000-8000-000000000000/cetak');
  expect(missing.status).toBe(404);
  expect(missing.text).toContain('Surat ini tidak ada');
  expect((await agent.get('/kelola/surat/bukan-id/cetak')).status).toBe(400);
});

test("/kelola lists a market's stalls 50 a page, in the order asked, keeping the filter", async () => {
  const agent = await login(bigManager);
  const first = await agent.get('/kelola');
  const codes1 = rowsOf(first.text, 'daftar-los').map((r) => r[0]);
  expect(codes1).toHaveLength(50);
  expect(first.text).toContain(`Tempat usaha (1–50 dari ${BIG})`);
  expect(first.text).toContain('Halaman 1 dari 3');
  const last = await agent.get('/kelola?page=3');
  expect(rowsOf(last.text, 'daftar-los')).toHaveLength(BIG - 100);
  expect(last.text).toContain(`Tempat usaha (101–${BIG} dari ${BIG})`);
  // A page past the end shows the last one.
  expect(rowsOf((await agent.get('/kelola?page=99')).text, 'daftar-los')).toHaveLength(BIG - 100);
  const all = [...codes1];
  for (const p of [2, 3])
    all.push(...rowsOf((await agent.get(`/kelola?page=${p}`)).text, 'daftar-los').map((r) => r[0]));
  expect(all).toEqual([...all].sort(new Intl.Collator('id', { numeric: true }).compare));
  expect(new Set(all).size).toBe(BIG);

  // By block, the filter and the order kept in the pager's links.
  const blockQ = await agent.get('/kelola?block=Q&sort=terutang');
  const q = rowsOf(blockQ.text, 'daftar-los');
  expect(q).toHaveLength(BIG / 3);
  expect(new Set(q.map((r) => r[1]))).toEqual(new Set(['Q']));
  const owed = q.map((r) => Number(r[5].replace(/[^\d]/g, '')));
  expect(owed).toEqual([...owed].sort((a, b) => b - a));
  expect(owed[0]).toBeGreaterThan(owed[owed.length - 1]);
  const byBlock = rowsOf((await agent.get('/kelola?sort=blok')).text, 'daftar-los').map((r) => r[1]);
  expect(byBlock).toEqual(Array(40).fill('P').concat(Array(10).fill('Q')));
  const twoPages = await agent.get('/kelola?status=belum&sort=blok&page=2');
  expect(ampersands(twoPages.text)).toContain('href="/kelola?status=belum&sort=blok#los" rel="prev"');
});

test('the count tiles open their filtered lists, and the arrears tile says what the arrears page lists', async () => {
  const agent = await login(w.users.manager);
  const home = await agent.get('/kelola');
  const tiles = [
    ...ampersands(home.text).matchAll(
      /<a class="card[^"]*" href="([^"]+)"[^>]*><span class="k">([^<]+)<\/span><span class="v">([^<]+)</g,
    ),
  ].map((m) => ({ href: m[1], label: m[2], value: m[3] }));
  expect(tiles.map((x) => x.label)).toEqual(['Lunas', 'Sebagian', 'Belum bayar', 'Tidak ditagih', 'Menunggak']);
  const statusOf: Record<string, string> = {
    Lunas: 'paid',
    Sebagian: 'partly-paid',
    'Belum bayar': 'unpaid',
    'Tidak ditagih': 'not-assessed',
  };
  for (const tile of tiles.slice(0, 4)) {
    const list = await agent.get(tile.href.replace(/#.*$/, ''));
    const shown = [...list.text.matchAll(/<tr data-status="([a-z-]+)">/g)].map((m) => m[1]);
    expect([tile.label, shown.length]).toEqual([tile.label, Number(tile.value)]);
    expect(new Set(shown)).toEqual(new Set(Number(tile.value) ? [statusOf[tile.label]] : []));
  }
  const arrearsTile = tiles[4];
  expect(arrearsTile.href).toBe('/kelola/tunggakan');
  const arrears = await agent.get(arrearsTile.href);
  expect(arrears.text).toContain(`${arrearsTile.value} pedagang/los`);
  expect(rowsOf(arrears.text, 'daftar-tunggakan')).toHaveLength(Number(arrearsTile.value));
});

test('the arrears list sorts by amount owed, by age and by block, a page at a time', async () => {
  const agent = await login(bigManager);
  const amount = (r: string[]) => Number(r[8].replace(/[^\d]/g, ''));
  const byCode = rowsOf((await agent.get('/kelola/tunggakan')).text, 'daftar-tunggakan');
  expect(byCode).toHaveLength(50);
  expect((await agent.get('/kelola/tunggakan')).text).toContain(`(1–50 dari ${BIG})`);

  const byAmount: string[][] = [];
  for (const p of [1, 2, 3])
    byAmount.push(...rowsOf((await agent.get(`/kelola/tunggakan?sort=jumlah&page=${p}`)).text, 'daftar-tunggakan'));
  expect(byAmount).toHaveLength(BIG);
  const amounts = byAmount.map(amount);
  expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  expect(amounts[0]).toBeGreaterThan(amounts[BIG - 1]);

  // The traders who moved in on 6 August owe from then: they come last by age.
  const byAge: string[][] = [];
  for (const p of [1, 2, 3])
    byAge.push(...rowsOf((await agent.get(`/kelola/tunggakan?sort=umur&page=${p}`)).text, 'daftar-tunggakan'));
  const since = byAge.map((r) => r[9]);
  expect(since.slice(0, BIG - 12).every((s) => s.startsWith('5 Agustus 2026'))).toBe(true);
  expect(since.slice(BIG - 12).every((s) => s.startsWith('6 Agustus 2026'))).toBe(true);

  const byBlock = rowsOf((await agent.get('/kelola/tunggakan?sort=blok&page=2')).text, 'daftar-tunggakan');
  expect(byBlock.map((r) => r[1])).toEqual(Array(30).fill('Q').concat(Array(20).fill('R')));
  const blockR = rowsOf((await agent.get('/kelola/tunggakan?block=R&sort=jumlah')).text, 'daftar-tunggakan');
  expect(blockR).toHaveLength(BIG / 3);
  expect((await agent.get('/kelola/tunggakan?sort=asal')).status).toBe(400);
});

test("one stall's sticker and one block's stickers, from the market's sheet", async () => {
  const agent = await login(w.users.manager);
  const get = (q: string) =>
    agent
      .get(`/kelola/stiker${q}`)
      .buffer(true)
      .parse(binaryParser as never);
  const one = await get('?code=b-02');
  expect(one.status).toBe(200);
  expect(one.headers['content-disposition']).toBe('inline; filename="stiker-REJ-B-02.pdf"');
  const oneText = pdfText(one.body as Buffer).text;
  expect(oneText.split('Pindai untuk cek tagihan').length - 1).toBe(1);
  expect(oneText).toContain('B-02');
  const block = await get('?block=C');
  const blockText = pdfText(block.body as Buffer).text;
  expect(blockText.split('Pindai untuk cek tagihan').length - 1).toBe(3);
  for (const c of ['C-01', 'C-02', 'C-03']) expect(blockText).toContain(c);
  expect(blockText).not.toContain('A-01');
  const none = await get('?code=Z-99');
  expect(none.status).toBe(404);
  expect(none.headers['content-type']).toMatch(/text\/html/);
  expect((await agent.get(`/kelola/los/${w.stalls['B-02'].id}`)).text).toContain('href="/kelola/stiker?code=B-02"');
  const home = await agent.get('/kelola');
  expect(home.text).toContain('id="stiker-sebagian"');
});
