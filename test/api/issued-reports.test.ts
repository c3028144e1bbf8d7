// The documents already issued, on the reports page (/laporan): listed per day with their
// numbers, the schedule's among them, and handed out again as they were issued (the same
// number, the same bytes the schedule wrote to its folder, verifiable), never under a new number
// and never re-drawn from data that has changed since. A manager sees their market's only.
import request from 'supertest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDb, type TestDb } from '../support/db';
import { type Account, pagesLogin } from '../support/pages-session';
import { tokenFor } from '../support/app';
import { pay as payCard } from '../support/pay';
import { binaryParser } from '../support/pdf';
import { reportJob } from '../../jobs/report';
import { NOW, TODAY, pagesWorld, type PagesWorld } from '../browser/pages-world';

let t: TestDb;
let w: PagesWorld;
let out: string;
/** What the schedule wrote for 17 November: kind → number and file. */
let scheduled: Record<string, { number: string; file: string }>;

beforeAll(async () => {
  t = await freshDb();
  w = await pagesWorld(t.knex);
  out = mkdtempSync(path.join(tmpdir(), 'issued-'));
  const [res] = await reportJob(w.deps, { region: w.regionA.code, date: '2026-11-17', out });
  scheduled = Object.fromEntries(res.written.map((x) => [x.kind, { number: x.number!, file: x.file! }]));
}, 180000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await t.drop();
});

/** Logs in through the form; the agent keeps the session. */
const login = async (user: Account) => (await pagesLogin(w.app, user)).agent;

/** The numbers, and their download links, listed on a /laporan page. */
function listed(page: string): { number: string; href?: string; row: string }[] {
  const rows = [...page.matchAll(/<tr data-number="([^"]+)">([\s\S]*?)<\/tr>/g)];
  return rows.map((m) => ({
    number: m[1],
    href: /href="(\/laporan\/unduh\/[^"]+)"/.exec(m[2])?.[1].replace(/&#38;/g, '&'),
    row: m[2],
  }));
}

const download = (agent: ReturnType<typeof request.agent>, href: string) =>
  agent
    .get(href)
    .buffer(true)
    .parse(binaryParser as never);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const documentCount = async () =>
  Number((await t.knex('documents').where({ region_id: w.regionA.id }).count<{ n: string }[]>('* as n'))[0].n);

test("the schedule's reports of the day are listed with their numbers, and download again as the same file", async () => {
  expect(Object.keys(scheduled).sort()).toEqual(['daily-collection', 'daily-reconciliation']);
  const agent = await login(w.users.officer);
  const page = await agent.get('/laporan');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Laporan yang terbit');
  const rows = listed(page.text);
  for (const kind of ['daily-reconciliation', 'daily-collection']) {
    const row = rows.find((r) => r.number === scheduled[kind].number);
    expect(row).toBeDefined();
    expect(row!.row).toContain('Jadwal otomatis');
    expect(row!.row).toContain('17 November 2026'); // what it covers, as its letterhead says
    expect(row!.href).toBe(`/laporan/unduh/${kind}?number=${scheduled[kind].number}`);
  }

  const before = await documentCount();
  const onDisk = readFileSync(scheduled['daily-collection'].file);
  const href = rows.find((r) => r.number === scheduled['daily-collection'].number)!.href!;
  const first = await download(agent, href);
  const second = await download(agent, href);
  for (const res of [first, second]) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-document-number']).toBe(scheduled['daily-collection'].number);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${scheduled['daily-collection'].number}.pdf"`,
    );
    expect(sha256(res.body)).toBe(sha256(onDisk));
  }
  // No number was taken and nothing registered: it is the same document.
  expect(await documentCount()).toBe(before);
  const check = await request(w.app)
    .post(`/verify/${scheduled['daily-collection'].number}`)
    .set('content-type', 'application/pdf')
    .send(first.body);
  expect(check.body.status).toBe('genuine');
});

test('a document asked for again is the one issued, not drawn again from data that changed since', async () => {
  const number = scheduled['daily-collection'].number;
  const issued = readFileSync(scheduled['daily-collection'].file);
  // A payment dated the 17th arrives after the schedule's report of the 17th.
  const terminalToken = tokenFor(
    {
      role: 'terminal',
      sub: w.terminal.id,
      terminalId: w.terminal.id,
      regionId: w.regionA.id,
      marketId: w.market.id,
    },
    Date.parse(NOW),
  );
  await payCard(
    w.app,
    { stall: w.stalls['A-05'], terminal: w.terminal, terminalToken },
    { amount: '3000', paidAt: '2026-11-17T08:00:00Z' },
  );
  const officer = tokenFor({ role: 'officer', sub: 'officer-issued', regionId: w.regionA.id }, Date.parse(NOW));
  const fresh = await request(w.app)
    .get('/api/v1/reports/daily-collection')
    .query({ date: '2026-11-17' })
    .set('Authorization', `Bearer ${officer}`)
    .buffer(true)
    .parse(binaryParser as never);
  expect(fresh.headers['x-document-number']).not.toBe(number);
  const covers = await t
    .knex('documents')
    .whereIn('number', [number, fresh.headers['x-document-number']])
    .orderBy('number')
    .pluck('covers');
  expect(covers[0].total.amount).not.toBe(covers[1].total.amount); // the figures did change

  const again = await request(w.app)
    .get('/api/v1/reports/daily-collection')
    .query({ number })
    .set('Authorization', `Bearer ${officer}`)
    .buffer(true)
    .parse(binaryParser as never);
  expect(again.status).toBe(200);
  expect(again.headers['x-document-number']).toBe(number);
  expect(Buffer.compare(again.body, issued)).toBe(0);
});

test("a manager's list holds their market's documents only; a region's document by number is refused", async () => {
  const agent = await login(w.users.manager);
  // The manager asks for their market's collection report: it is listed, by their name.
  const mine = await download(agent, '/laporan/unduh/daily-collection?date=2026-11-17&format=pdf');
  expect(mine.status).toBe(200);
  const page = await agent.get('/laporan');
  const rows = listed(page.text);
  const row = rows.find((r) => r.number === mine.headers['x-document-number']);
  expect(row?.row).toContain('Hadi Susanto');
  // The schedule's region-wide reports are not the manager's.
  expect(rows.map((r) => r.number)).not.toContain(scheduled['daily-collection'].number);
  expect(rows.map((r) => r.number)).not.toContain(scheduled['daily-reconciliation'].number);
  const refused = await agent.get(`/laporan/unduh/daily-collection?number=${scheduled['daily-collection'].number}`);
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('Akses ditolak');
  // Another market's manager does not see it either.
  const other = await (await login(w.users.manager2)).get('/laporan');
  expect(listed(other.text).map((r) => r.number)).not.toContain(mine.headers['x-document-number']);
});

test('the list is per day: another day lists what was issued then', async () => {
  const agent = await login(w.users.officer);
  const yesterday = await agent.get('/laporan?terbit=2026-11-17');
  expect(yesterday.status).toBe(200);
  expect(listed(yesterday.text)).toEqual([]);
  expect(yesterday.text).toContain('Tidak ada laporan yang terbit pada 17 November 2026.');
  const today = await agent.get(`/laporan?terbit=${TODAY}`);
  expect(listed(today.text).length).toBeGreaterThanOrEqual(2);
  const bad = await agent.get('/laporan?terbit=kemarin');
  expect(bad.status).toBe(400);
});

test('a number is of its kind and stands alone; an unknown number or one whose file was not kept is not found', async () => {
  const officer = tokenFor({ role: 'officer', sub: 'officer-issued', regionId: w.regionA.id }, Date.parse(NOW));
  const ask = (kind: string, query: Record<string, string>) =>
    request(w.app).get(`/api/v1/reports/${kind}`).query(query).set('Authorization', `Bearer ${officer}`);
  const number = scheduled['daily-reconciliation'].number;
  expect((await ask('daily-collection', { number })).status).toBe(404);
  const mixed = await ask('daily-reconciliation', { number, date: '2026-11-17' });
  expect(mixed.status).toBe(400);
  expect(mixed.body.error.code).toBe('number-alone');
  expect((await ask('daily-reconciliation', { number, format: 'csv' })).status).toBe(400);
  expect((await ask('daily-reconciliation', { number: `${w.regionA.code}-LRH-2026-999999` })).status).toBe(404);
  // A document of another region is out of scope.
  const officerB = tokenFor({ role: 'officer', sub: 'officer-b-issued', regionId: w.regionB.id }, Date.parse(NOW));
  const foreign = await request(w.app)
    .get('/api/v1/reports/daily-reconciliation')
    .query({ number })
    .set('Authorization', `Bearer ${officerB}`);
  expect(foreign.status).toBe(403);
  // A document registered before the bytes were kept is listed, without a download.
  const old = `${w.regionA.code}-LRH-2026-000900`;
  await t.knex('documents').insert({
    region_id: w.regionA.id,
    number: old,
    kind: 'daily-reconciliation',
    title: 'LAPORAN REKONSILIASI HARIAN',
    covers: JSON.stringify({ date: '2026-11-16', subtitle: ['Tanggal transaksi: Senin, 16 November 2026'] }),
    sha256: 'a'.repeat(64),
    size_bytes: 1000,
    pages: 1,
    made_at: new Date(NOW),
    made_by: 'schedule',
  });
  expect((await ask('daily-reconciliation', { number: old })).status).toBe(404);
  const page = await (await login(w.users.officer)).get('/laporan');
  const row = listed(page.text).find((r) => r.number === old);
  expect(row?.href).toBeUndefined();
  expect(row?.row).toContain('Berkas tidak disimpan');
});

test('the database keeps only the bytes that were registered', async () => {
  const number = scheduled['daily-reconciliation'].number;
  const row = await t.knex('documents').where({ region_id: w.regionA.id, number }).first('content', 'sha256');
  expect(sha256(row.content)).toBe(row.sha256);
  await expect(
    t.knex('documents').insert({
      region_id: w.regionA.id,
      number: `${w.regionA.code}-LRH-2026-000901`,
      kind: 'daily-reconciliation',
      title: 'x',
      covers: '{}',
      sha256: row.sha256,
      size_bytes: row.content.length,
      made_at: new Date(NOW),
      content: Buffer.concat([row.content.subarray(0, -1), Buffer.from('x')]),
    }),
  ).rejects.toThrow(/documents_content_check/);
  // And, like the register, the bytes are never changed afterwards.
  await expect(
    t
      .knex('documents')
      .where({ region_id: w.regionA.id, number })
      .update({ content: Buffer.from('x') }),
  ).rejects.toThrow();
});
