import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { tokenFor } from '../support/app';
import * as make from '../support/make';
import { ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import { waitForLockWaiters } from '../support/wait';
import { marketWorld, type MarketWorld } from '../support/world';
import { staffPrincipal } from '../support/region-world';
import { accountId } from '../../api/ledger/accounts.repository';
import { issueLetters, issueLettersIn, type IssueResult } from '../../api/letters/letters.service';
import { dayRanges, terbilang } from '../../reports/kinds/letters';
import { binaryParser, pdfText } from '../support/pdf';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb(20);
});
afterAll(() => t.drop());

/** A region with its markets (one unless told), a Rp 500/m²/day kios tariff (a 6 m² kios owes
 * Rp 3.000 a day) and a card terminal in each; the app and its deps. */
const world = (o: { markets?: number; regionName?: string } = {}) => marketWorld(t.knex, o);
type World = MarketWorld;

/** A trader occupying kios stalls of the given areas (m²) in a market. */
async function trader(w: World, name: string, areas: string[] = ['6'], marketId = w.market.id, codes: string[] = []) {
  const tr = await make.trader(t.knex, w.region.id, { name });
  const stalls = [];
  for (const [i, areaM2] of areas.entries()) {
    const s = await make.stall(t.knex, w.region.id, marketId, { areaM2, code: codes[i] });
    await make.tenancy(t.knex, w.region.id, s.id, tr.id);
    stalls.push(s);
  }
  return { ...tr, stalls };
}

/** A card payment read at noon (WIB) on a local date. */
const payOn = (w: World, stall: { id: string; market_id: string }, amount: string, date: string) =>
  pay(w.app, w.payer(stall), { amount, paidAt: `${date}T05:00:00Z` });

const issue = (w: World, asOf: string, marketId = w.market.id) =>
  issueLetters(w.deps, { regionId: w.region.id, marketId, asOf, issuedBy: 'test' });

const brief = (r: IssueResult) =>
  r.letters.map((l) => ({
    kind: l.kind,
    number: l.number,
    trader: l.trader.name,
    principal: l.principal,
    penalty: l.penalty,
    total: l.total,
    dueOn: l.dueOn,
    items: l.items,
  }));

async function items(letterId: string) {
  return t
    .knex('letter_items')
    .where({ letter_id: letterId })
    .orderBy(['stall_id', 'business_date'])
    .select(t.knex.raw('business_date::text as d'), 'principal', 'penalty');
}

test('a warning goes out at exactly warning_after_days past due, not a day sooner', async () => {
  const w = await world();
  await trader(w, 'Ani');
  await w.assess('2026-10-01');
  expect((await issue(w, '2026-10-07')).letters).toEqual([]); // 6 days past due
  const r = await issue(w, '2026-10-08'); // 7 days past due
  expect(brief(r)).toEqual([
    {
      kind: 'warning',
      number: `00001/ST/${w.region.code}/2026`,
      trader: 'Ani',
      principal: '3000.00',
      penalty: '0.00',
      total: '3000.00',
      dueOn: '2026-10-15',
      items: 1,
    },
  ]);
  expect(r.issued).toEqual({ warning: 1, strd: 0 });
});

test("the region's own warning_after_days and warning_grace_days set when a warning goes out and its due date", async () => {
  const w = await world();
  await t.knex('regions').where({ id: w.region.id }).update({ warning_after_days: 3, warning_grace_days: 10 });
  await trader(w, 'Ani');
  await w.assess('2026-10-01');
  expect((await issue(w, '2026-10-03')).letters).toEqual([]);
  const r = await issue(w, '2026-10-04');
  expect(r.letters.map((l) => [l.kind, l.dueOn])).toEqual([['warning', '2026-10-14']]);
});

test('one warning per trader listing all their stalls, numbered in name order; no second warning for the same days', async () => {
  const w = await world();
  const budi = await trader(w, 'Budi', ['6']); // Rp 3.000 a day
  const ani = await trader(w, 'Ani', ['6', '4']); // Rp 3.000 + Rp 2.000 a day
  await w.assess('2026-10-01', '2026-10-02');
  const first = await issue(w, '2026-10-09'); // 8 and 7 days past due
  const code = w.region.code;
  expect(brief(first)).toEqual([
    {
      kind: 'warning',
      number: `00001/ST/${code}/2026`,
      trader: 'Ani',
      principal: '10000.00',
      penalty: '0.00',
      total: '10000.00',
      dueOn: '2026-10-16',
      items: 4,
    },
    {
      kind: 'warning',
      number: `00002/ST/${code}/2026`,
      trader: 'Budi',
      principal: '6000.00',
      penalty: '0.00',
      total: '6000.00',
      dueOn: '2026-10-16',
      items: 2,
    },
  ]);
  expect((await issue(w, '2026-10-09')).letters).toEqual([]);
  await w.assess('2026-10-03');
  const next = await issue(w, '2026-10-10');
  expect(brief(next)).toEqual([
    {
      kind: 'warning',
      number: `00003/ST/${code}/2026`,
      trader: 'Ani',
      principal: '5000.00',
      penalty: '0.00',
      total: '5000.00',
      dueOn: '2026-10-17',
      items: 2,
    },
    {
      kind: 'warning',
      number: `00004/ST/${code}/2026`,
      trader: 'Budi',
      principal: '3000.00',
      penalty: '0.00',
      total: '3000.00',
      dueOn: '2026-10-17',
      items: 1,
    },
  ]);
  const n = await t
    .knex('letter_items')
    .whereIn(
      'stall_id',
      [...ani.stalls, ...budi.stalls].map((s) => s.id),
    )
    .count('* as n')
    .first();
  expect(n?.n).toBe('9'); // 3 stalls x 3 days, each in one warning
});

test('a paid day gets no warning, a partly paid day is warned for what is left', async () => {
  const w = await world();
  const ani = await trader(w, 'Ani');
  await w.assess('2026-10-01', '2026-10-02');
  await payOn(w, ani.stalls[0], '4000', '2026-10-03'); // 10-01 paid, Rp 2.000 of 10-02 left
  const r = await issue(w, '2026-10-09');
  expect(brief(r)).toMatchObject([{ kind: 'warning', principal: '2000.00', items: 1 }]);
  expect(await items(r.letters[0].id)).toEqual([{ d: '2026-10-02', principal: '2000.00', penalty: '0.00' }]);
});

test("an STRD follows only once the warning's grace has passed, for what is still unpaid", async () => {
  const w = await world();
  const ani = await trader(w, 'Ani');
  await w.assess('2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05');
  const warning = await issue(w, '2026-10-12');
  expect(brief(warning)).toMatchObject([{ kind: 'warning', principal: '15000.00', dueOn: '2026-10-19', items: 5 }]);
  await payOn(w, ani.stalls[0], '4000', '2026-10-15'); // settles 10-01 and Rp 1.000 of 10-02
  expect((await issue(w, '2026-10-19')).letters).toEqual([]); // the warning's last day to pay
  const strd = await issue(w, '2026-10-20');
  expect(brief(strd)).toEqual([
    {
      kind: 'strd',
      number: `00001/STRD/${w.region.code}/2026`,
      trader: 'Ani',
      principal: '11000.00',
      penalty: '0.00',
      total: '11000.00',
      dueOn: '2026-11-19',
      items: 4,
    },
  ]);
  const row = await t
    .knex('letters')
    .where({ id: strd.letters[0].id })
    .first('follows_letter_id', t.knex.raw('issued_on::text as issued_on'));
  expect(row).toEqual({ follows_letter_id: warning.letters[0].id, issued_on: '2026-10-20' });
  expect((await items(strd.letters[0].id)).map((i) => [i.d, i.principal])).toEqual([
    ['2026-10-02', '2000.00'],
    ['2026-10-03', '3000.00'],
    ['2026-10-04', '3000.00'],
    ['2026-10-05', '3000.00'],
  ]);
  expect((await issue(w, '2026-10-20')).letters).toEqual([]);
  expect((await issue(w, '2026-10-27')).letters).toEqual([]); // every warned day is in the STRD
});

test('no STRD when everything warned was paid during the grace', async () => {
  const w = await world();
  const ani = await trader(w, 'Ani');
  await w.assess('2026-10-01');
  await issue(w, '2026-10-08');
  await payOn(w, ani.stalls[0], '3000', '2026-10-10');
  expect((await issue(w, '2026-10-16')).letters).toEqual([]);
});

/** A penalty charge as the penalty run posts it: a 'penalty' entry Dr receivable, Cr revenue. */
async function charge(
  w: World,
  a: { id: string; stall_id: string; trader_id: string },
  monthNo: number,
  accruesFrom: string,
  amount: string,
) {
  const [rule] = await t.knex('penalty_rules').where({ region_id: w.region.id }).select('id');
  const receivable = await accountId(t.knex, w.region.id, 'penalty_receivable', { marketId: w.market.id });
  const revenue = await accountId(t.knex, w.region.id, 'penalty_revenue', { marketId: w.market.id });
  await t.knex.transaction(async (trx) => {
    const [entry] = await trx('journal_entries')
      .insert({ region_id: w.region.id, kind: 'penalty', business_date: accruesFrom, memo: 'sanksi bunga' })
      .returning('id');
    await trx('journal_lines').insert([
      {
        region_id: w.region.id,
        entry_id: entry.id,
        account_id: receivable,
        debit: amount,
        trader_id: a.trader_id,
        stall_id: a.stall_id,
      },
      { region_id: w.region.id, entry_id: entry.id, account_id: revenue, credit: amount },
    ]);
    await trx('penalty_charges').insert({
      region_id: w.region.id,
      assessment_id: a.id,
      month_no: monthNo,
      accrues_from: accruesFrom,
      market_id: w.market.id,
      stall_id: a.stall_id,
      trader_id: a.trader_id,
      rule_id: rule.id,
      monthly_rate: '0.0100',
      principal: '3000',
      amount,
      open_amount: amount,
      charged_on: accruesFrom,
      journal_entry_id: entry.id,
    });
  });
}

test('the STRD bills the penalty charged on the demanded days up to its date, not on days paid meanwhile', async () => {
  const w = await world();
  const ani = await trader(w, 'Ani');
  await t
    .knex('penalty_rules')
    .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
  await w.assess('2026-08-03', '2026-08-04');
  const [a3, a4] = await t
    .knex('assessments')
    .where({ region_id: w.region.id })
    .orderBy('business_date')
    .select('id', 'stall_id', 'trader_id');
  await issue(w, '2026-08-11'); // warns both days, grace to 08-18
  await charge(w, a3, 1, '2026-08-04', '30');
  await charge(w, a4, 1, '2026-08-05', '30');
  await payOn(w, ani.stalls[0], '3000', '2026-08-20'); // 08-03 paid: its penalty is not billed here
  await charge(w, a4, 2, '2026-09-05', '30');
  await charge(w, a4, 3, '2026-10-05', '30'); // charged after the STRD's date
  const strd = await issue(w, '2026-09-10');
  expect(brief(strd)).toMatchObject([
    { kind: 'strd', principal: '3000.00', penalty: '60.00', total: '3060.00', dueOn: '2026-10-10', items: 1 },
  ]);
  expect(await items(strd.letters[0].id)).toEqual([{ d: '2026-08-04', principal: '3000.00', penalty: '60.00' }]);
  expect(await ledgerBalanced(t.knex, w.region.id)).toBe(true);
});

test('as of a past date, payments dated after it still count as unpaid', async () => {
  const w = await world();
  const ani = await trader(w, 'Ani');
  await w.assess('2026-10-01');
  await payOn(w, ani.stalls[0], '1000', '2026-10-05');
  await payOn(w, ani.stalls[0], '2000', '2026-10-20'); // paid in full by now
  const r = await issue(w, '2026-10-08');
  expect(brief(r)).toMatchObject([{ kind: 'warning', principal: '2000.00', items: 1 }]);
  expect((await issue(w, '2026-10-21')).letters).toEqual([]); // nothing left for an STRD
});

test("a letter cannot be dated after the region's local today", async () => {
  const w = await world();
  await expect(issue(w, '2999-01-01')).rejects.toMatchObject({
    status: 400,
    code: 'as-of-in-future',
    details: { field: 'asOf' },
  });
});

async function lastNumber(regionId: string, kind: string) {
  const row = await t.knex('document_sequences').where({ region_id: regionId, kind, year: 2026 }).first('last_number');
  return row?.last_number;
}

test('numbers stay gapless and unique when eight markets of a region issue at once, and a rolled-back run gives its numbers back', async () => {
  const w = await world({ markets: 9 });
  for (const [i, m] of w.markets.entries()) {
    await trader(w, `Pedagang ${i}a`, ['6'], m.id);
    await trader(w, `Pedagang ${i}b`, ['6'], m.id);
  }
  await w.assess('2026-10-01');
  const eight = w.markets.slice(0, 8);
  // Eight markets at once, and the first market twice more: its repeats must find nothing new.
  // The counter is held until all ten runs are waiting, so they truly overlap.
  await t
    .knex('document_sequences')
    .insert({ region_id: w.region.id, kind: 'letter-warning', year: 2026, last_number: 0 });
  const blocker = await t.knex.transaction();
  await blocker.raw(`select 1 from document_sequences where region_id = ? for update`, [w.region.id]);
  const pending = Promise.all([...eight, eight[0], eight[0]].map((m) => issue(w, '2026-10-08', m.id)));
  await waitForLockWaiters(t.knex, 10);
  await blocker.commit();
  const runs = await pending;
  const seqs = runs.flatMap((r) => r.letters.map((l) => l.seq)).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  expect(new Set(runs.flatMap((r) => r.letters.map((l) => l.number))).size).toBe(16);
  expect(runs.map((r) => r.letters.length).sort()).toEqual([0, 0, 2, 2, 2, 2, 2, 2, 2, 2]);
  expect(await lastNumber(w.region.id, 'letter-warning')).toBe(16);

  // The ninth market's letters take 17 and 18, then the transaction fails: both come back.
  const last = w.markets[8];
  const input = { regionId: w.region.id, marketId: last.id, asOf: '2026-10-08', issuedBy: 'test' };
  let taken: number[] = [];
  await expect(
    t.knex.transaction(async (trx) => {
      taken = (await issueLettersIn(trx, input)).letters.map((l) => l.seq);
      throw new Error('printer on fire');
    }),
  ).rejects.toThrow('printer on fire');
  expect(taken).toEqual([17, 18]);
  expect(await lastNumber(w.region.id, 'letter-warning')).toBe(16);
  const again = await issue(w, '2026-10-08', last.id);
  expect(again.letters.map((l) => l.number)).toEqual([
    `00017/ST/${w.region.code}/2026`,
    `00018/ST/${w.region.code}/2026`,
  ]);
});

test('warnings and STRDs are numbered apart, and per year', async () => {
  const w = await world();
  await trader(w, 'Ani');
  await w.assess('2025-12-20', '2026-01-02');
  expect((await issue(w, '2025-12-29')).letters.map((l) => l.number)).toEqual([`00001/ST/${w.region.code}/2025`]);
  const jan = await issue(w, '2026-01-09'); // the 2025 warning's grace ended 01-05; 01-02 is 7 days late
  expect(jan.letters.map((l) => l.number)).toEqual([
    `00001/STRD/${w.region.code}/2026`,
    `00001/ST/${w.region.code}/2026`,
  ]);
});

describe('HTTP', () => {
  async function httpWorld() {
    const w = await world({ markets: 2 });
    const other = await make.region(t.knex);
    const [m1, m2] = w.markets;
    const inMarket = (marketId: string) => ({ regionId: w.region.id, marketId });
    const users = {
      admin: await make.user(t.knex, 'admin'),
      officer: await make.user(t.knex, 'officer', { regionId: w.region.id }),
      officerB: await make.user(t.knex, 'officer', { regionId: other.id }),
      manager1: await make.user(t.knex, 'manager', inMarket(m1.id)),
      manager2: await make.user(t.knex, 'manager', inMarket(m2.id)),
      collector1: await make.user(t.knex, 'collector', inMarket(m1.id)),
      auditor: await make.user(t.knex, 'auditor', { regionId: w.region.id }),
    };
    const token = Object.fromEntries(
      Object.entries(users).map(([k, u]) => [k, `Bearer ${tokenFor(staffPrincipal(u))}`]),
    ) as Record<keyof typeof users, string>;
    const ani = await trader(w, 'Ani', ['6'], m1.id);
    await trader(w, 'Budi', ['6'], m2.id);
    await w.assess('2026-10-01');
    return { ...w, m1, m2, token, ani, api: w.app };
  }

  test('the manager of the market issues its letters (201), a repeat finds nothing (200); others are refused', async () => {
    const h = await httpWorld();
    const post = (who: string, body: object = { asOf: '2026-10-08' }, marketId = h.m1.id) =>
      request(h.api).post(`/api/v1/markets/${marketId}/letters`).set('Authorization', who).send(body);
    for (const who of [h.token.manager2, h.token.officerB, h.token.collector1, h.token.auditor]) {
      const res = await post(who);
      expect(res.status).toBe(403);
    }
    const res = await post(h.token.manager1);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      marketId: h.m1.id,
      asOf: '2026-10-08',
      issued: { warning: 1, strd: 0 },
      letters: [
        {
          kind: 'warning',
          number: `00001/ST/${h.region.code}/2026`,
          trader: { id: h.ani.id, name: 'Ani' },
          principal: '3000.00',
          penalty: '0.00',
          total: '3000.00',
          dueOn: '2026-10-15',
          items: 1,
        },
      ],
    });
    expect((await post(h.token.officer)).body).toMatchObject({ issued: { warning: 0, strd: 0 }, letters: [] });
    expect((await post(h.token.officer)).status).toBe(200);
    expect((await post(h.token.admin, {}, h.m2.id)).status).toBe(201); // asOf defaults to today
    expect((await request(h.api).post(`/api/v1/markets/${h.m1.id}/letters`).send({})).status).toBe(401);
  });

  test('bad input is a 400 naming the field', async () => {
    const h = await httpWorld();
    const post = (body: object, marketId = h.m1.id) =>
      request(h.api).post(`/api/v1/markets/${marketId}/letters`).set('Authorization', h.token.officer).send(body);
    const unknown = await post({ asOf: '2026-10-08', kind: 'strd' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: 'kind', message: 'unknown field' }]);
    const badDate = await post({ asOf: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details[0].field).toBe('asOf');
    const future = await post({ asOf: '2999-01-01' });
    expect(future.body.error).toMatchObject({ code: 'as-of-in-future', details: { field: 'asOf' } });
    expect((await post({}, 'not-a-uuid')).body.error.details[0].field).toBe('marketId');
    expect((await post({}, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const list = await request(h.api).get('/api/v1/letters?kind=teguran').set('Authorization', h.token.officer);
    expect(list.status).toBe(400);
    expect(list.body.error.details[0].field).toBe('kind');
  });

  test('managers list their own market only, officers and auditors the region; the detail lists the stall-days', async () => {
    const h = await httpWorld();
    await issue(h, '2026-10-08', h.m1.id);
    await issue(h, '2026-10-08', h.m2.id);
    const get = (who: string, qs = '') => request(h.api).get(`/api/v1/letters${qs}`).set('Authorization', who);
    const mine = await get(h.token.manager1);
    expect(mine.status).toBe(200);
    expect(mine.body.letters.map((l: { trader: { name: string } }) => l.trader.name)).toEqual(['Ani']);
    expect(mine.body.letters[0]).toMatchObject({
      kind: 'warning',
      market: { id: h.m1.id },
      issuedOn: '2026-10-08',
      dueOn: '2026-10-15',
      stalls: [h.ani.stalls[0].code],
      items: 1,
    });
    expect((await get(h.token.manager1, `?marketId=${h.m2.id}`)).status).toBe(403);
    expect((await get(h.token.officerB, `?regionId=${h.region.id}`)).status).toBe(403);
    expect((await get(h.token.officerB, `?marketId=${h.m1.id}`)).status).toBe(403); // the market's region decides
    expect((await get(h.token.admin, `?marketId=${h.m1.id}`)).body.letters).toHaveLength(1);
    expect((await get(h.token.collector1)).status).toBe(403);
    for (const who of [h.token.officer, h.token.auditor]) {
      const all = await get(who, '?kind=warning&issuedOn=2026-10-08');
      expect(all.body.letters.map((l: { trader: { name: string } }) => l.trader.name).sort()).toEqual(['Ani', 'Budi']);
    }
    expect((await get(h.token.officer, `?traderId=${h.ani.id}`)).body.letters).toHaveLength(1);
    expect((await get(h.token.officer, '?kind=strd')).body.letters).toEqual([]);
    expect((await get(h.token.admin)).status).toBe(400); // the admin has no region of their own: say which

    const id = mine.body.letters[0].id;
    const detail = await request(h.api).get(`/api/v1/letters/${id}`).set('Authorization', h.token.manager1);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      number: `00001/ST/${h.region.code}/2026`,
      trader: { name: 'Ani' },
      principal: '3000.00',
      follows: null,
      lines: [{ stallCode: h.ani.stalls[0].code, businessDate: '2026-10-01', principal: '3000.00', penalty: '0.00' }],
    });
    expect((await request(h.api).get(`/api/v1/letters/${id}`).set('Authorization', h.token.manager2)).status).toBe(403);
    expect((await request(h.api).get(`/api/v1/letters/${id}`).set('Authorization', h.token.auditor)).status).toBe(200);
    expect(
      (
        await request(h.api)
          .get('/api/v1/letters/00000000-0000-4000-8000-000000000000')
          .set('Authorization', h.token.officer)
      ).status,
    ).toBe(404);
  });
});

describe('the letters as documents', () => {
  // Ani: K-01 (6 m², Rp 3.000 a day) and K-02 (4 m², Rp 2.000); Budi: K-03 (Rp 3.000). Four days
  // unpaid, warned on 10-09; Budi then pays Rp 5.000 (09-29 and Rp 2.000 of 09-30); penalties
  // of Rp 30 on Ani's K-01 09-29 and 09-30 and on Budi's 10-01; the STRDs go out on 10-17:
  // Ani 20.000 + 60 = 20.060, Budi 7.000 + 30 = 7.030; together 27.000 + 90 = 27.090.
  async function documentWorld() {
    const w = await world({ regionName: 'Kota Magelang' });
    await t.knex('markets').where({ id: w.market.id }).update({ name: 'Pasar Rejowinangun' });
    const ani = await trader(w, 'Ani Suryani', ['6', '4'], w.market.id, ['K-01', 'K-02']);
    const budi = await trader(w, 'Budi Santoso', ['6'], w.market.id, ['K-03']);
    await t.knex('traders').where({ id: ani.id }).update({ address: 'Jl. Tidar No. 5, Magelang' });
    await t
      .knex('penalty_rules')
      .insert({ region_id: w.region.id, effective_from: '2024-01-05', monthly_rate: '0.0100', cap_months: 24 });
    await w.assess('2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02');
    await issue(w, '2026-10-09');
    await payOn(w, budi.stalls[0], '5000', '2026-10-12');
    const a = (stall: { id: string }, d: string) =>
      t.knex('assessments').where({ stall_id: stall.id, business_date: d }).first('id', 'stall_id', 'trader_id');
    await charge(w, await a(ani.stalls[0], '2026-09-29'), 1, '2026-09-30', '30');
    await charge(w, await a(ani.stalls[0], '2026-09-30'), 1, '2026-10-01', '30');
    await charge(w, await a(budi.stalls[0], '2026-10-01'), 1, '2026-10-02', '30');
    await issue(w, '2026-10-17');
    const officer = `Bearer ${tokenFor({ role: 'officer', sub: 'officer-1', regionId: w.region.id })}`;
    const get = (kind: string, q: Record<string, string>) =>
      request(w.app)
        .get(`/api/v1/reports/${kind}`)
        .query({ marketId: w.market.id, ...q })
        .set('Authorization', officer)
        .buffer(true)
        .parse(binaryParser as never);
    return { ...w, ani, budi, get };
  }

  test('the STRD PDF: a recapitulation, then one letter per page with its stall-days, totals equal to the letters', async () => {
    const d = await documentWorld();
    const res = await d.get('strd', { date: '2026-10-17' });
    expect(res.status).toBe(200);
    expect(res.headers['x-document-number']).toBe(`${d.region.code}-STRD-2026-000001`);
    const { text, pages } = pdfText(res.body as Buffer, { layout: true });
    expect(pages).toBe(3); // the recapitulation, then Ani's and Budi's letters
    const [recap, ani, budi] = text.split('\f');
    const code = d.region.code;
    expect(recap).toContain('SURAT TAGIHAN RETRIBUSI DAERAH (STRD)');
    expect(recap).toContain(`2 surat, Nomor 00001/STRD/${code}/2026 s.d. 00002/STRD/${code}/2026`);
    expect(recap).toMatch(/JUMLAH\s+2 surat\s+Rp 27\.000\s+Rp 90\s+Rp 27\.090/);
    expect(ani).toContain(`00001/STRD/${code}/2026`);
    expect(ani).toContain('Sdr. Ani Suryani');
    expect(ani).toContain('Jl. Tidar No. 5, Magelang');
    expect(ani).toContain(`Surat Teguran Nomor 00001/ST/${code}/2026 tanggal 9 Oktober 2026`);
    expect(ani).toMatch(/K-01\s+September 2026\s+29–30\s+2\s+Rp 6\.000\s+Rp 60/);
    expect(ani).toMatch(/K-02\s+Oktober 2026\s+1–2\s+2\s+Rp 4\.000\s+Rp 0/);
    expect(ani).toMatch(/JUMLAH\s+8\s+Rp 20\.000\s+Rp 60/);
    expect(ani).toMatch(/Jumlah yang harus dibayar\s+:\s+Rp 20\.060/);
    expect(ani).toContain('Dua Puluh Ribu Enam Puluh Rupiah');
    expect(ani).toMatch(/Jatuh tempo pembayaran\s+:\s+16 November 2026/);
    expect(ani).toContain('a.n. Kepala Badan Pendapatan Daerah');
    expect(ani).toContain('Magelang, 17 Oktober 2026');
    expect(budi).toMatch(/K-03\s+September 2026\s+30\s+1\s+Rp 1\.000\s+Rp 0/);
    expect(budi).toMatch(/Jumlah yang harus dibayar\s+:\s+Rp 7\.030/);
  });

  test("the CSV lists the same letters and its TOTAL equals the PDF's", async () => {
    const d = await documentWorld();
    const res = await d.get('strd', { date: '2026-10-17', format: 'csv' });
    expect(res.status).toBe(200);
    const code = d.region.code;
    expect((res.body as Buffer).toString('utf8').split('\r\n')).toEqual([
      'Nomor,Pedagang,Tempat Usaha,Pokok,Sanksi Bunga,Jumlah,Jatuh Tempo,Dibayar,Sisa,Status',
      `00001/STRD/${code}/2026,Ani Suryani,"K-01, K-02",20000.00,60.00,20060.00,2026-11-16,0.00,20060.00,belum_dibayar`,
      `00002/STRD/${code}/2026,Budi Santoso,K-03,7000.00,30.00,7030.00,2026-11-16,0.00,7030.00,belum_dibayar`,
      'TOTAL,,,27000.00,90.00,27090.00,,0.00,27090.00,',
      '',
    ]);
  });

  test('the surat teguran PDF and CSV for the warnings of a day', async () => {
    const d = await documentWorld();
    const pdf = await d.get('warning-letters', { date: '2026-10-09' });
    expect(pdf.status).toBe(200);
    const { text, pages } = pdfText(pdf.body as Buffer, { layout: true });
    expect(pages).toBe(3);
    const [recap, ani] = text.split('\f');
    expect(recap).toMatch(/JUMLAH\s+2 surat\s+Rp 32\.000/);
    expect(ani).toContain('SURAT TEGURAN');
    expect(ani).toMatch(/K-01\s+September 2026\s+29–30\s+2\s+Rp 6\.000/);
    expect(ani).toMatch(/Jumlah retribusi terutang\s+:\s+Rp 20\.000/);
    expect(ani).toMatch(/Batas waktu pembayaran\s+:\s+16 Oktober 2026/);
    const csv = await d.get('warning-letters', { date: '2026-10-09', format: 'csv' });
    // Budi paid Rp 5.000 of his Rp 12.000 after his warning: it is partly paid, Ani's is open.
    const lines = (csv.body as Buffer).toString('utf8').split('\r\n');
    expect(lines[1]).toMatch(/^00001\/ST\/.*,20000\.00,0\.00,20000\.00,2026-10-16,0\.00,20000\.00,belum_dibayar$/);
    expect(lines[2]).toMatch(/^00002\/ST\/.*,12000\.00,0\.00,12000\.00,2026-10-16,5000\.00,7000\.00,dibayar_sebagian$/);
    expect(lines).toContain('TOTAL,,,32000.00,0.00,32000.00,,5000.00,27000.00,');
  });

  test('no letters of that kind on that date is a 404, not an empty document', async () => {
    const d = await documentWorld();
    const res = await d.get('strd', { date: '2026-10-09' });
    expect(res.status).toBe(404);
    expect(await t.knex('documents').where({ region_id: d.region.id }).count('* as n').first()).toEqual({ n: '0' });
  });

  test('amounts in words and day runs read as a bill writes them', () => {
    expect(terbilang('20060')).toBe('Dua Puluh Ribu Enam Puluh Rupiah');
    expect(terbilang('1000')).toBe('Seribu Rupiah');
    expect(terbilang('111111')).toBe('Seratus Sebelas Ribu Seratus Sebelas Rupiah');
    expect(terbilang('1250000')).toBe('Satu Juta Dua Ratus Lima Puluh Ribu Rupiah');
    expect(terbilang('2000017019')).toBe('Dua Miliar Tujuh Belas Ribu Sembilan Belas Rupiah');
    expect(terbilang('0')).toBe('Nol Rupiah');
    expect(dayRanges([1, 2, 3, 5, 8, 9, 30])).toBe('1–3, 5, 8–9, 30');
  });
});
