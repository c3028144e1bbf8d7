// An STRD is paid when what it bills is paid (issue 16): the principal of each day it lists and
// the penalty it billed on them. Its status (open, partly-paid, paid) and what of it is paid show
// in the letters API, on the letter list pages and in the STRD CSV; a payment that settles only
// days the letter does not list leaves it as it was.
//
// Ani holds kios A (6 m², Rp 3.000 a day) and, from September, kios B (4 m², Rp 2.000 a day).
// August 3-5 on A are warned on 08-12 (Rp 9.000). The penalty run of 09-10 charges 1% a month:
// months 1 and 2 of each August day (6 x Rp 30 = Rp 180) and month 1 of each September day (A: Rp
// 30, B: Rp 20). On 09-10 the STRD bills A's August (Rp 9.000 + Rp 180 = Rp 9.180) and a warning
// bills September 1-2 of A and B (Rp 10.000, no penalty).
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { postLogin } from '../support/pages-session';
import { tokenFor } from '../support/app';
import * as make from '../support/make';
import { ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import { binaryParser } from '../support/pdf';
import { marketWorld, type MarketWorld } from '../support/world';
import { runPenalties } from '../../api/arrears/penalties.service';
import { issueLetters } from '../../api/letters/letters.service';
import { letterDetailSchema, letterListSchema } from '../../api/letters/letters.schemas';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

async function strdWorld() {
  const w: MarketWorld = await marketWorld(t.knex);
  await t
    .knex('penalty_rules')
    .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
  const ani = await make.trader(t.knex, w.region.id, { name: 'Ani Rahayu' });
  const a = await make.stall(t.knex, w.region.id, w.market.id, { areaM2: '6', code: 'A-01' });
  const b = await make.stall(t.knex, w.region.id, w.market.id, { areaM2: '4', code: 'B-01' });
  await make.tenancy(t.knex, w.region.id, a.id, ani.id);
  await make.tenancy(t.knex, w.region.id, b.id, ani.id, { from: '2026-09-01' });
  const issue = (asOf: string) =>
    issueLetters(w.deps, { regionId: w.region.id, marketId: w.market.id, asOf, issuedBy: 'test' });

  await w.assess('2026-08-03', '2026-08-04', '2026-08-05');
  const warning = await issue('2026-08-12');
  await w.assess('2026-09-01', '2026-09-02');
  const run = await runPenalties(w.deps, w.region.id, '2026-09-10');
  const issued = await issue('2026-09-10');
  const strd = issued.letters.find((l) => l.kind === 'strd')!;
  const september = issued.letters.find((l) => l.kind === 'warning')!;

  const officerUser = await make.user(t.knex, 'officer', { regionId: w.region.id });
  const officer = `Bearer ${tokenFor({ role: 'officer', sub: officerUser.id, regionId: w.region.id })}`;

  /** A card payment at the market's terminal, read at noon (WIB) on a local date. */
  const payOn = (stall: { id: string; market_id: string }, amount: string, date: string) =>
    pay(w.app, w.payer(stall), { amount, paidAt: `${date}T05:00:00Z` });

  /** The letter as GET /letters lists it (the answer checked against its documented schema). */
  const listed = async (id: string) => {
    const res = await request(w.app)
      .get('/api/v1/letters')
      .query({ marketId: w.market.id })
      .set('Authorization', officer);
    expect(res.status).toBe(200);
    const body = letterListSchema.parse(res.body);
    return body.letters.find((l) => l.id === id)!;
  };
  const detail = async (id: string) => {
    const res = await request(w.app).get(`/api/v1/letters/${id}`).set('Authorization', officer);
    expect(res.status).toBe(200);
    return letterDetailSchema.parse(res.body);
  };
  /** The STRD CSV of 09-10, as lines. */
  const csv = async () => {
    const res = await request(w.app)
      .get('/api/v1/reports/strd')
      .query({ marketId: w.market.id, date: '2026-09-10', format: 'csv' })
      .set('Authorization', officer)
      .buffer(true)
      .parse(binaryParser as never);
    expect(res.status).toBe(200);
    return (res.body as Buffer).toString('utf8').split('\r\n');
  };

  // The pages, as the officer sees them after logging in through the form.
  const { agent, res: login } = await postLogin(w.app, officerUser);
  expect(login.status).toBe(303);
  /** The status badge of a letter's row on a page: [data-status, label]. */
  const badge = (page: string, number: string) => {
    const row = page.split('<tr>').find((r) => r.includes(`<th scope="row">${number}</th>`));
    const m = row && /data-status="([^"]+)">([^<]+)<\/span>/.exec(row);
    return m ? [m[1], m[2]] : undefined;
  };
  const onLettersPage = async (number: string) => {
    const res = await agent.get('/kelola/surat').query({ marketId: w.market.id });
    expect(res.status).toBe(200);
    return badge(res.text, number);
  };
  const onStallPage = async (stallId: string, number: string) => {
    const res = await agent.get(`/kelola/los/${stallId}`);
    expect(res.status).toBe(200);
    return badge(res.text, number);
  };

  return {
    ...w,
    ani,
    a,
    b,
    warning,
    run,
    strd,
    september,
    payOn,
    listed,
    detail,
    csv,
    onLettersPage,
    onStallPage,
  };
}

const settled = (l: { status: string; paid: string; outstanding: string }) => [l.status, l.paid, l.outstanding];

test('an STRD is open, partly paid, then paid as what it bills is paid, in the API, the pages and the CSV', async () => {
  const w = await strdWorld();
  expect(w.warning.letters.map((l) => [l.kind, l.principal])).toEqual([['warning', '9000.00']]);
  expect(w.run.amount).toBe('280.00'); // 6 x 30 on August, 2 x 30 + 2 x 20 on September
  expect(w.strd).toMatchObject({ principal: '9000.00', penalty: '180.00', total: '9180.00', items: 3 });
  expect(w.september).toMatchObject({ principal: '10000.00', penalty: '0.00', items: 4 });

  // Nothing paid yet: open everywhere.
  expect(settled(await w.listed(w.strd.id))).toEqual(['open', '0.00', '9180.00']);
  expect(settled(await w.detail(w.strd.id))).toEqual(['open', '0.00', '9180.00']);
  expect(await w.onLettersPage(w.strd.number)).toEqual(['open', 'Belum dibayar']);
  expect(await w.onStallPage(w.a.id, w.strd.number)).toEqual(['open', 'Belum dibayar']);
  const code = w.region.code;
  expect(await w.csv()).toEqual([
    'Nomor,Pedagang,Tempat Usaha,Pokok,Sanksi Bunga,Jumlah,Jatuh Tempo,Dibayar,Sisa,Status',
    `00001/STRD/${code}/2026,Ani Rahayu,A-01,9000.00,180.00,9180.00,2026-10-10,0.00,9180.00,belum_dibayar`,
    'TOTAL,,,9000.00,180.00,9180.00,,0.00,9180.00,',
    '',
  ]);

  // Kios B's September: days the STRD does not list. The STRD stays open; the September warning,
  // which lists them, is partly paid.
  const onB = await w.payOn(w.b, '4000', '2026-09-12');
  expect(onB).toMatchObject({ principal: '4000.00', penalty: '0.00' });
  expect(settled(await w.listed(w.strd.id))).toEqual(['open', '0.00', '9180.00']);
  expect(settled(await w.listed(w.september.id))).toEqual(['partly-paid', '4000.00', '6000.00']);
  expect(await w.onLettersPage(w.september.number)).toEqual(['partly-paid', 'Dibayar sebagian']);

  // Rp 5.000 on kios A: 08-03 and Rp 2.000 of 08-04, the oldest month's principal first.
  await w.payOn(w.a, '5000', '2026-09-14');
  expect(settled(await w.listed(w.strd.id))).toEqual(['partly-paid', '5000.00', '4180.00']);
  const lines = (await w.detail(w.strd.id)).lines.map((l) => [l.businessDate, l.paid, l.outstanding]);
  expect(lines).toEqual([
    ['2026-08-03', '3000.00', '60.00'],
    ['2026-08-04', '2000.00', '1060.00'],
    ['2026-08-05', '0.00', '3060.00'],
  ]);
  expect(await w.onLettersPage(w.strd.number)).toEqual(['partly-paid', 'Dibayar sebagian']);
  expect(await w.onStallPage(w.a.id, w.strd.number)).toEqual(['partly-paid', 'Dibayar sebagian']);
  expect((await w.csv())[1]).toBe(
    `00001/STRD/${code}/2026,Ani Rahayu,A-01,9000.00,180.00,9180.00,2026-10-10,5000.00,4180.00,dibayar_sebagian`,
  );

  // The rest of August's principal, then half of its penalty: all the principal is settled, not
  // all the penalty the STRD billed, so it is still partly paid.
  const rest = await w.payOn(w.a, '4090', '2026-09-15');
  expect(rest).toMatchObject({ principal: '4000.00', penalty: '90.00', credit: '0.00' });
  const kinds = (rest.allocations as { kind: string }[]).map((x) => x.kind);
  expect(kinds.indexOf('penalty')).toBeGreaterThan(kinds.lastIndexOf('principal')); // principal, then penalty
  expect(settled(await w.listed(w.strd.id))).toEqual(['partly-paid', '9090.00', '90.00']);

  // The last Rp 90 of August's penalty: paid.
  const last = await w.payOn(w.a, '90', '2026-09-16');
  expect(last).toMatchObject({ principal: '0.00', penalty: '90.00', credit: '0.00' });
  expect(settled(await w.listed(w.strd.id))).toEqual(['paid', '9180.00', '0.00']);
  expect(settled(await w.detail(w.strd.id))).toEqual(['paid', '9180.00', '0.00']);
  expect(await w.onLettersPage(w.strd.number)).toEqual(['paid', 'Lunas']);
  expect(await w.onStallPage(w.a.id, w.strd.number)).toEqual(['paid', 'Lunas']);
  expect(await w.csv()).toEqual([
    'Nomor,Pedagang,Tempat Usaha,Pokok,Sanksi Bunga,Jumlah,Jatuh Tempo,Dibayar,Sisa,Status',
    `00001/STRD/${code}/2026,Ani Rahayu,A-01,9000.00,180.00,9180.00,2026-10-10,9180.00,0.00,lunas`,
    'TOTAL,,,9000.00,180.00,9180.00,,9180.00,0.00,',
    '',
  ]);
  // The September warning was not touched by August's money.
  expect(settled(await w.listed(w.september.id))).toEqual(['partly-paid', '4000.00', '6000.00']);

  // Kios A's September principal: the September warning is paid (it bills no penalty, so the
  // Rp 60 of September's penalty still owed on A does not hold it back); the STRD stays paid.
  const sept = await w.payOn(w.a, '6000', '2026-09-17');
  expect(sept).toMatchObject({ principal: '6000.00', penalty: '0.00' });
  expect(settled(await w.listed(w.september.id))).toEqual(['paid', '10000.00', '0.00']);
  expect(await w.onStallPage(w.b.id, w.september.number)).toEqual(['paid', 'Lunas']);
  expect(settled(await w.listed(w.strd.id))).toEqual(['paid', '9180.00', '0.00']);

  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

/** Penalties first (as a Perda may require): a payment during the grace settles penalty of days
 * whose principal is still open, days that then go into the STRD. Budi's kios (Rp 3.000 a day):
 * 08-03 and 08-04 warned on 08-11, month 1 of each charged Rp 30 by the run of 08-20, and Rp 30
 * paid on 08-21 (08-03's penalty). */
async function penaltyFirstWorld() {
  const w = await marketWorld(t.knex);
  await t.knex('regions').where({ id: w.region.id }).update({ allocation_order: 'penalty-first' });
  await t
    .knex('penalty_rules')
    .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
  const { stall } = await w.occupy({ trader: 'Budi', areaM2: '6' });
  const issue = async (asOf: string) =>
    (await issueLetters(w.deps, { regionId: w.region.id, marketId: w.market.id, asOf, issuedBy: 'test' })).letters;
  await w.assess('2026-08-03', '2026-08-04');
  await issue('2026-08-11');
  await runPenalties(w.deps, w.region.id, '2026-08-20');
  const payOn = (amount: string, date: string) => pay(w.app, w.payer(stall), { amount, paidAt: `${date}T05:00:00Z` });
  expect(await payOn('30', '2026-08-21')).toMatchObject({ principal: '0.00', penalty: '30.00' });
  const officer = `Bearer ${tokenFor({ role: 'officer', sub: 'officer-1', regionId: w.region.id })}`;
  const detail = async (id: string) =>
    (await request(w.app).get(`/api/v1/letters/${id}`).set('Authorization', officer)).body;
  return { ...w, issue, payOn, detail };
}

test('an STRD bills only the penalty still unpaid on its date, so what was paid before it is not counted paid on it', async () => {
  const w = await penaltyFirstWorld();
  const [strd] = await w.issue('2026-08-25');
  expect(strd).toMatchObject({ kind: 'strd', principal: '6000.00', penalty: '30.00', total: '6030.00', items: 2 });
  const d = await w.detail(strd.id);
  expect([d.status, d.paid, d.outstanding]).toEqual(['open', '0.00', '6030.00']);
  expect(d.lines.map((l: { penalty: string }) => l.penalty)).toEqual(['0.00', '30.00']);
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('an STRD dated before a later payment bills the penalty unpaid on its date, and that payment counts on it', async () => {
  const w = await penaltyFirstWorld();
  expect(await w.payOn('30', '2026-08-27')).toMatchObject({ principal: '0.00', penalty: '30.00' }); // 08-04's
  const [strd] = await w.issue('2026-08-25'); // as of a date before that payment
  expect(strd).toMatchObject({ kind: 'strd', principal: '6000.00', penalty: '30.00', total: '6030.00' });
  const d = await w.detail(strd.id);
  expect([d.status, d.paid, d.outstanding]).toEqual(['partly-paid', '30.00', '6000.00']);
  expect(d.lines.map((l: { penalty: string; paid: string }) => [l.penalty, l.paid])).toEqual([
    ['0.00', '0.00'],
    ['30.00', '30.00'],
  ]);
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});
