// The penalty engine against hand-worked cases. Each case is its own region with one stall, so
// the daily assessment makes exactly the days a case names; payments go through the card API
// (paid at 10:00 WIB, so on the date written). Expected charges are literals worked by hand in
// the comment above each case: [month, accrues from, monthly rate, principal, charge].
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp, testDeps, tokenFor, fixedClock } from '../support/app';
import * as make from '../support/make';
import { cardScenario, ledgerBalanced } from '../support/scenario';
import { pay } from '../support/pay';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import type { Principal } from '../../api/auth/principal';
import { penaltiesJob, penaltiesTick } from '../../jobs/penalties';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

type Rule = [from: string, rate: string, cap: number];
type Charge = [month: number, accruesFrom: string, rate: string, principal: string, amount: string];

const HKPD: Rule = ['2024-01-05', '0.0100', 24];
const OLD_PERDA: Rule = ['2011-01-01', '0.0200', 24];

async function stallWith(o: { areaM2?: string; rate?: string; rules?: Rule[] } = {}) {
  const s = await cardScenario(t.knex, { areaM2: o.areaM2 ?? '10', rate: o.rate ?? '1000' }); // Rp 10.000 a day unless told
  for (const [from, rate, cap] of o.rules ?? [HKPD]) {
    await t.knex('penalty_rules').insert({
      region_id: s.region.id,
      effective_from: from,
      monthly_rate: rate,
      cap_months: cap,
      legal_basis: `Perda ${from}`,
    });
  }
  const { app, deps } = testApp(t.knex);
  return {
    ...s,
    deps,
    assess: (date: string) => assessDay(deps, s.region.code, date),
    pay: async (date: string, amount: string) => {
      await pay(app, s, { amount, paidAt: `${date}T03:00:00Z` });
    },
    run: (asOf: string) => runPenalties(deps, s.region.id, asOf),
    charges: async (): Promise<Charge[]> => {
      const rows = await t
        .knex('penalty_charges')
        .where({ region_id: s.region.id })
        .orderBy(['assessment_id', 'month_no'])
        .select('month_no', t.knex.raw('accrues_from::text as accrues_from'), 'monthly_rate', 'principal', 'amount');
      return rows.map((r) => [r.month_no, r.accrues_from, r.monthly_rate, r.principal, r.amount]);
    },
  };
}

interface Case {
  name: string;
  rules?: Rule[];
  areaM2?: string;
  rate?: string;
  due: string;
  payments?: [date: string, amount: string][];
  asOf: string;
  expected: Charge[];
}

const CASES: Case[] = [
  // Paid in full on its own day: unpaid at the end of 03-10 is 0, so month 1 is not owed.
  {
    name: 'paid on the due date: nothing',
    due: '2024-03-10',
    payments: [['2024-03-10', '10000']],
    asOf: '2024-06-01',
    expected: [],
  },
  // Paid the next day: month 1 (from 03-11) owes 1% of 10.000 = 100; at the end of 04-10 nothing
  // was left, so month 2 (from 04-11) is not owed.
  {
    name: 'one day late: one whole month',
    due: '2024-03-10',
    payments: [['2024-03-11', '10000']],
    asOf: '2024-06-01',
    expected: [[1, '2024-03-11', '0.0100', '10000.00', '100.00']],
  },
  // Paid on 04-10 = due + 1 month: paid by the end of 04-10, so month 2 (from 04-11) is not owed.
  {
    name: 'paid exactly one month later: one month',
    due: '2024-03-10',
    payments: [['2024-04-10', '10000']],
    asOf: '2024-06-01',
    expected: [[1, '2024-03-11', '0.0100', '10000.00', '100.00']],
  },
  // Paid on 04-11: still unpaid at the end of 04-10, so month 2 counts whole: 100 + 100.
  {
    name: 'paid one month and a day later: two months',
    due: '2024-03-10',
    payments: [['2024-04-11', '10000']],
    asOf: '2024-06-01',
    expected: [
      [1, '2024-03-11', '0.0100', '10000.00', '100.00'],
      [2, '2024-04-11', '0.0100', '10000.00', '100.00'],
    ],
  },
  // Unpaid, run on 04-10: only month 1 has begun (month 2 begins 04-11).
  {
    name: 'run on the last day of month 1',
    due: '2024-03-10',
    asOf: '2024-04-10',
    expected: [[1, '2024-03-11', '0.0100', '10000.00', '100.00']],
  },
  // Due 2022-01-15, run 2024-07-20: months begin 2022-01-16 + k months; k = 30 (2024-07-16) is the
  // last begun, 31 months, capped at 24: months 1..24, the last from 2022-01-15 + 23 months + 1 = 2023-12-16.
  // One rule (1%, cap 24) in force since 2020 for this case.
  {
    name: '30 months overdue: capped at 24 charges',
    rules: [['2020-01-01', '0.0100', 24]],
    due: '2022-01-15',
    asOf: '2024-07-20',
    expected: Array.from({ length: 24 }, (_, k): Charge => {
      const y = 2022 + Math.floor(k / 12);
      const m = (k % 12) + 1;
      return [k + 1, `${y}-${String(m).padStart(2, '0')}-16`, '0.0100', '10000.00', '100.00'];
    }),
  },
  // Due 2023-11-20 under the old Perda (2%) and HKPD (1% from 2024-01-05), run 2024-03-01:
  // months from 11-21 and 12-21 under 2% = 200 each; from 2024-01-21 and 02-21 under 1% = 100 each.
  // Month 5 would begin 03-21, after the run.
  {
    name: 'a debt spanning the change of rule',
    rules: [OLD_PERDA, HKPD],
    due: '2023-11-20',
    asOf: '2024-03-01',
    expected: [
      [1, '2023-11-21', '0.0200', '10000.00', '200.00'],
      [2, '2023-12-21', '0.0200', '10000.00', '200.00'],
      [3, '2024-01-21', '0.0100', '10000.00', '100.00'],
      [4, '2024-02-21', '0.0100', '10000.00', '100.00'],
    ],
  },
  // Due 2023-12-02: month 2 begins 2024-01-03, two days before HKPD (01-05), so it is still 2%.
  {
    name: 'the rule in force on the day a month begins applies',
    rules: [OLD_PERDA, HKPD],
    due: '2023-12-02',
    asOf: '2024-03-01',
    expected: [
      [1, '2023-12-03', '0.0200', '10000.00', '200.00'],
      [2, '2024-01-03', '0.0200', '10000.00', '200.00'],
      [3, '2024-02-03', '0.0100', '10000.00', '100.00'],
    ],
  },
  // 4.000 paid on 04-05: month 1 (end of 03-10) on 10.000 = 100; months 2 and 3 (ends of 04-10,
  // 05-10) on 6.000 = 60 each. Month 4 begins 06-11, after the run.
  {
    name: 'a partly paid assessment: later months on what is left',
    due: '2024-03-10',
    payments: [['2024-04-05', '4000']],
    asOf: '2024-06-01',
    expected: [
      [1, '2024-03-11', '0.0100', '10000.00', '100.00'],
      [2, '2024-04-11', '0.0100', '6000.00', '60.00'],
      [3, '2024-05-11', '0.0100', '6000.00', '60.00'],
    ],
  },
  // 5.5 m² x Rp 500 = 2.750; 1% = 27.5, rounded half up to 28.
  {
    name: 'rounding half up to whole rupiah',
    areaM2: '5.5',
    rate: '500',
    due: '2024-03-10',
    asOf: '2024-04-01',
    expected: [[1, '2024-03-11', '0.0100', '2750.00', '28.00']],
  },
  // 2.710 of 2.750 paid on the day: 40 x 1% = 0.4, rounds to 0: the month is recorded at Rp 0.
  {
    name: 'a charge that rounds to nothing is recorded at Rp 0',
    areaM2: '5.5',
    rate: '500',
    due: '2024-03-10',
    payments: [['2024-03-10', '2710']],
    asOf: '2024-04-01',
    expected: [[1, '2024-03-11', '0.0100', '40.00', '0.00']],
  },
  // Due 2024-01-31: month 2 from 01-31 + 1 month (02-29, a leap year) + 1 = 03-01; the run on
  // 03-01 is its first day. Month 3 would begin 03-31 + 1 = 04-01.
  {
    name: 'month ends: due on January 31',
    due: '2024-01-31',
    asOf: '2024-03-01',
    expected: [
      [1, '2024-02-01', '0.0100', '10000.00', '100.00'],
      [2, '2024-03-01', '0.0100', '10000.00', '100.00'],
    ],
  },
  // No rule yet in force when the month begins: nothing (the only rule starts 2024-01-05).
  { name: 'no rule in force: nothing', due: '2023-06-10', asOf: '2023-12-01', expected: [] },
];

test.each(CASES)('$name', async (c) => {
  const s = await stallWith({ areaM2: c.areaM2, rate: c.rate, rules: c.rules });
  await s.assess(c.due);
  for (const [date, amount] of c.payments ?? []) await s.pay(date, amount);
  await s.run(c.asOf);
  expect(await s.charges()).toEqual(c.expected);
  // The ledger: balanced, and the penalty receivable of the trader is the sum of the charges.
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
  const total = c.expected.reduce((n, x) => n + Number(x[4]), 0);
  expect(await receivable(s.region.id, s.trader.id)).toBe(total.toFixed(2));
  // One entry for the market when something is owed; none when every charge is Rp 0.
  expect(await penaltyEntries(s.region.id)).toBe(total > 0 ? 1 : 0);
});

test('a second run for the same date posts nothing; a later run posts only the months begun since', async () => {
  // Two markets, two stalls each owing Rp 10.000 from 2024-03-10 (one of them Rp 5.000).
  const s = await stallWith();
  const m2 = await make.market(t.knex, s.region.id);
  const other = await make.stall(t.knex, s.region.id, m2.id, { areaM2: '5' }); // 5 x 1000 = 5.000
  const otherTrader = await make.trader(t.knex, s.region.id);
  await make.tenancy(t.knex, s.region.id, other.id, otherTrader.id);
  await s.assess('2024-03-10');
  // Month 1 of each: 100 + 50.
  expect(await s.run('2024-04-01')).toEqual({
    regionCode: s.region.code,
    asOf: '2024-04-01',
    charges: 2,
    amount: '150.00',
    markets: 2,
    creditApplied: 0,
  });
  const lines = async () =>
    (await t.knex('journal_lines').where({ region_id: s.region.id }).count('* as n').first())?.n;
  const before = await lines();
  expect(await s.run('2024-04-01')).toEqual({
    regionCode: s.region.code,
    asOf: '2024-04-01',
    charges: 0,
    amount: '0.00',
    markets: 0,
    creditApplied: 0,
  });
  expect(await lines()).toBe(before);
  // 05-01: month 2 of each (from 04-11) and nothing else.
  expect(await s.run('2024-05-01')).toMatchObject({ charges: 2, amount: '150.00', markets: 2 });
  expect(await penaltyEntries(s.region.id)).toBe(4);
  expect(await receivable(s.region.id, s.trader.id)).toBe('200.00');
  expect(await receivable(s.region.id, otherTrader.id)).toBe('100.00');
  expect(await ledgerBalanced(t.knex, s.region.id)).toBe(true);
});

test("one entry per market per run: a debit per trader and stall, the market's revenue credited once", async () => {
  const s = await stallWith();
  const second = await make.stall(t.knex, s.region.id, s.market.id, { areaM2: '3' }); // 3.000 a day
  const secondTrader = await make.trader(t.knex, s.region.id);
  await make.tenancy(t.knex, s.region.id, second.id, secondTrader.id);
  await s.assess('2024-03-10');
  await s.assess('2024-03-11');
  // Run 04-11: the 03-10 days have months 1 and 2 (from 03-11, 04-11), the 03-11 days month 1:
  // first stall 100 x 3 = 300, second 30 x 3 = 90.
  expect(await s.run('2024-04-11')).toMatchObject({ charges: 6, amount: '390.00', markets: 1 });
  const { rows } = await t.knex.raw(
    `select e.kind, e.business_date::text as date, a.purpose, l.trader_id, l.stall_id, l.debit, l.credit
       from journal_entries e join journal_lines l on l.region_id = e.region_id and l.entry_id = e.id
       join accounts a on a.region_id = l.region_id and a.id = l.account_id
      where e.region_id = ? and e.kind = 'penalty' order by l.credit, l.debit`,
    [s.region.id],
  );
  expect(rows).toEqual([
    {
      kind: 'penalty',
      date: '2024-04-11',
      purpose: 'penalty_receivable',
      trader_id: secondTrader.id,
      stall_id: second.id,
      debit: '90.00',
      credit: '0.00',
    },
    {
      kind: 'penalty',
      date: '2024-04-11',
      purpose: 'penalty_receivable',
      trader_id: s.trader.id,
      stall_id: s.stall.id,
      debit: '300.00',
      credit: '0.00',
    },
    {
      kind: 'penalty',
      date: '2024-04-11',
      purpose: 'penalty_revenue',
      trader_id: null,
      stall_id: null,
      debit: '0.00',
      credit: '390.00',
    },
  ]);
  const linked = await t.knex('penalty_charges').where({ region_id: s.region.id }).distinct('journal_entry_id');
  expect(linked).toHaveLength(1);
});

test('months owed before a late payment are charged by the next run even though nothing is open any more', async () => {
  const s = await stallWith();
  await s.assess('2024-03-10');
  expect(await s.run('2024-04-01')).toMatchObject({ charges: 1, amount: '100.00' }); // month 1
  // Paid in full on 04-20: at the end of 04-10 all was still owed, so month 2 (from 04-11) is
  // owed; month 3 (from 05-11) is not.
  await s.pay('2024-04-20', '10000');
  expect(await s.run('2024-06-01')).toMatchObject({ charges: 1, amount: '100.00' });
  expect(await s.charges()).toEqual([
    [1, '2024-03-11', '0.0100', '10000.00', '100.00'],
    [2, '2024-04-11', '0.0100', '10000.00', '100.00'],
  ]);
});

test('two runs of a region at once charge each month once', async () => {
  const s = await stallWith();
  for (const d of ['2024-03-10', '2024-03-11', '2024-03-12']) await s.assess(d);
  const results = await Promise.all([s.run('2024-05-01'), s.run('2024-05-01')]);
  // 3 days x 2 months (from 03-1x and 04-1x) x 100.
  expect(results.map((r) => r.charges).sort()).toEqual([0, 6]);
  expect(await receivable(s.region.id, s.trader.id)).toBe('600.00');
  expect(await penaltyEntries(s.region.id)).toBe(1);
});

async function penaltyEntries(regionId: string): Promise<number> {
  const row = await t.knex('journal_entries').where({ region_id: regionId, kind: 'penalty' }).count('* as n').first();
  return Number(row?.n);
}

async function receivable(regionId: string, traderId: string): Promise<string> {
  const row = await t
    .knex('journal_lines as l')
    .join('accounts as a', function () {
      this.on('a.region_id', 'l.region_id').andOn('a.id', 'l.account_id');
    })
    .where({ 'l.region_id': regionId, 'a.purpose': 'penalty_receivable', 'l.trader_id': traderId })
    .select(t.knex.raw('coalesce(sum(l.debit - l.credit), 0)::numeric(18,2)::text as bal'))
    .first();
  return row.bal;
}

describe('penalty rules as region data', () => {
  const app = () => testApp(t.knex).app;
  const post = (p: Principal, regionId: string, body: object) =>
    request(app())
      .post(`/api/v1/regions/${regionId}/penalty-rules`)
      .set('Authorization', `Bearer ${tokenFor(p)}`)
      .send(body);
  const list = (p: Principal, regionId: string) =>
    request(app())
      .get(`/api/v1/regions/${regionId}/penalty-rules`)
      .set('Authorization', `Bearer ${tokenFor(p)}`);

  test('an officer adds the Perda rules of their region; they are listed by start date', async () => {
    const region = await make.region(t.knex);
    const officer: Principal = { role: 'officer', sub: 'o', regionId: region.id };
    const hkpd = await post(officer, region.id, {
      effectiveFrom: '2024-01-05',
      monthlyRate: '0.01',
      capMonths: 24,
      legalBasis: 'Perda 1/2024 (HKPD)',
    });
    expect(hkpd.status).toBe(201);
    expect(hkpd.body).toEqual({
      id: expect.any(String),
      regionId: region.id,
      effectiveFrom: '2024-01-05',
      monthlyRate: '0.0100',
      capMonths: 24,
      legalBasis: 'Perda 1/2024 (HKPD)',
      createdAt: expect.any(String),
    });
    expect(
      (await post(officer, region.id, { effectiveFrom: '2011-01-01', monthlyRate: '0.02', capMonths: 24 })).status,
    ).toBe(201);
    const res = await list({ role: 'auditor', sub: 'a', regionId: region.id }, region.id);
    expect(
      res.body.items.map((r: { effectiveFrom: string; monthlyRate: string }) => [r.effectiveFrom, r.monthlyRate]),
    ).toEqual([
      ['2011-01-01', '0.0200'],
      ['2024-01-05', '0.0100'],
    ]);
  });

  test('a second rule from the same date is 409; a bad rate or cap is 400 naming the field', async () => {
    const region = await make.region(t.knex);
    const admin: Principal = { role: 'admin', sub: 'a' };
    expect(
      (await post(admin, region.id, { effectiveFrom: '2024-01-05', monthlyRate: '0.01', capMonths: 24 })).status,
    ).toBe(201);
    const dup = await post(admin, region.id, { effectiveFrom: '2024-01-05', monthlyRate: '0.02', capMonths: 24 });
    expect([dup.status, dup.body.error.code, dup.body.error.details[0].field]).toEqual([
      409,
      'duplicate-effective-from',
      'effectiveFrom',
    ]);
    for (const [body, field] of [
      [{ effectiveFrom: '2025-01-01', monthlyRate: '1.5', capMonths: 24 }, 'monthlyRate'],
      [{ effectiveFrom: '2025-01-01', monthlyRate: '0', capMonths: 24 }, 'monthlyRate'],
      [{ effectiveFrom: '2025-01-01', monthlyRate: 0.01, capMonths: 24 }, 'monthlyRate'],
      [{ effectiveFrom: '2025-01-01', monthlyRate: '0.01', capMonths: 0 }, 'capMonths'],
      [{ effectiveFrom: '2025-02-30', monthlyRate: '0.01', capMonths: 24 }, 'effectiveFrom'],
      [{ effectiveFrom: '2025-01-01', monthlyRate: '0.01', capMonths: 24, rate: 1 }, 'rate'],
    ] as const) {
      const res = await post(admin, region.id, body);
      expect([res.status, res.body.error.details[0].field]).toEqual([400, field]);
    }
  });

  test('managers, auditors and officers of another region cannot add rules; managers cannot read them', async () => {
    const region = await make.region(t.knex);
    const market = await make.market(t.knex, region.id);
    const elsewhere = await make.region(t.knex);
    const body = { effectiveFrom: '2024-01-05', monthlyRate: '0.01', capMonths: 24 };
    expect((await post({ role: 'officer', sub: 'o', regionId: elsewhere.id }, region.id, body)).status).toBe(403);
    expect((await post({ role: 'auditor', sub: 'a', regionId: region.id }, region.id, body)).status).toBe(403);
    expect(
      (await post({ role: 'manager', sub: 'm', regionId: region.id, marketId: market.id }, region.id, body)).status,
    ).toBe(403);
    expect(
      (await list({ role: 'manager', sub: 'm', regionId: region.id, marketId: market.id }, region.id)).status,
    ).toBe(403);
    expect((await list({ role: 'officer', sub: 'o', regionId: elsewhere.id }, region.id)).status).toBe(403);
  });
});

describe('the penalty job', () => {
  test('runs a region as of the date given, or of its local today', async () => {
    const s = await stallWith();
    await s.assess('2026-09-10');
    const [first] = await penaltiesJob(testDeps(t.knex), { region: s.region.code, date: '2026-10-01' });
    expect(first).toEqual({
      regionCode: s.region.code,
      asOf: '2026-10-01',
      charges: 1,
      amount: '100.00',
      markets: 1,
      creditApplied: 0,
    });
    // 2026-11-10T18:00Z is 11-11 01:00 in Jakarta: month 3 (from 11-11) has begun there.
    const [second] = await penaltiesJob(testDeps(t.knex, fixedClock('2026-11-10T18:00:00Z')), {
      region: s.region.code,
    });
    expect(second).toMatchObject({ asOf: '2026-11-11', charges: 2, amount: '200.00' });
    await expect(penaltiesJob(testDeps(t.knex), { region: 'NOPE' })).rejects.toThrow('region not found');
  });

  test('the schedule runs each region once a local month, as of the 1st', async () => {
    const s = await stallWith();
    await s.assess('2026-08-20');
    const clock = fixedClock('2026-09-30T17:30:00Z'); // 10-01 00:30 in Jakarta
    const deps = testDeps(t.knex, clock);
    await penaltiesTick(deps);
    clock.set('2026-10-15T03:00:00Z');
    await penaltiesTick(deps); // the same month: claimed already
    // As of 10-01: months from 08-21 and 09-21.
    expect((await s.charges()).map((c) => c[1])).toEqual(['2026-08-21', '2026-09-21']);
    const run = await t
      .knex('job_runs')
      .where({ job: 'penalties', region_id: s.region.id })
      .select('period', 'attempts', 'result');
    expect(run).toEqual([
      {
        period: '2026-10',
        attempts: 1,
        result: {
          regionCode: s.region.code,
          asOf: '2026-10-01',
          charges: 2,
          amount: '200.00',
          markets: 1,
          creditApplied: 0,
        },
      },
    ]);
    clock.set('2026-11-02T03:00:00Z'); // the 1st was missed: caught up as of 11-01
    await penaltiesTick(deps);
    expect((await s.charges()).map((c) => c[1])).toEqual(['2026-08-21', '2026-09-21', '2026-10-21']);
  });
});

// A penalty entry has a line per trader and stall of a market: thousands of lines. The balance
// check now runs once per entry, by its last line (db/migrations/20261127100000_check_entry_balance_once.ts);
// these cases show it is no weaker than a check by every line.
describe("the ledger's balance check, once per entry", () => {
  let regionId: string;
  let bank: string;
  let suspense: string;
  beforeAll(async () => {
    const r = await make.region(t.knex);
    regionId = r.id;
    const ids = await t
      .knex('accounts')
      .where({ region_id: r.id })
      .whereIn('purpose', ['treasury_bank', 'suspense'])
      .select('id', 'purpose');
    bank = ids.find((a) => a.purpose === 'treasury_bank').id;
    suspense = ids.find((a) => a.purpose === 'suspense').id;
  });
  const line = (entryId: string, debit: string, credit: string, account = debit !== '0' ? bank : suspense) => ({
    region_id: regionId,
    entry_id: entryId,
    account_id: account,
    debit,
    credit,
  });
  const newEntry = async (trx: typeof t.knex) =>
    (
      await trx('journal_entries')
        .insert({ region_id: regionId, kind: 'adjustment', business_date: '2026-11-23' })
        .returning('id')
    )[0].id as string;

  test('an entry of 3,000 lines posts when it balances and is refused when one line is off', async () => {
    const lines = (e: string, last: string) => [
      ...Array.from({ length: 2999 }, () => line(e, '1', '0')),
      line(e, '0', last),
    ];
    await t.knex.transaction(async (trx) => {
      const e = await newEntry(trx);
      await trx('journal_lines').insert(lines(e, '2999'));
    });
    await expect(
      t.knex.transaction(async (trx) => {
        const e = await newEntry(trx);
        // The imbalance is in an early line, not the last one that does the check.
        const ls = lines(e, '2999');
        ls[5] = line(e, '2', '0');
        await trx('journal_lines').insert(ls);
      }),
    ).rejects.toThrow(/unbalanced \(debit 3000.00, credit 2999.00, 3000 lines\)/);
  });

  test('a line added later to an entry posted by another transaction is still checked', async () => {
    const e = await t.knex.transaction(async (trx) => {
      const id = await newEntry(trx);
      await trx('journal_lines').insert([line(id, '5', '0'), line(id, '0', '5')]);
      return id;
    });
    await expect(
      t.knex.transaction(async (trx) => {
        await trx('journal_lines').insert(line(e, '1', '0'));
      }),
    ).rejects.toThrow(/unbalanced/);
  });

  test("another transaction's later lines on the same entry do not excuse ours", async () => {
    const e = await t.knex.transaction(async (trx) => {
      const id = await newEntry(trx);
      await trx('journal_lines').insert([line(id, '5', '0'), line(id, '0', '5')]);
      return id;
    });
    // Ours first (the lower id, off by 1), then another transaction's balanced pair, committed first.
    const ours = await t.knex.transaction();
    await ours('journal_lines').insert(line(e, '1', '0'));
    await t.knex.transaction(async (other) => {
      await other('journal_lines').insert([line(e, '3', '0'), line(e, '0', '3')]);
    });
    void ours.commit();
    await expect(ours.executionPromise).rejects.toThrow(/unbalanced/);
  });

  test('lines written under a savepoint are checked too', async () => {
    await expect(
      t.knex.transaction(async (trx) => {
        const e = await newEntry(trx);
        await trx('journal_lines').insert(line(e, '5', '0'));
        await trx.transaction(async (sub) => {
          await sub('journal_lines').insert(line(e, '0', '4'));
        });
      }),
    ).rejects.toThrow(/unbalanced/);
  });
});
