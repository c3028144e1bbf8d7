// The master data behind the realisation and per-collector reports: a market's target per year
// (set by an officer, replaced by a second PUT) and which collector carried which terminal when
// (one at a time, a collector of the terminal's own market, ended once).
import type { Express } from 'express';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { freshDb, type TestDb } from '../support/db';
import { testApp, testDeps, tokenFor } from '../support/app';
import * as make from '../support/make';
import { regionWorld, type RegionWorld, staffPrincipal } from '../support/region-world';
import type { Principal } from '../../api/auth/principal';
import { seedDemo } from '../../db/seed/demo';
import { demoId } from '../../db/seed/prng';

let t: TestDb;
let app: Express;
let A: RegionWorld;
let B: RegionWorld;

beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
  [A, B] = await Promise.all([regionWorld(t.knex, app), regionWorld(t.knex, app)]);
});
afterAll(() => t.drop());

function as(who: Principal | null) {
  const auth = (r: request.Test) => (who ? r.set('Authorization', `Bearer ${tokenFor(who)}`) : r);
  return {
    get: (path: string) => auth(request(app).get(`/api/v1${path}`)),
    put: (path: string, body: object) => auth(request(app).put(`/api/v1${path}`)).send(body),
    post: (path: string, body: object) => auth(request(app).post(`/api/v1${path}`)).send(body),
  };
}

const staff = (u: Parameters<typeof staffPrincipal>[0]) => staffPrincipal(u);
const admin: Principal = { role: 'admin', sub: randomUUID() };
const instant = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe('market targets', () => {
  test('an officer sets a year; a second PUT of the same year replaces the amount', async () => {
    const officer = as(staff(A.users.officer));
    const first = await officer.put(`/markets/${A.market1.id}/targets/2026`, { amount: '1200000000' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      marketId: A.market1.id,
      year: 2026,
      amount: '1200000000.00',
      setBy: A.users.officer.id,
      setAt: instant,
    });

    const second = await as(admin).put(`/markets/${A.market1.id}/targets/2026`, { amount: '1350000000.50' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ year: 2026, amount: '1350000000.50', setBy: admin.sub });
    await officer.put(`/markets/${A.market1.id}/targets/2025`, { amount: '0' });

    const list = await as(staff(A.users.manager1)).get(`/markets/${A.market1.id}/targets`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      marketId: A.market1.id,
      annualTarget: '0.00',
      items: [
        { marketId: A.market1.id, year: 2026, amount: '1350000000.50', setBy: admin.sub, setAt: instant },
        { marketId: A.market1.id, year: 2025, amount: '0.00', setBy: A.users.officer.id, setAt: instant },
      ],
    });
    const rows = await t.knex('market_targets').where({ market_id: A.market1.id }).count('* as n').first();
    expect(rows?.n).toBe('2');
  });

  test("another region's officer, a manager and an auditor cannot set a target (403), and nothing is written", async () => {
    const path = `/markets/${A.market2.id}/targets/2027`;
    for (const who of [staff(B.users.officer), staff(A.users.manager2), staff(A.users.auditor)]) {
      const res = await as(who).put(path, { amount: '5000000' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(await t.knex('market_targets').where({ market_id: A.market2.id }).first()).toBeUndefined();
  });

  test('the manager of another market, a collector and region B read no targets of A1; its auditor does', async () => {
    const path = `/markets/${A.market1.id}/targets`;
    expect((await as(staff(A.users.manager2)).get(path)).status).toBe(403);
    expect((await as(staff(A.users.collector1)).get(path)).status).toBe(403);
    expect((await as(staff(B.users.auditor)).get(path)).status).toBe(403);
    expect((await as(staff(A.users.auditor)).get(path)).status).toBe(200);
    expect((await as(null).get(path)).status).toBe(401);
  });

  test('a bad year or amount is a 400 naming the field; an unknown market is a 404', async () => {
    const officer = as(staff(A.users.officer));
    const fields = async (path: string, body: object) => {
      const res = await officer.put(path, body);
      expect(res.status).toBe(400);
      return res.body.error.details.map((d: { field: string }) => d.field);
    };
    expect(await fields(`/markets/${A.market1.id}/targets/26`, { amount: '1' })).toEqual(['year']);
    expect(await fields(`/markets/${A.market1.id}/targets/1999`, { amount: '1' })).toEqual(['year']);
    expect(await fields(`/markets/${A.market1.id}/targets/2026`, { amount: 1000 })).toEqual(['amount']);
    expect(await fields(`/markets/${A.market1.id}/targets/2026`, { amount: '-5' })).toEqual(['amount']);
    expect(await fields(`/markets/${A.market1.id}/targets/2026`, { amount: '5', note: 'x' })).toEqual(['note']);
    const missing = await officer.put(`/markets/${randomUUID()}/targets/2026`, { amount: '1' });
    expect(missing.status).toBe(404);
  });
});

describe('terminal assignments', () => {
  test('a terminal is carried by one collector at a time: an overlap is 409; ended, the next one starts after', async () => {
    const officer = as(staff(A.users.officer));
    const path = `/terminals/${A.terminal1.id}/assignments`;
    const first = await officer.post(path, { collectorId: A.users.collector1.id, effectiveFrom: '2026-01-01' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      regionId: A.region.id,
      terminalId: A.terminal1.id,
      collectorId: A.users.collector1.id,
      collectorName: 'collector uji',
      collectorUsername: A.users.collector1.username,
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      createdAt: instant,
    });

    const colleague = await make.user(t.knex, 'collector', { regionId: A.region.id, marketId: A.market1.id });
    const overlap = await officer.post(path, { collectorId: colleague.id, effectiveFrom: '2026-06-01' });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error).toMatchObject({ code: 'assignment-overlap', details: [{ field: 'effectiveFrom' }] });

    const ended = await officer.post(`/terminal-assignments/${first.body.id}/end`, { effectiveTo: '2026-05-31' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: first.body.id, effectiveFrom: '2026-01-01', effectiveTo: '2026-05-31' });
    // The last day of the first one is still the first collector's.
    const onItsLastDay = await officer.post(path, { collectorId: colleague.id, effectiveFrom: '2026-05-31' });
    expect(onItsLastDay.status).toBe(409);
    const next = await officer.post(path, { collectorId: colleague.id, effectiveFrom: '2026-06-01' });
    expect(next.status).toBe(201);

    const again = await officer.post(`/terminal-assignments/${first.body.id}/end`, { effectiveTo: '2026-04-30' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('assignment-already-ended');
    const beforeStart = await officer.post(`/terminal-assignments/${next.body.id}/end`, { effectiveTo: '2026-05-01' });
    expect(beforeStart.status).toBe(422);
    expect(beforeStart.body.error).toMatchObject({ code: 'invalid-period', details: [{ field: 'effectiveTo' }] });

    const list = await as(staff(A.users.manager1)).get(path);
    expect(list.status).toBe(200);
    expect(
      list.body.items.map((a: { collectorId: string; effectiveFrom: string; effectiveTo: string | null }) => [
        a.collectorId,
        a.effectiveFrom,
        a.effectiveTo,
      ]),
    ).toEqual([
      [colleague.id, '2026-06-01', null],
      [A.users.collector1.id, '2026-01-01', '2026-05-31'],
    ]);
  });

  test("only a collector of the terminal's own market can carry it: anyone else is 422 naming collectorId", async () => {
    const officer = as(staff(A.users.officer));
    const path = `/terminals/${A.terminal2.id}/assignments`;
    const refused = async (collectorId: string, code: string, extra: object = {}) => {
      const res = await officer.post(path, { collectorId, effectiveFrom: '2026-03-01', ...extra });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code, details: [{ field: 'collectorId' }] });
    };
    await refused(A.users.collector1.id, 'collector-outside-market'); // market A1's collector, terminal of A2
    await refused(B.users.collector2.id, 'collector-outside-market');
    await refused(A.users.manager2.id, 'not-a-collector');
    await refused(randomUUID(), 'unknown-collector');
    const gone = await make.user(t.knex, 'collector', { regionId: A.region.id, marketId: A.market2.id });
    await t.knex('users').where({ id: gone.id }).update({ active: false });
    await refused(gone.id, 'collector-inactive');
    // History entered late: a closed period of a collector who has since left is recorded.
    const past = await officer.post(path, {
      collectorId: gone.id,
      effectiveFrom: '2025-01-01',
      effectiveTo: '2025-12-31',
    });
    expect(past.status).toBe(201);
    expect(await t.knex('terminal_assignments').where({ terminal_id: A.terminal2.id }).count('* as n').first()).toEqual(
      { n: '1' },
    );
  });

  test('who may assign and read: officers of the region and the admin write; its manager and auditor read', async () => {
    const path = `/terminals/${A.terminal2.id}/assignments`;
    const body = { collectorId: A.users.collector2.id, effectiveFrom: '2027-01-01' };
    expect((await as(staff(B.users.officer)).post(path, body)).status).toBe(403);
    expect((await as(staff(A.users.manager2)).post(path, body)).status).toBe(403);
    expect((await as(staff(A.users.collector2)).post(path, body)).status).toBe(403);
    expect((await as(null).post(path, body)).status).toBe(401);
    expect((await as(admin).post(path, body)).status).toBe(201);
    expect((await as(staff(A.users.manager2)).get(path)).status).toBe(200);
    expect((await as(staff(A.users.auditor)).get(path)).status).toBe(200);
    expect((await as(staff(A.users.manager1)).get(path)).status).toBe(403);
    expect((await as(staff(B.users.auditor)).get(path)).status).toBe(403);
    expect((await as(staff(A.users.officer)).get('/terminals/NO-SUCH-TERMINAL/assignments')).status).toBe(404);
    expect(
      (
        await as(staff(A.users.officer)).post(`/terminal-assignments/${randomUUID()}/end`, {
          effectiveTo: '2027-01-01',
        })
      ).status,
    ).toBe(404);
  });

  test('a bad period is a 400 naming the field', async () => {
    const res = await as(staff(A.users.officer)).post(`/terminals/${A.terminal1.id}/assignments`, {
      collectorId: A.users.collector1.id,
      effectiveFrom: '2028-02-10',
      effectiveTo: '2028-02-01',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'effectiveTo', message: 'must not be before effectiveFrom' }]);
  });
});

test("the demo seed assigns a collector to each terminal but the spares, sets this year's targets and both penalty rules", async () => {
  const demo = await freshDb();
  try {
    const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
    const outcome = await seedDemo({ ...testDeps(demo.knex), clock }, 'empty');
    expect(outcome.seeded).toBe(true);
    const assigned = await demo
      .knex('terminal_assignments as a')
      .join('users as u', 'u.id', 'a.collector_id')
      .orderBy('a.terminal_id')
      .select('a.terminal_id', 'u.username', 'a.effective_from', 'a.effective_to');
    expect(assigned.map((a) => [a.terminal_id, a.username])).toEqual([
      ['BJR-MTP-01', 'collector.martapura.1'],
      ['BJR-MTP-02', 'collector.martapura.2'],
      ['MGL-CCB-01', 'collector.cacaban.1'],
      ['MGL-CCB-02', 'collector.cacaban.2'],
      ['MGL-GTR-01', 'collector.gotongroyong.1'],
      ['MGL-GTR-02', 'collector.gotongroyong.2'],
      ['MGL-RJW-01', 'collector.rejowinangun.1'],
      ['MGL-RJW-02', 'collector.rejowinangun.2'],
    ]);
    expect(new Set(assigned.map((a) => `${a.effective_from}|${a.effective_to}`))).toEqual(new Set(['2024-01-01|null']));

    const targets = await demo
      .knex('market_targets as t')
      .join('markets as m', 'm.id', 't.market_id')
      .select('m.code', 't.year', 't.amount', 'm.annual_target')
      .orderBy('m.code');
    expect(targets.map((x) => [x.code, x.year])).toEqual([
      ['CCB', 2026],
      ['GTR', 2026],
      ['MTP', 2026],
      ['RJW', 2026],
    ]);
    for (const x of targets) {
      expect(Number(x.amount)).toBeGreaterThan(Number(x.annual_target));
      expect(Number(x.amount) % 1_000_000).toBe(0);
    }

    const rules = await demo
      .knex('penalty_rules as p')
      .join('regions as r', 'r.id', 'p.region_id')
      .select('r.code', 'p.effective_from', 'p.monthly_rate', 'p.cap_months')
      .orderBy(['r.code', 'p.effective_from']);
    expect(rules.map((r) => [r.code, r.effective_from, r.monthly_rate, r.cap_months])).toEqual([
      ['BJR', '2011-01-01', '0.0200', 24],
      ['BJR', '2024-01-05', '0.0100', 24],
      ['MGL', '2011-01-01', '0.0200', 24],
      ['MGL', '2024-01-05', '0.0100', 24],
    ]);
    expect(rules.length).toBe(4);
    expect(
      await demo
        .knex('penalty_rules')
        .where({ id: demoId('penalty-rule', 'MGL', '2024-01-05') })
        .first(),
    ).toBeDefined();
  } finally {
    await demo.drop();
  }
});
