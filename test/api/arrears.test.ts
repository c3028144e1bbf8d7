// Arrears as of a date: ageing buckets at their boundary days, arrears that stay with the trader
// they arose under, a past date that shows a debt paid since, penalty and credit, scope.
// Assessments come from the real daily assessment; payments from the card API (10:00 WIB).
import request from 'supertest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor, fixedClock } from '../support/app';
import * as make from '../support/make';
import { pay } from '../support/pay';
import { marketWorld } from '../support/world';
import { runPenalties } from '../../api/arrears/penalties.service';
import { arrearsRows } from '../../api/arrears/arrears.service';
import { registerReport } from '../../reports/registry';
import { arrearsReport } from '../../reports/kinds/arrears';
import { binaryParser, pdfText, rupiahValue } from '../support/pdf';
import type { Principal } from '../../api/auth/principal';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

// Two markets; a kios of 6 m² at Rp 500 owes Rp 3.000 a day.
async function world(o: { timeZone?: string } = {}) {
  const w = await marketWorld(t.knex, { markets: ['PASAR-A', 'PASAR-B'], timeZone: o.timeZone });
  return {
    ...w,
    market1: w.markets[0],
    market2: w.markets[1],
    occupied: (marketId: string, code: string, trader: string, tenancy: { from?: string; to?: string | null } = {}) =>
      w.occupy({ marketId, code, trader, ...tenancy }),
    /** A card payment read at 10:00 WIB on a local date, by the terminal of the stall's market. */
    pay: (stall: { id: string; market_id: string }, date: string, amount: string) =>
      pay(w.app, w.payer(stall), { amount, paidAt: `${date}T03:00:00Z` }),
    officer: { role: 'officer', sub: 'officer', regionId: w.region.id } as Principal,
  };
}

type World = Awaited<ReturnType<typeof world>>;

const get = (w: World, p: Principal, query: Record<string, string | number>) =>
  request(w.app)
    .get('/api/v1/arrears')
    .query(query)
    .set('Authorization', `Bearer ${tokenFor(p)}`);

test('ageing buckets at their boundary days: 1 and 30, 31 and 60, 61 and 90, 91; 0 days is not in arrears', async () => {
  const w = await world();
  // As of 2026-06-01, each stall was occupied (and assessed) on one day only, that many days before.
  const days: [code: string, date: string][] = [
    ['D000', '2026-06-01'],
    ['D001', '2026-05-31'],
    ['D030', '2026-05-02'],
    ['D031', '2026-05-01'],
    ['D060', '2026-04-02'],
    ['D061', '2026-04-01'],
    ['D090', '2026-03-03'],
    ['D091', '2026-03-02'],
  ];
  for (const [code, date] of days) await w.occupied(w.market1.id, code, `Pedagang ${code}`, { from: date, to: date });
  await w.assess(...days.map(([, d]) => d));
  const res = await get(w, w.officer, { asOf: '2026-06-01' });
  expect(res.status).toBe(200);
  const table = res.body.rows.map((r: Record<string, unknown>) => [
    r.stallCode,
    r.bucket1to30,
    r.bucket31to60,
    r.bucket61to90,
    r.bucketOver90,
    r.oldestUnpaidDate,
    r.maxDaysOverdue,
  ]);
  expect(table).toEqual([
    ['D001', '3000.00', '0.00', '0.00', '0.00', '2026-05-31', 1],
    ['D030', '3000.00', '0.00', '0.00', '0.00', '2026-05-02', 30],
    ['D031', '0.00', '3000.00', '0.00', '0.00', '2026-05-01', 31],
    ['D060', '0.00', '3000.00', '0.00', '0.00', '2026-04-02', 60],
    ['D061', '0.00', '0.00', '3000.00', '0.00', '2026-04-01', 61],
    ['D090', '0.00', '0.00', '3000.00', '0.00', '2026-03-03', 90],
    ['D091', '0.00', '0.00', '0.00', '3000.00', '2026-03-02', 91],
  ]);
  expect(res.body.totals).toEqual({
    rows: 7,
    bucket1to30: '6000.00',
    bucket31to60: '6000.00',
    bucket61to90: '6000.00',
    bucketOver90: '3000.00',
    principal: '21000.00',
    penalty: '0.00',
    credit: '0.00',
    total: '21000.00',
  });
});

test('arrears stay with the trader they arose under after another trader takes the stall', async () => {
  const w = await world();
  // Ani holds K-01 until 05-10, Budi from 05-11. Days 05-08..05-10 are Ani's, 05-11 and 05-12
  // Budi's. Budi pays Rp 3.000 on 05-12: his oldest day (05-11), never Ani's.
  const { stall, trader: ani } = await w.occupied(w.market1.id, 'K-01', 'Ani', {
    from: '2026-05-01',
    to: '2026-05-10',
  });
  const budi = await make.trader(t.knex, w.region.id, { name: 'Budi' });
  await make.tenancy(t.knex, w.region.id, stall.id, budi.id, { from: '2026-05-11' });
  await w.assess('2026-05-08', '2026-05-09', '2026-05-10', '2026-05-11', '2026-05-12');
  const paid = await w.pay(stall, '2026-05-12', '3000');
  expect(paid.allocations).toEqual([
    { kind: 'principal', assessmentId: expect.any(String), businessDate: '2026-05-11', amount: '3000.00' },
  ]);
  const res = await get(w, w.officer, { asOf: '2026-05-20' });
  expect(
    res.body.rows.map((r: Record<string, unknown>) => [
      r.stallCode,
      r.traderId,
      r.principal,
      r.oldestUnpaidDate,
      r.maxDaysOverdue,
    ]),
  ).toEqual([
    ['K-01', ani.id, '9000.00', '2026-05-08', 12],
    ['K-01', budi.id, '3000.00', '2026-05-12', 8],
  ]);
  // Budi's view of his own debts is filtered by trader: Ani's days are not in it.
  const mine = await get(w, w.officer, { asOf: '2026-05-20', traderId: budi.id });
  expect(mine.body.rows.map((r: Record<string, unknown>) => [r.traderName, r.principal])).toEqual([
    ['Budi', '3000.00'],
  ]);
  expect(mine.body.totals.principal).toBe('3000.00');
});

test('as of a past date the list shows a debt that was paid later, partly or in full', async () => {
  const w = await world();
  const { stall } = await w.occupied(w.market1.id, 'L-07', 'Citra');
  await w.assess('2026-04-01');
  await w.pay(stall, '2026-04-05', '1000');
  await w.pay(stall, '2026-04-20', '2000');
  const asOf = async (d: string) =>
    (await get(w, w.officer, { asOf: d })).body.rows.map((r: Record<string, unknown>) => [
      r.principal,
      r.maxDaysOverdue,
    ]);
  expect(await asOf('2026-04-01')).toEqual([]); // due that day, not yet past due
  expect(await asOf('2026-04-04')).toEqual([['3000.00', 3]]);
  expect(await asOf('2026-04-05')).toEqual([['2000.00', 4]]); // the 04-05 payment counts on its day
  expect(await asOf('2026-04-19')).toEqual([['2000.00', 18]]);
  expect(await asOf('2026-04-20')).toEqual([]);
});

test('penalty as charged by the date is listed; credit the trader holds settles it in the run', async () => {
  const w = await world();
  await t
    .knex('penalty_rules')
    .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
  const dewi = await w.occupied(w.market1.id, 'P-01', 'Dewi');
  const eko = await w.occupied(w.market1.id, 'P-02', 'Eko');
  await w.assess('2026-03-10');
  // On 04-15 Dewi pays Rp 5.000: Rp 3.000 settles 03-10 (late), Rp 2.000 becomes credit; Eko pays
  // exactly his Rp 3.000.
  await w.pay(dewi.stall, '2026-04-15', '5000');
  await w.pay(eko.stall, '2026-04-15', '3000');
  // Run 05-01: for each, month 1 (from 03-11) and month 2 (from 04-11) on Rp 3.000 at 1% = 30 + 30;
  // Dewi's credit then settles her Rp 60 at once (two charges).
  expect(await runPenalties(w.deps, w.region.id, '2026-05-01')).toMatchObject({
    charges: 4,
    amount: '120.00',
    creditApplied: 2,
  });
  const asOf = async (d: string) =>
    (await get(w, w.officer, { asOf: d })).body.rows.map((r: Record<string, unknown>) => [
      r.stallCode,
      r.bucket31to60,
      r.principal,
      r.penalty,
      r.credit,
      r.total,
      r.oldestUnpaidDate,
    ]);
  // 04-14: 35 days overdue, no payment yet, the penalty run (05-01) not yet made.
  expect(await asOf('2026-04-14')).toEqual([
    ['P-01', '3000.00', '3000.00', '0.00', '0.00', '3000.00', '2026-03-10'],
    ['P-02', '3000.00', '3000.00', '0.00', '0.00', '3000.00', '2026-03-10'],
  ]);
  // 05-01: principal paid; Eko owes the penalty; Dewi's was paid from her credit, she owes nothing.
  expect(await asOf('2026-05-01')).toEqual([['P-02', '0.00', '0.00', '60.00', '0.00', '60.00', null]]);
  const credit = await t
    .knex('journal_lines as jl')
    .join('accounts as ac', function () {
      this.on('ac.region_id', 'jl.region_id').andOn('ac.id', 'jl.account_id');
    })
    .where({ 'jl.region_id': w.region.id, 'jl.stall_id': dewi.stall.id, 'ac.purpose': 'trader_credit' })
    .first(t.knex.raw('sum(jl.credit - jl.debit)::text as bal'));
  expect(credit.bal).toBe('1940.00');
});

describe('scope', () => {
  let w: World;
  let other: World;
  beforeAll(async () => {
    w = await world();
    other = await world();
    await w.occupied(w.market1.id, 'M1-01', 'Eka');
    await w.occupied(w.market2.id, 'M2-01', 'Fajar');
    await w.assess('2026-05-01');
  });
  const manager = (marketId: string): Principal => ({ role: 'manager', sub: 'm', regionId: w.region.id, marketId });
  const stalls = (res: request.Response) => res.body.rows.map((r: { stallCode: string }) => r.stallCode);

  test('a manager sees their own market without asking, and may name it', async () => {
    const own = await get(w, manager(w.market1.id), { asOf: '2026-05-10' });
    expect([own.status, own.body.marketId, stalls(own)]).toEqual([200, w.market1.id, ['M1-01']]);
    const named = await get(w, manager(w.market1.id), { asOf: '2026-05-10', marketId: w.market1.id });
    expect(stalls(named)).toEqual(['M1-01']);
  });

  test('a manager asking for another market, or another region, is refused', async () => {
    expect((await get(w, manager(w.market1.id), { marketId: w.market2.id })).status).toBe(403);
    expect((await get(w, manager(w.market1.id), { regionId: other.region.id })).status).toBe(403);
  });

  test('an officer sees the whole region, with totals per market; not another region', async () => {
    const res = await get(w, w.officer, { asOf: '2026-05-10' });
    expect(stalls(res)).toEqual(['M1-01', 'M2-01']);
    expect(res.body.byMarket.map((m: Record<string, unknown>) => [m.marketCode, m.rows, m.principal])).toEqual([
      [w.market1.code, 1, '3000.00'], // the one day assessed, 05-01
      [w.market2.code, 1, '3000.00'],
    ]);
    expect(res.body.totals.principal).toBe('6000.00');
    expect((await get(w, other.officer, { regionId: w.region.id })).status).toBe(403);
    expect((await get(w, other.officer, { marketId: w.market1.id })).status).toBe(403);
  });

  test('auditors and the admin read; collectors and terminals do not', async () => {
    expect((await get(w, { role: 'auditor', sub: 'a', regionId: w.region.id }, { asOf: '2026-05-10' })).status).toBe(
      200,
    );
    expect((await get(w, { role: 'admin', sub: 'a' }, { regionId: w.region.id })).status).toBe(200);
    expect(
      (await get(w, { role: 'collector', sub: 'c', regionId: w.region.id, marketId: w.market1.id }, {})).status,
    ).toBe(403);
    const term = await make.terminal(t.knex, w.region.id, w.market1.id, (await make.acquirer(t.knex, w.region.id)).id);
    expect(
      (
        await get(
          w,
          { role: 'terminal', sub: term.id, terminalId: term.id, regionId: w.region.id, marketId: w.market1.id },
          {},
        )
      ).status,
    ).toBe(403);
  });

  test('the admin must name a region; bad input names the field', async () => {
    const res = await get(w, { role: 'admin', sub: 'a' }, {});
    expect([res.status, res.body.error.details[0].field]).toEqual([400, 'regionId']);
    const bad = await get(w, w.officer, { asOf: '2026-02-30' });
    expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'asOf']);
    const unknown = await get(w, w.officer, { colour: 'red' });
    expect([unknown.status, unknown.body.error.details[0].field]).toEqual([400, 'colour']);
  });

  test('a page of rows carries the totals of the whole list', async () => {
    const res = await get(w, w.officer, { asOf: '2026-05-10', limit: 1, offset: 1 });
    expect([stalls(res), res.body.totals.rows, res.body.limit, res.body.offset]).toEqual([['M2-01'], 2, 1, 1]);
  });
});

test("asOf defaults to the region's local today", async () => {
  const w = await world({ timeZone: 'Asia/Jayapura' });
  // 17:30 UTC on 06-01 is 02:30 on 06-02 in Jayapura (WIT, UTC+9).
  const { app } = testApp(t.knex, fixedClock('2026-06-01T17:30:00Z'));
  const res = await request(app)
    .get('/api/v1/arrears')
    .set('Authorization', `Bearer ${tokenFor(w.officer, Date.parse('2026-06-01T17:30:00Z'))}`);
  expect([res.status, res.body.asOf]).toEqual([200, '2026-06-02']);
});

test('the streamed list gives the same rows in the same order as one page, however small its batches', async () => {
  const w = await world();
  // Stalls in both markets, one of them owed by two successive occupants of the same name (told
  // apart by their ids, the last key of the list's order).
  const { stall, trader: first } = await w.occupied(w.market1.id, 'S-2', 'Gita', {
    from: '2026-05-01',
    to: '2026-05-02',
  });
  const second = await make.trader(t.knex, w.region.id, { name: 'Gita' });
  await make.tenancy(t.knex, w.region.id, stall.id, second.id, { from: '2026-05-03' });
  const [gita1, gita2] = [first.id, second.id].sort();
  for (const code of ['S-1', 'S-3', 'S-4']) await w.occupied(w.market1.id, code, `Pedagang ${code}`);
  const paidUp = await w.occupied(w.market2.id, 'S-5', 'Indah');
  await w.occupied(w.market2.id, 'S-6', 'Joko');
  await w.assess('2026-05-01', '2026-05-02', '2026-05-03');
  await w.pay(paidUp.stall, '2026-05-03', '9000'); // S-5 owes nothing: no row
  const q = { regionId: w.region.id, asOf: '2026-05-10' };
  const key = (r: { stallCode: string; traderName: string; traderId: string }) =>
    `${r.stallCode} ${r.traderName} ${r.traderId.slice(0, 8)}`;
  const page = (await get(w, w.officer, q)).body.rows.map(key);
  const id8 = (id: string) => id.slice(0, 8);
  expect(page.map((k: string) => k.replace(/ [0-9a-f]{8}$/, ''))).toEqual([
    'S-1 Pedagang S-1',
    'S-2 Gita',
    'S-2 Gita',
    'S-3 Pedagang S-3',
    'S-4 Pedagang S-4',
    'S-6 Joko',
  ]);
  expect(page.slice(1, 3)).toEqual([`S-2 Gita ${id8(gita1)}`, `S-2 Gita ${id8(gita2)}`]);
  for (const batch of [1, 2, 3, 100]) {
    const streamed: string[] = [];
    for await (const r of arrearsRows(w.deps, q, batch)) streamed.push(key(r));
    expect(streamed).toEqual(page);
  }
});

describe('DAFTAR TUNGGAKAN (DTG) as PDF and CSV', () => {
  registerReport(arrearsReport);
  // As of 2026-06-01. Three markets. Days assessed for every occupant: 02-01 (120 days overdue),
  // 03-20 (73), 04-15 (47), 05-25 (7), Rp 3.000 each. A penalty run (1%) as of 05-01 charged,
  // per stall then occupied and unpaid: 02-01 three months (from 02-02, 03-02, 04-02) = 90,
  // 03-20 two (03-21, 04-21) = 60, 04-15 one (04-16) = 30: Rp 180.
  //   PASAR-A  A-01 Ani   pays nothing: 3.000 in each bucket, principal 12.000, penalty 180 = 12.180
  //            A-02 Budi  pays 12.000 on 05-26, settled oldest month first, each month's principal
  //                       then its penalty: 02 3.000 + 90, 03 3.000 + 60, 04 3.000 + 30, then 2.820
  //                       of 05-25: owes 180 principal (1–30 days), no penalty, no credit
  //   PASAR-B  B-01 Eko   occupies from 05-26: nothing assessed, no arrears
  //   PASAR-C  C-01 Dedi  occupies from 05-01: only 05-25, 3.000 in 1–30 days
  // Totals: 1–30 6.180, 31–60 3.000, 61–90 3.000, >90 3.000, principal 15.180, penalty 180,
  // credit 0, owed 15.360.
  let w: World;
  let full: ReturnType<typeof testApp>['app'];
  let markets: Record<'A' | 'B' | 'C', { id: string; code: string }>;
  beforeAll(async () => {
    w = await world();
    full = testApp(t.knex).app;
    const c = await make.market(t.knex, w.region.id, { code: 'PASAR-C' });
    markets = { A: w.market1, B: w.market2, C: c };
    await t
      .knex('penalty_rules')
      .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
    await w.occupied(w.market1.id, 'A-01', 'Ani');
    const budi = await w.occupied(w.market1.id, 'A-02', 'Budi');
    await w.occupied(w.market2.id, 'B-01', 'Eko', { from: '2026-05-26' });
    await w.occupied(c.id, 'C-01', 'Dedi', { from: '2026-05-01' });
    await w.assess('2026-02-01', '2026-03-20', '2026-04-15');
    expect(await runPenalties(w.deps, w.region.id, '2026-05-01')).toMatchObject({ charges: 12, amount: '360.00' });
    await w.assess('2026-05-25');
    await w.pay(budi.stall, '2026-05-26', '12000');
  });

  const pdfOf = async (who: Principal, query: Record<string, string>) => {
    const res = await request(full)
      .get('/api/v1/reports/arrears')
      .query(query)
      .set('Authorization', `Bearer ${tokenFor(who)}`)
      .buffer(true)
      .parse(binaryParser as never);
    if (process.env.REPORT_PDF_DIR && res.status === 200) {
      mkdirSync(process.env.REPORT_PDF_DIR, { recursive: true });
      writeFileSync(
        path.join(process.env.REPORT_PDF_DIR, `${res.headers['x-document-number']}-arrears.pdf`),
        res.body as Buffer,
      );
    }
    return {
      status: res.status,
      number: res.headers['x-document-number'] as string,
      text: res.status === 200 ? pdfText(res.body as Buffer, { layout: true }).text : '',
    };
  };
  /** The rupiah amounts on the first line of the PDF text that starts with label (a market's
   * subtotal reads "JUMLAH   PASAR-A (2 pedagang)"), as plain decimals. */
  const amountsOn = (text: string, label: string | RegExp) => {
    const line = text
      .split('\n')
      .find((l) => (typeof label === 'string' ? l.trim().startsWith(label) : label.test(l.trim())));
    if (!line) throw new Error(`no line starts with ${label}`);
    return (line.match(/-?Rp [\d.]+(?:,\d{2})?/g) ?? []).map(rupiahValue);
  };

  test("an officer's region-wide list: a section per market, subtotals, and the grand total", async () => {
    const { status, number, text } = await pdfOf(w.officer, { asOf: '2026-06-01' });
    expect(status).toBe(200);
    expect(number).toMatch(new RegExp(`^${w.region.code}-DTG-\\d{4}-\\d{6}$`));
    expect(text).toContain('DAFTAR TUNGGAKAN RETRIBUSI PASAR');
    expect(text).toContain('Per tanggal: Senin, 1 Juni 2026');
    expect(text).toContain('Pasar: semua pasar (3)');
    expect(amountsOn(text, 'Jumlah tunggakan')).toEqual(['15360.00']);
    expect(amountsOn(text, '1 A-01')).toEqual([
      '3000.00',
      '3000.00',
      '3000.00',
      '3000.00',
      '12000.00',
      '180.00',
      '0.00',
      '12180.00',
    ]);
    expect(amountsOn(text, '2 A-02')).toEqual(['180.00', '0.00', '0.00', '0.00', '180.00', '0.00', '0.00', '180.00']);
    expect(amountsOn(text, /^JUMLAH\s+PASAR-A /)).toEqual([
      '3180.00',
      '3000.00',
      '3000.00',
      '3000.00',
      '12180.00',
      '180.00',
      '0.00',
      '12360.00',
    ]);
    expect(text).toMatch(/Pasar Uji \(PASAR-B\)\s+Tidak ada tunggakan per 1 Juni 2026\./);
    expect(amountsOn(text, /^JUMLAH\s+PASAR-C /)).toEqual([
      '3000.00',
      '0.00',
      '0.00',
      '0.00',
      '3000.00',
      '0.00',
      '0.00',
      '3000.00',
    ]);
    expect(amountsOn(text, 'JUMLAH SELURUH PASAR')).toEqual([
      '6180.00',
      '3000.00',
      '3000.00',
      '3000.00',
      '15180.00',
      '180.00',
      '0.00',
      '15360.00',
    ]);
    const doc = await t.knex('documents').where({ region_id: w.region.id, number }).first('kind', 'covers');
    expect(doc.kind).toBe('arrears');
    expect(doc.covers).toMatchObject({
      asOf: '2026-06-01',
      rows: 3,
      principal: '15180.00',
      penalty: '180.00',
      credit: '0.00',
      total: '15360.00',
    });
    expect(doc.covers.markets.map((m: { code: string; total: string }) => [m.code, m.total])).toEqual([
      ['PASAR-A', '12360.00'],
      ['PASAR-C', '3000.00'],
    ]);
  });

  test('the CSV has the same rows and a TOTAL equal to the PDF grand total', async () => {
    const res = await request(full)
      .get('/api/v1/reports/arrears')
      .query({ asOf: '2026-06-01', format: 'csv' })
      .set('Authorization', `Bearer ${tokenFor(w.officer)}`);
    expect(res.status).toBe(200);
    const rows = res.text
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual([
      'per_tanggal',
      'kode_pasar',
      'pasar',
      'kode_tempat',
      'jenis',
      'blok',
      'pedagang',
      'hari_1_30',
      'hari_31_60',
      'hari_61_90',
      'lebih_90_hari',
      'pokok',
      'sanksi_bunga',
      'titipan',
      'jumlah',
      'tertua',
      'umur_hari',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        '2026-06-01',
        'PASAR-A',
        'Pasar Uji',
        'A-01',
        'kios',
        'A',
        'Ani',
        '3000.00',
        '3000.00',
        '3000.00',
        '3000.00',
        '12000.00',
        '180.00',
        '0.00',
        '12180.00',
        '2026-02-01',
        '120',
      ],
      [
        '2026-06-01',
        'PASAR-A',
        'Pasar Uji',
        'A-02',
        'kios',
        'A',
        'Budi',
        '180.00',
        '0.00',
        '0.00',
        '0.00',
        '180.00',
        '0.00',
        '0.00',
        '180.00',
        '2026-05-25',
        '7',
      ],
      [
        '2026-06-01',
        'PASAR-C',
        'Pasar Uji',
        'C-01',
        'kios',
        'A',
        'Dedi',
        '3000.00',
        '0.00',
        '0.00',
        '0.00',
        '3000.00',
        '0.00',
        '0.00',
        '3000.00',
        '2026-05-25',
        '7',
      ],
      [
        'TOTAL',
        '',
        '',
        '',
        '',
        '',
        '3',
        '6180.00',
        '3000.00',
        '3000.00',
        '3000.00',
        '15180.00',
        '180.00',
        '0.00',
        '15360.00',
        '',
        '',
      ],
    ]);
    const pdf = await pdfOf(w.officer, { asOf: '2026-06-01' });
    expect(rows[rows.length - 1].slice(7, 15)).toEqual(amountsOn(pdf.text, 'JUMLAH SELURUH PASAR'));
    // Each report's snapshot ended with its last row: no connection is left inside a transaction.
    const open = await t.knex.raw(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
    );
    expect(open.rows[0].n).toBe(0);
  });

  test("a manager's list is their own market; another market is refused", async () => {
    const manager: Principal = { role: 'manager', sub: 'm', regionId: w.region.id, marketId: markets.A.id };
    const { status, text } = await pdfOf(manager, { asOf: '2026-06-01' });
    expect(status).toBe(200);
    expect(text).toContain('Pasar: Pasar Uji (PASAR-A)');
    expect(text).not.toContain('PASAR-C');
    expect(amountsOn(text, 'JUMLAH SELURUH PASAR')).toEqual([
      '3180.00',
      '3000.00',
      '3000.00',
      '3000.00',
      '12180.00',
      '180.00',
      '0.00',
      '12360.00',
    ]);
    expect((await pdfOf(manager, { asOf: '2026-06-01', marketId: markets.C.id })).status).toBe(403);
  });
});
