import { freshDb, type TestDb } from '../support/db';
import * as make from '../support/make';
import { testDeps } from '../support/app';
import { assessDay } from '../../api/assessments/assessment.service';
import { withClaim } from '../../jobs/claims';
import { ledgerBalanced } from '../support/scenario';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

async function region() {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id, { class: 'II', openDays: [1, 2, 3, 4, 5, 6] }); // closed on Sundays
  await make.tariff(t.knex, r.id, { kind: 'kios', class: 'II', basis: 'per_m2_day', rate: '350' });
  await make.tariff(t.knex, r.id, { kind: 'pelataran', class: 'II', basis: 'flat_day', rate: '2000' });
  return { r, m, deps: testDeps(t.knex) };
}

async function occupied(regionId: string, marketId: string, o: Parameters<typeof make.stall>[3] = {}) {
  const s = await make.stall(t.knex, regionId, marketId, o);
  const tr = await make.trader(t.knex, regionId);
  await make.tenancy(t.knex, regionId, s.id, tr.id);
  return s;
}

test('each occupied active stall gets one assessment at the tariff in force, rounded to whole rupiah', async () => {
  const { r, m, deps } = await region();
  const kios = await occupied(r.id, m.id, { kind: 'kios', areaM2: '7.5' }); // 7.5 x 350 = 2625
  const odd = await occupied(r.id, m.id, { kind: 'kios', areaM2: '2.35' }); // 822.5 -> 823
  const pel = await occupied(r.id, m.id, { kind: 'pelataran', areaM2: '3' }); // flat 2000
  await occupied(r.id, m.id, { kind: 'kios', status: 'damaged' });
  await make.stall(t.knex, r.id, m.id, { kind: 'kios' }); // vacant: no tenancy
  const res = await assessDay(deps, r.code, '2026-11-23'); // a Monday
  expect(res).toEqual({
    regionCode: r.code,
    businessDate: '2026-11-23',
    created: 3,
    creditApplied: 0,
    stallsWithoutTariff: 0,
  });
  const rows = await t.knex('assessments').where({ region_id: r.id }).select('stall_id', 'amount', 'open_amount');
  const by = Object.fromEntries(rows.map((x) => [x.stall_id, x.amount]));
  expect(by).toEqual({ [kios.id]: '2625.00', [odd.id]: '823.00', [pel.id]: '2000.00' });
  expect(await ledgerBalanced(t.knex, r.id)).toBe(true);
});

test('running the assessment twice creates nothing new', async () => {
  const { r, m, deps } = await region();
  await occupied(r.id, m.id);
  await occupied(r.id, m.id);
  expect((await assessDay(deps, r.code, '2026-11-24')).created).toBe(2);
  expect((await assessDay(deps, r.code, '2026-11-24')).created).toBe(0);
  const [a, e] = await Promise.all([
    t.knex('assessments').where({ region_id: r.id }).count('* as n').first(),
    t.knex('journal_entries').where({ region_id: r.id, kind: 'assessment' }).count('* as n').first(),
  ]);
  expect([a?.n, e?.n]).toEqual(['2', '2']);
});

test('two assessments of the same region and day at once create each assessment once', async () => {
  const { r, m, deps } = await region();
  for (let i = 0; i < 5; i++) await occupied(r.id, m.id);
  const results = await Promise.all([assessDay(deps, r.code, '2026-11-25'), assessDay(deps, r.code, '2026-11-25')]);
  expect(results.map((x) => x.created).sort()).toEqual([0, 5]);
});

test('no assessment on a day the market is closed, by weekday or by closure', async () => {
  const { r, m, deps } = await region();
  await occupied(r.id, m.id);
  expect((await assessDay(deps, r.code, '2026-11-22')).created).toBe(0); // Sunday
  await t
    .knex('market_closures')
    .insert({ region_id: r.id, market_id: m.id, closed_on: '2026-12-25', reason: 'Hari Natal' });
  expect((await assessDay(deps, r.code, '2026-12-25')).created).toBe(0);
  expect((await assessDay(deps, r.code, '2026-12-24')).created).toBe(1);
});

test('an occupied stall with no tariff in force is counted, not assessed', async () => {
  const { r, m, deps } = await region();
  await occupied(r.id, m.id, { kind: 'los' }); // no los tariff in this region
  expect(await assessDay(deps, r.code, '2026-11-26')).toMatchObject({ created: 0, stallsWithoutTariff: 1 });
});

test('the tariff in force on the date applies when the Perda changes', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  await make.tariff(t.knex, r.id, { rate: '400', from: '2025-01-01', to: '2026-06-30' });
  await make.tariff(t.knex, r.id, { rate: '600', from: '2026-07-01' });
  const s = await occupied(r.id, m.id, { areaM2: '10' });
  const deps = testDeps(t.knex);
  await assessDay(deps, r.code, '2026-06-30');
  await assessDay(deps, r.code, '2026-07-01');
  const rows = await t.knex('assessments').where({ stall_id: s.id }).orderBy('business_date').select('amount');
  expect(rows.map((x) => x.amount)).toEqual(['4000.00', '6000.00']);
});

test('arrears stay with the occupant at the time the fee arose', async () => {
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  await make.tariff(t.knex, r.id);
  const s = await make.stall(t.knex, r.id, m.id);
  const first = await make.trader(t.knex, r.id);
  const second = await make.trader(t.knex, r.id);
  await make.tenancy(t.knex, r.id, s.id, first.id, { from: '2026-01-01', to: '2026-11-10' });
  await make.tenancy(t.knex, r.id, s.id, second.id, { from: '2026-11-11' });
  const deps = testDeps(t.knex);
  await assessDay(deps, r.code, '2026-11-10');
  await assessDay(deps, r.code, '2026-11-11');
  const rows = await t.knex('assessments').where({ stall_id: s.id }).orderBy('business_date').select('trader_id');
  expect(rows.map((x) => x.trader_id)).toEqual([first.id, second.id]);
});

test('a job period is claimed once: a second claimant skips, a failed claim is retried', async () => {
  const { r, deps } = await region();
  let runs = 0;
  const first = await withClaim(deps, 'assess', r.id, '2026-11-27', async () => ++runs);
  const second = await withClaim(deps, 'assess', r.id, '2026-11-27', async () => ++runs);
  expect(first).toEqual({ ran: true, result: 1 });
  expect(second).toEqual({ ran: false, reason: 'done' });
  await expect(
    withClaim(deps, 'assess', r.id, '2026-11-28', async () => {
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await withClaim(deps, 'assess', r.id, '2026-11-28', async () => 'ok')).toEqual({ ran: true, result: 'ok' });
});
