// One Indonesian voice (issue 17, item 8): every page a staff role may open, the public pages, an
// unknown address, a page error and every PDF a user reads are Indonesian, and none answers a
// browser with JSON. Each staff role logs in through the form as a browser does and opens every
// GET page of PAGE_ROUTES (path parameters filled from the world), with Accept: text/html; the
// visible text (tags, scripts, styles and <code> removed, what a screen reader reads of
// attributes kept, addresses removed) must hold none of the English words a person would see.
// The glossary must have words for every error code the product throws.
import { appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import { freshDb, type TestDb } from '../support/db';
import { binaryParser, pdfText } from '../support/pdf';
import { PAGE_ROUTES } from '../../api/pages/pages.routes';
import { bankName, messageOf } from '../../api/core/glossary';
import { EXCEPTION_DAY, pagesWorld, type PagesWorld } from '../browser/pages-world';
import * as make from '../support/make';

let t: TestDb;
let w: PagesWorld;
let app: Express;

/** Words of English a user would read, none of them also Indonesian or a product's name
 * (MDR, RRN, QRIS, STRD, PDF, CSV, Excel, batch and terminal are the banks' and the product's own). */
const ENGLISH = [
  'not found',
  'error',
  'errors',
  'invalid',
  'forbidden',
  'required',
  'must',
  'unknown',
  'already',
  'failed',
  'payment',
  'payments',
  'stall',
  'stalls',
  'market',
  'markets',
  'settlement',
  'settled',
  'settle',
  'exception',
  'exceptions',
  'credit',
  'penalty',
  'penalties',
  'submit',
  'search',
  'page',
  'next',
  'previous',
  'download',
  'upload',
  'login',
  'logout',
  'password',
  'username',
  'user',
  'users',
  'receipt',
  'report',
  'reports',
  'letter',
  'letters',
  'arrears',
  'trader',
  'officer',
  'manager',
  'collector',
  'region',
  'reconciliation',
  'amount',
  'date',
  'today',
  'paid',
  'unpaid',
  'cancel',
  'save',
  'back',
  'home',
  'loading',
  'refresh',
  'dashboard',
  'feed',
  'file',
  'link',
  'card',
  'online',
  'offline',
  'please',
  'the',
  'and',
  'of',
  'for',
  'with',
  'this',
  'that',
  'is',
  'are',
  'not',
  'your',
  'void',
  'reversal',
  'deposit',
];

/** Indonesian words the glossary (api/core/glossary.ts) replaces, so one concept has one word:
 * selisih, Selisih nominal, sanksi bunga, setelmen. */
const SYNONYMS = ['pengecualian', 'jumlah berbeda', 'denda', 'disettle'];

interface Finding {
  where: string;
  word: string;
  context: string;
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_m, c) => String.fromCharCode(Number(c)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, c) => String.fromCharCode(Number.parseInt(c, 16)))
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** What a person reads of a page: the text, and the attributes a browser shows or reads aloud. */
function visibleText(html: string): string {
  const body = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<code\b[\s\S]*?<\/code>/gi, ' ');
  const attributes = [...body.matchAll(/\s(?:placeholder|title|aria-label|alt)="([^"]*)"/gi)].map((m) => m[1]);
  const buttons = [...body.matchAll(/<input\b[^>]*type="(?:submit|button)"[^>]*>/gi)].map(
    (m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? '',
  );
  return withoutAddresses(decode([body.replace(/<[^>]*>/g, ' '), ...attributes, ...buttons].join(' ')));
}

/** Addresses are not words: https://…, /kelola/…, a file name. */
const withoutAddresses = (text: string) =>
  text
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/(^|[\s(])\/[\w\-./?=&%:]*/g, '$1 ')
    .replace(/\b[\w-]+\.(?:pdf|csv|xlsx|css|js)\b/gi, ' ')
    .replace(/\s+/g, ' ');

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = [...ENGLISH, ...SYNONYMS].map((word) => ({
  word,
  re: new RegExp(`(?<![\\w-])${escapeRe(word)}(?![\\w-])`, 'gi'),
}));

function englishIn(where: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const { word, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      found.push({ where, word, context: text.slice(Math.max(0, at - 40), at + word.length + 40).trim() });
    }
  }
  // VOICE_FINDINGS=<file>: every finding also as a JSON line there, to list what is left.
  if (process.env.VOICE_FINDINGS)
    for (const f of found) appendFileSync(process.env.VOICE_FINDINGS, `${JSON.stringify(f)}\n`);
  return found;
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

/** Logs in through the form as a browser does; the agent keeps the cookies. */
async function login(user: { username: string; password: string }) {
  const agent = request.agent(app);
  const form = await agent.get('/login').set('accept', 'text/html');
  const res = await agent
    .post('/login')
    .set('accept', 'text/html')
    .type('form')
    .send({ _csrf: hidden(form.text, '_csrf'), username: user.username, password: user.password });
  if (res.status !== 303) throw new Error(`login as ${user.username} failed: ${res.status} ${res.text.slice(0, 300)}`);
  return agent;
}

type Agent = ReturnType<typeof request.agent>;

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Opened {
  where: string;
  status: number;
  type: string;
  text?: string;
  bytes?: Buffer;
}

/** GET as a browser: HTML as text, a PDF as its bytes. */
async function open(agent: Agent | ReturnType<typeof request>, url: string): Promise<Opened> {
  const res = await (agent as Agent)
    .get(url)
    .set('accept', BROWSER)
    .redirects(3)
    .buffer(true)
    .parse(binaryParser as never);
  const type = String(res.headers['content-type'] ?? '');
  const bytes = res.body as Buffer;
  // Where the browser ended up, when the address sent it on (/ and /login to the role's home).
  const last = (res as unknown as { redirects?: string[] }).redirects?.at(-1);
  const where = last ? `${url} → ${new URL(last).pathname}` : url;
  return { where, status: res.status, type, ...(/pdf/.test(type) ? { bytes } : { text: bytes.toString('utf8') }) };
}

/** The English a person would read in what was opened: a page's visible text, a PDF's text. */
function englishOf(o: Opened): Finding[] {
  if (o.bytes) return englishIn(o.where, withoutAddresses(pdfText(o.bytes).text));
  return englishIn(o.where, visibleText(o.text ?? ''));
}

/** Addresses that are not pages a person reads: style sheets, scripts, an event stream, CSV. */
const NOT_A_PAGE = ['/aset/', '/pusat-komando/aliran', '/rekonsiliasi/keputusan/unduh', '/laporan/unduh/'];

let params: Record<string, string>;
let accounts: Record<string, { username: string; password: string }>;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  app = w.app;
  const [admin, feed] = await Promise.all([
    make.user(t.knex, 'admin', { username: 'admin.uji' }),
    make.user(t.knex, 'feed', { username: 'layar.kmg', regionId: w.regionA.id }),
  ]);
  // Names as people have them (the factory's "officer uji" would itself be English on the page).
  const names: [string, string][] = [
    [admin.id, 'Sri Rejeki'],
    [feed.id, 'Layar Balai Kota'],
    [w.users.auditor.id, 'Ahmad Fauzi (Inspektorat Kota Magelang)'],
    [w.users.manager.id, 'Hadi Susanto (Kepala Pasar Rejowinangun)'],
    [w.users.manager2.id, 'Sutarmi'],
    [w.users.officerB.id, 'Yuliani'],
    [w.users.collector.id, 'Parjo'],
  ];
  for (const [id, name] of names) await t.knex('users').where({ id }).update({ display_name: name });
  accounts = {
    admin,
    officer: w.users.officer,
    manager: w.users.manager,
    auditor: w.users.auditor,
    feed,
  };
  const stall = await t.knex('stalls').where({ id: w.stalls['A-01'].id }).first('public_code');
  const letter = await t.knex('letters').where({ region_id: w.regionA.id, market_id: w.market.id }).first('id');
  if (!letter) throw new Error('the world has no letter');
  params = {
    publicCode: stall.public_code,
    intentId: randomUUID(),
    stallId: w.stalls['A-05'].id, // in arrears since August: letters, penalty
    letterId: letter.id,
    date: EXCEPTION_DAY,
    id: w.users.manager.id,
  };
}, 180000);
afterAll(() => t.drop());

/** The GET pages of PAGE_ROUTES, path parameters filled from the world. */
const pages = () =>
  PAGE_ROUTES.filter((r) => r.startsWith('GET '))
    .map((r) => r.slice(4).replace(/:(\w+)/g, (_m, p: string) => params[p] ?? `:${p}`))
    .filter((p) => !NOT_A_PAGE.some((n) => p.startsWith(n)))
    .map((p) => (p === '/cari' ? '/cari?q=Siti' : p));

const ROLES = ['admin', 'officer', 'manager', 'auditor', 'feed'] as const;
const HOME = {
  admin: '/rekonsiliasi',
  officer: '/rekonsiliasi',
  manager: '/kelola',
  auditor: '/rekonsiliasi',
  feed: '/pusat-komando',
};

describe.each(ROLES)('as %s', (role) => {
  test('every page answers HTML, none JSON, and reads Indonesian', async () => {
    const agent = await login(accounts[role]);
    const findings: Finding[] = [];
    const notPages: string[] = [];
    const statuses: Record<string, number> = {};
    for (const url of pages()) {
      const o = await open(agent, url);
      statuses[url] = o.status;
      if (!/^(text\/html|application\/pdf)/.test(o.type)) notPages.push(`${url}: ${o.status} ${o.type}`);
      findings.push(...englishOf(o));
    }
    expect({ notPages, findings }).toEqual({ notPages: [], findings: [] });
    // What each role opens is really opened (not only its refusal pages).
    expect([statuses[HOME[role]], statuses['/akun']]).toEqual([200, 200]);
  });
});

test('the public pages read Indonesian: the stall behind the sticker, a receipt, a document check, login', async () => {
  const findings: Finding[] = [];
  const notPages: string[] = [];
  // A document issued from the reports page, to open its check page as its QR does.
  const officer = await login(accounts.officer);
  const issued = await officer.get('/laporan/unduh/daily-collection?format=pdf&date=2026-11-17');
  const number = issued.headers['x-document-number'];
  expect(number).toMatch(/^KMG-/);
  const codes = await t.knex('stalls').whereIn('id', [w.stalls['B-01'].id, w.stalls['C-03'].id]).pluck('public_code');
  for (const url of [
    '/login',
    `/los/${params.publicCode}`,
    ...codes.map((c: string) => `/los/${c}`),
    '/los/0000000000000000',
    `/los/${params.publicCode}/qris/${params.intentId}`,
    `/receipts/${w.unsettledPayment.receipt.code}`,
    '/receipts/TIDAK-ADA',
    `/verify/${number}`,
    '/verify/KMG-LRH-2026-999999',
  ]) {
    const o = await open(request(app), url);
    if (!/^text\/html/.test(o.type)) notPages.push(`${url}: ${o.status} ${o.type}`);
    findings.push(...englishOf(o));
  }
  expect({ notPages, findings }).toEqual({ notPages: [], findings: [] });
});

test('an unknown address is an Indonesian 404 page for a browser; JSON for /api and for clients asking JSON', async () => {
  const page = await open(request(app), '/tidak-ada/sama-sekali');
  expect(page.status).toBe(404);
  expect(page.type).toMatch(/^text\/html/);
  expect(page.text).toContain('<html lang="id">');
  expect(visibleText(page.text!)).toContain('Halaman tidak ditemukan');
  expect(page.text).not.toContain('sama-sekali'); // what was typed is not echoed
  expect(englishOf(page)).toEqual([]);

  // Logged in, under a staff prefix: the same page.
  const agent = await login(accounts.manager);
  const staff = await open(agent, '/kelola/tidak-ada');
  expect([staff.status, staff.type]).toEqual([404, expect.stringMatching(/^text\/html/)]);
  expect(visibleText(staff.text!)).toContain('Halaman tidak ditemukan');

  // The API's clients keep the JSON 404 exactly as it was, even when they say they take HTML.
  const api = await request(app).get('/api/v1/tidak-ada').set('accept', BROWSER);
  expect(api.status).toBe(404);
  expect(api.headers['content-type']).toMatch(/json/);
  expect(api.body).toEqual({ error: { code: 'not-found', message: 'no route GET /api/v1/tidak-ada' } });
  for (const accept of ['application/json', '*/*', undefined]) {
    const req = request(app).get('/tidak-ada');
    const res = await (accept ? req.set('accept', accept) : req);
    expect([accept, res.status, res.body]).toEqual([
      accept,
      404,
      { error: { code: 'not-found', message: 'no route GET /tidak-ada' } },
    ]);
  }
});

test('a page error reads Indonesian: a stall that does not exist, an id that cannot be one, a refused scope', async () => {
  const agent = await login(accounts.manager);
  const missing = await open(agent, `/kelola/los/${randomUUID()}`);
  expect(missing.status).toBe(404);
  expect(missing.type).toMatch(/^text\/html/);
  expect(visibleText(missing.text!)).toContain('Tempat usaha tidak ditemukan.');
  expect(englishOf(missing)).toEqual([]);

  const malformed = await open(agent, '/kelola/los/bukan-id');
  // An id that cannot be one names no stall either.
  expect([malformed.status, malformed.type]).toEqual([404, expect.stringMatching(/^text\/html/)]);
  expect(englishOf(malformed)).toEqual([]);

  const outside = await open(agent, `/kelola/los/${w.stallB.id}`);
  expect([outside.status, outside.type]).toEqual([403, expect.stringMatching(/^text\/html/)]);
  expect(englishOf(outside)).toEqual([]);

  const noLetter = await open(agent, `/kelola/surat/${randomUUID()}/cetak`);
  expect(noLetter.status).toBe(404);
  expect(englishOf(noLetter)).toEqual([]);

  // The API's refusals behind the reports page, in the glossary's words rather than its English.
  const officer = await login(accounts.officer);
  const unreconciled = await open(officer, '/laporan/unduh/daily-reconciliation?format=pdf&date=2026-11-18');
  expect([unreconciled.status, unreconciled.type]).toEqual([409, expect.stringMatching(/^text\/html/)]);
  expect(visibleText(unreconciled.text!)).toContain('Tanggal ini belum direkonsiliasi');
  expect(visibleText(unreconciled.text!)).not.toContain('Data ini sudah berubah');
  const scope = await open(agent, '/laporan/unduh/daily-reconciliation?format=pdf&date=2026-11-17');
  expect(scope.status).toBe(403);
  const noDate = await open(officer, '/laporan/unduh/daily-collection?format=pdf&date=');
  expect(noDate.status).toBe(400);
  for (const o of [unreconciled, scope, noDate]) expect(englishOf(o)).toEqual([]);
});

test("the API's error handler answers a browser with an Indonesian page, its clients with the same JSON", async () => {
  // A control character in an address: refused for every route before any router runs.
  const page = await open(request(app), '/kelola/%00');
  expect([page.status, page.type]).toEqual([400, expect.stringMatching(/^text\/html/)]);
  expect(visibleText(page.text!)).toContain('Alamat halaman tidak dapat dibaca.');
  expect(englishOf(page)).toEqual([]);
  const api = await request(app).get('/kelola/%00');
  expect(api.status).toBe(400);
  const problem = api.body.error?.details?.[0]?.message;
  expect(problem).toMatch(/control character/);
  expect(api.body).toEqual({
    error: {
      code: 'invalid-input',
      message: `invalid (path): ${problem}`,
      details: [{ field: '(path)', message: problem }],
    },
  });
  // A receipt asked for as JSON keeps the API's 404.
  const receipt = await request(app).get('/receipts/TIDAK-ADA').set('accept', 'application/json');
  expect([receipt.status, receipt.body.error?.code]).toEqual([404, 'not-found']);
});

test('the header names the account once: no role or market the name already says', async () => {
  const agent = await login(accounts.manager);
  const res = await agent.get('/kelola').set('accept', BROWSER);
  const who = /<span class="who">([^<]*)<\/span>/.exec(res.text)?.[1];
  expect(decode(who ?? '')).toBe('Hadi Susanto (Kepala Pasar Rejowinangun)');
  const officer = await login(accounts.officer);
  const o = await officer.get('/rekonsiliasi').set('accept', BROWSER);
  expect(decode(/<span class="who">([^<]*)<\/span>/.exec(o.text)?.[1] ?? '')).toBe(
    'Rina Kartika · Petugas Bapenda · Kota Magelang',
  );
});

test('every report PDF, the sticker sheet and a printed letter read Indonesian', async () => {
  const officer = await login(accounts.officer);
  const manager = await login(accounts.manager);
  const letters: { kind: string; issued_on: string }[] = await t
    .knex('letters')
    .where({ region_id: w.regionA.id, market_id: w.market.id })
    .distinct('kind', t.knex.raw(`to_char(issued_on, 'YYYY-MM-DD') as issued_on`));
  const kindOf: Record<string, string> = { warning: 'warning-letters', strd: 'strd' };
  const downloads: [Agent, string][] = [
    [officer, '/laporan/unduh/daily-reconciliation?format=pdf&date=2026-11-17'],
    [officer, `/laporan/unduh/daily-reconciliation?format=pdf&date=${EXCEPTION_DAY}`],
    [officer, '/laporan/unduh/daily-collection?format=pdf&date=2026-11-17'],
    [manager, '/laporan/unduh/daily-collection?format=pdf&date=2026-11-17'],
    [officer, '/laporan/unduh/monthly-realisation?format=pdf&month=2026-11'],
    [officer, '/laporan/unduh/arrears?format=pdf&asOf=2026-11-18'],
    [manager, '/laporan/unduh/arrears?format=pdf&asOf=2026-11-18'],
    ...letters.map((l): [Agent, string] => [
      manager,
      `/laporan/unduh/${kindOf[l.kind]}?format=pdf&marketId=${w.market.id}&date=${l.issued_on}`,
    ]),
    [manager, '/kelola/stiker'],
    [manager, `/kelola/surat/${params.letterId}/cetak`],
  ];
  expect(letters.length).toBeGreaterThan(0);
  const findings: Finding[] = [];
  for (const [agent, url] of downloads) {
    const o = await open(agent, url);
    expect([url, o.status, o.type]).toEqual([url, 200, 'application/pdf']);
    findings.push(...englishOf(o));
  }
  expect(findings).toEqual([]);
});

test('the glossary names banks by name, never by acquirer code', () => {
  expect(bankName('bpd-jateng-card-mgl', 'Bank Jateng - EDC Kartu Debit')).toBe('Bank Jateng - EDC Kartu Debit');
  expect(bankName('bpd-jateng-card-mgl')).toBe('Bank Jateng - Kartu debit');
  expect(bankName('bank-kalsel-qris-bjr', 'bank-kalsel-qris-bjr')).toBe('Bank Kalsel - QRIS');
  expect(bankName('bni')).toBe('BNI');
});

/** Every .ts file under a folder. */
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

test('the glossary has Indonesian words for every error code the product throws, and every thing not found', () => {
  const root = path.join(__dirname, '../..');
  const codes = new Set<string>();
  const things = new Set<string>();
  for (const f of [...sources(path.join(root, 'api')), ...sources(path.join(root, 'reports'))]) {
    const s = readFileSync(f, 'utf8');
    for (const m of s.matchAll(/(?:badRequest|conflict|unprocessable|new AppError)\(\s*(?:\d+,\s*)?'([a-z0-9-]+)'/g))
      codes.add(m[1]);
    for (const m of s.matchAll(/\bnotFound\(\s*'([^']+)'/g)) things.add(m[1]);
  }
  expect(codes.size).toBeGreaterThan(30);
  const missing = [...codes].filter(
    (code) => code !== 'not-found' && !messageOf({ code, message: 'the request is refused' }),
  );
  expect(missing).toEqual([]);
  const unnamed = [...things].filter((what) =>
    messageOf({ code: 'not-found', message: `${what} not found` })!.startsWith('Data '),
  );
  expect(unnamed).toEqual([]);
});
