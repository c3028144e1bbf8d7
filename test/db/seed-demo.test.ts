import { freshDb, type TestDb } from '../support/db';
import { testDeps } from '../support/app';
import { seedDemo, seedDemoIfEmpty } from '../../db/seed/demo';
import { DEMO_CREDENTIALS } from '../../db/seed/credentials';
import { buildDemoRows } from '../../db/seed/generate';
import { verifySecret } from '../../api/auth/password';
import { businessDate } from '../../api/core/time';

let t: TestDb;
let firstSeed: boolean;
let seedMs: number;

beforeAll(async () => {
  t = await freshDb();
  const started = Date.now();
  firstSeed = await seedDemoIfEmpty(testDeps(t.knex));
  seedMs = Date.now() - started;
});
afterAll(() => t.drop());

const count = async (table: string) => Number(((await t.knex(table).count('* as n').first()) as { n: string }).n);

test('an empty database is seeded, in well under ten seconds', () => {
  expect(firstSeed).toBe(true);
  expect(seedMs).toBeLessThan(10_000);
});

test('the demo regions and markets are there with their time zones and classes', async () => {
  const markets = await t
    .knex('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .select('r.code as region', 'r.time_zone', 'm.code', 'm.name', 'm.class')
    .orderBy(['r.code', 'm.code']);
  expect(markets).toEqual([
    { region: 'BJR', time_zone: 'Asia/Makassar', code: 'MTP', name: 'Pasar Martapura', class: 'I' },
    { region: 'MGL', time_zone: 'Asia/Jakarta', code: 'CCB', name: 'Pasar Cacaban', class: 'II' },
    { region: 'MGL', time_zone: 'Asia/Jakarta', code: 'GTR', name: 'Pasar Gotong Royong', class: 'III' },
    { region: 'MGL', time_zone: 'Asia/Jakarta', code: 'RJW', name: 'Pasar Rejowinangun', class: 'I' },
  ]);
});

test('every market has hundreds of stalls, of all three kinds, with plausible areas and some vacant or damaged', async () => {
  const rows = await t
    .knex('stalls as s')
    .join('markets as m', 'm.id', 's.market_id')
    .groupBy('m.code', 's.kind')
    .select('m.code', 's.kind')
    .count('* as n')
    .min('s.area_m2 as min_area')
    .max('s.area_m2 as max_area')
    .select(t.knex.raw(`count(*) filter (where s.status in ('vacant','damaged')) as out_of_use`));
  const byMarket = new Map<string, { kinds: Set<string>; total: number; outOfUse: number }>();
  for (const r of rows) {
    const m = byMarket.get(r.code) ?? { kinds: new Set(), total: 0, outOfUse: 0 };
    m.kinds.add(r.kind);
    m.total += Number(r.n);
    m.outOfUse += Number(r.out_of_use);
    byMarket.set(r.code, m);
    expect(Number(r.n)).toBeGreaterThanOrEqual(50);
    const [lo, hi] = { kios: [6, 24], los: [2, 6], pelataran: [1, 4] }[r.kind as 'kios' | 'los' | 'pelataran'];
    expect(Number(r.min_area)).toBeGreaterThanOrEqual(lo);
    expect(Number(r.max_area)).toBeLessThanOrEqual(hi);
  }
  expect([...byMarket.keys()].sort()).toEqual(['CCB', 'GTR', 'MTP', 'RJW']);
  for (const m of byMarket.values()) {
    expect([...m.kinds].sort()).toEqual(['kios', 'los', 'pelataran']);
    expect(m.total).toBeGreaterThanOrEqual(200);
    expect(m.total).toBeLessThan(1000);
    expect(m.outOfUse).toBeGreaterThan(0);
  }
});

test('most traders have a 16-digit NIK, and most active stalls are let today', async () => {
  const { withNik, total } = (await t
    .knex('traders')
    .select(t.knex.raw(`count(nik)::int as "withNik", count(*)::int as total`))
    .first()) as { withNik: number; total: number };
  expect(withNik / total).toBeGreaterThan(0.8);
  for (const region of await t.knex('regions')) {
    const today = businessDate(new Date(), region.time_zone);
    const r = await t.knex.raw(
      `select count(*)::int as active, count(tn.id)::int as let from stalls s
         left join tenancies tn on tn.region_id = s.region_id and tn.stall_id = s.id
          and tn.effective_from <= ?::date and (tn.effective_to is null or tn.effective_to >= ?::date)
        where s.region_id = ? and s.status = 'active'`,
      [today, today, region.id],
    );
    const { active, let: letCount } = r.rows[0];
    expect(letCount / active).toBeGreaterThan(0.9);
    expect(letCount).toBeLessThanOrEqual(active); // one occupant at a time
  }
});

test("every active, let stall has a tariff in force on today's date in its region", async () => {
  for (const region of await t.knex('regions')) {
    const today = businessDate(new Date(), region.time_zone);
    const r = await t.knex.raw(
      `select count(*)::int as let,
              count(*) filter (where not exists (
                select 1 from tariffs f
                 where f.region_id = s.region_id and f.stall_kind = s.kind and f.market_class = m.class
                   and (f.zone is null or f.zone = s.zone)
                   and f.effective_from <= ?::date and (f.effective_to is null or f.effective_to >= ?::date)))::int as without_tariff
         from stalls s
         join markets m on m.region_id = s.region_id and m.id = s.market_id
         join tenancies tn on tn.region_id = s.region_id and tn.stall_id = s.id
          and tn.effective_from <= ?::date and (tn.effective_to is null or tn.effective_to >= ?::date)
        where s.region_id = ? and s.status = 'active'`,
      [today, today, today, today, region.id],
    );
    expect(r.rows[0].let).toBeGreaterThan(200);
    expect(r.rows[0].without_tariff).toBe(0);
  }
});

test('every demo user exists with its role and scope, and its documented password verifies', async () => {
  const users = await t
    .knex('users as u')
    .leftJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('markets as m', 'm.id', 'u.market_id')
    .select('u.username', 'u.role', 'u.password_hash', 'u.active', 'r.code as region', 'm.code as market');
  expect(users.map((u) => u.username).sort()).toEqual(DEMO_CREDENTIALS.users.map((u) => u.username).sort());
  for (const demo of DEMO_CREDENTIALS.users) {
    const row = users.find((u) => u.username === demo.username)!;
    expect({ role: row.role, region: row.region, market: row.market, active: row.active }).toEqual({
      role: demo.role,
      region: demo.region,
      market: demo.market,
      active: true,
    });
    expect(await verifySecret(demo.password, row.password_hash)).toBe(true);
  }
  expect(await verifySecret('wrong-password', users[0].password_hash)).toBe(false);
});

test("every demo terminal verifies with its documented secret and uses its region's card acquirer and TID", async () => {
  const terminals = await t
    .knex('terminals as tm')
    .join('acquirers as a', 'a.id', 'tm.acquirer_id')
    .join('markets as m', 'm.id', 'tm.market_id')
    .select('tm.id', 'tm.secret_hash', 'tm.tid', 'tm.mid', 'a.code as acquirer', 'a.channel', 'm.code as market');
  expect(terminals).toHaveLength(DEMO_CREDENTIALS.terminals.length);
  for (const demo of DEMO_CREDENTIALS.terminals) {
    const row = terminals.find((x) => x.id === demo.terminalId)!;
    expect({ tid: row.tid, mid: row.mid, acquirer: row.acquirer, channel: row.channel, market: row.market }).toEqual({
      tid: demo.tid,
      mid: demo.mid,
      acquirer: demo.acquirer,
      channel: 'card',
      market: demo.market,
    });
    expect(row.tid).toMatch(/^\d{8}$/);
    expect(row.mid).toMatch(/^\d{15}$/);
    expect(await verifySecret(demo.secret, row.secret_hash)).toBe(true);
  }
});

test('each region has a card and a QRIS acquirer; QRIS has its notification secret and EMVCo-sized merchant fields', async () => {
  const acquirers = await t
    .knex('acquirers as a')
    .join('regions as r', 'r.id', 'a.region_id')
    .select(
      'r.code as region',
      'a.code',
      'a.channel',
      'a.mdr_rate',
      'a.notification_secret',
      'a.merchant_name',
      'a.merchant_city',
      'a.nmid',
    )
    .orderBy(['r.code', 'a.channel']);
  expect(acquirers.map((a) => [a.region, a.channel])).toEqual([
    ['BJR', 'card'],
    ['BJR', 'qris'],
    ['MGL', 'card'],
    ['MGL', 'qris'],
  ]);
  for (const a of acquirers.filter((x) => x.channel === 'qris')) {
    expect(a.mdr_rate).toBe('0.000000'); // QRIS to government: 0% MDR
    expect(a.notification_secret).toBe(DEMO_CREDENTIALS.qris.find((q) => q.acquirer === a.code)!.notificationSecret);
    expect(a.merchant_name.length).toBeLessThanOrEqual(25);
    expect(a.merchant_city.length).toBeLessThanOrEqual(15);
    expect(a.nmid).toMatch(/^ID\d{13}$/);
  }
  for (const a of acquirers.filter((x) => x.channel === 'card')) expect(a.mdr_rate).toBe('0.001500');
});

test('the ledger accounts exist for every region, market and acquirer', async () => {
  const missing = await t.knex.raw(`
    select 'market ' || m.code || ' ' || p.purpose as missing from markets m
      cross join (values ('stall_receivable'), ('market_revenue'), ('penalty_receivable'), ('penalty_revenue')) p(purpose)
     where not exists (select 1 from accounts a where a.region_id = m.region_id and a.market_id = m.id and a.purpose = p.purpose)
    union all
    select 'acquirer ' || q.code from acquirers q
     where not exists (select 1 from accounts a where a.region_id = q.region_id and a.acquirer_id = q.id and a.purpose = 'acquirer_clearing')
    union all
    select 'region ' || r.code || ' ' || p.purpose from regions r
      cross join (values ('treasury_bank'), ('trader_credit'), ('suspense'), ('mdr_expense')) p(purpose)
     where not exists (select 1 from accounts a where a.region_id = r.id and a.purpose = p.purpose and a.market_id is null and a.acquirer_id is null)`);
  expect(missing.rows).toEqual([]);
  // per region 4; per acquirer 1; per market receivable, revenue, penalty receivable and penalty revenue.
  expect(await count('accounts')).toBe(2 * 4 + 4 + 4 * 4);
});

test('seeding again adds nothing: seedDemoIfEmpty returns false and seed:demo reports the data present', async () => {
  const tables = [
    'regions',
    'markets',
    'stalls',
    'traders',
    'tenancies',
    'tariffs',
    'acquirers',
    'users',
    'terminals',
    'accounts',
  ];
  const before = await Promise.all(tables.map(count));
  expect(await seedDemoIfEmpty(testDeps(t.knex))).toBe(false);
  expect(await seedDemo(testDeps(t.knex), 'absent')).toEqual({
    seeded: false,
    reason: expect.stringContaining('already present'),
  });
  expect(await Promise.all(tables.map(count))).toEqual(before);
});

test('the demo is reproducible: the generator builds the same rows, with the same ids, as are in the database', async () => {
  const built = buildDemoRows();
  expect(buildDemoRows()).toEqual(built);
  const traders = await t.knex('traders').select('id', 'nik', 'name').orderBy('id');
  const expected = built.traders
    .map((x) => ({ id: x.id, nik: x.nik, name: x.name }))
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  expect(traders).toEqual(expected);
});
