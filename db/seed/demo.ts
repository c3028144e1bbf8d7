// The demo data: two regions, four markets, ~2,000 stalls with traders and tenancies, tariffs,
// banks, staff and terminals (catalog.ts, generate.ts, credentials.ts). Inserted set-based in one
// transaction, so a half-seeded database never exists.
import type { Deps } from '../../api/core/deps';
import { hashCredential } from '../../api/auth/credentials.service';
import { Decimal } from '../../api/core/money';
import { businessDate } from '../../api/core/time';
import { openAcquirerAccounts, openMarketAccounts, openRegionAccounts } from '../../api/ledger/accounts.service';
import type { Db } from '../knex';
import { DEMO_REGIONS } from './catalog';
import { DEMO_CREDENTIALS } from './credentials';
import { buildDemoRows, type DemoRows } from './generate';
import { anyRegionCode, insertChunked, lockSeeding, regionCodeExists } from './demo.repository';
import { demoId } from './prng';

export interface DemoSummary {
  regions: number;
  markets: number;
  stalls: number;
  traders: number;
  tenancies: number;
  tariffs: number;
  acquirers: number;
  users: number;
  terminals: number;
  perMarket: {
    market: string;
    kios: number;
    los: number;
    pelataran: number;
    let: number;
    vacant: number;
    damaged: number;
  }[];
}

export type SeedOutcome = { seeded: true; summary: DemoSummary; ms: number } | { seeded: false; reason: string };

/** 'empty': only into a database with no region at all (first start of the embedded database).
 *  'absent': unless the demo region MGL is already there (`npm run seed:demo`). */
export type SeedWhen = 'empty' | 'absent';

export async function seedDemoIfEmpty(deps: Deps): Promise<boolean> {
  return (await seedDemo(deps, 'empty')).seeded;
}

export async function seedDemo(deps: Deps, when: SeedWhen): Promise<SeedOutcome> {
  const started = Date.now();
  // Cheap check first: a restart of a seeded system should not pay for password hashing.
  const present = await alreadyPresent(deps.knex, when);
  if (present) return { seeded: false, reason: present };
  const rows = buildDemoRows();
  const [users, terminals] = await Promise.all([userRows(), terminalRows()]);
  const blocked = await deps.knex.transaction(async (trx) => {
    await lockSeeding(trx);
    const again = await alreadyPresent(trx, when);
    if (again) return again;
    await insertAll(trx, rows, users, terminals).catch(explainConflict);
    await insertReportData(trx, rows, deps.clock.now());
    return undefined;
  });
  if (blocked) return { seeded: false, reason: blocked };
  return { seeded: true, summary: summarise(rows, users.length, terminals.length), ms: Date.now() - started };
}

async function alreadyPresent(db: Db, when: SeedWhen): Promise<string | undefined> {
  if (when === 'empty') {
    const code = await anyRegionCode(db);
    return code !== undefined ? `the database already has regions (${code})` : undefined;
  }
  return (await regionCodeExists(db, 'MGL')) ? 'the demo data is already present (region MGL exists)' : undefined;
}

async function insertAll(
  trx: Db,
  rows: DemoRows,
  users: Record<string, unknown>[],
  terminals: Record<string, unknown>[],
) {
  await insertChunked(trx, 'regions', rows.regions);
  for (const r of rows.regions) await openRegionAccounts(trx, r.id as string);
  await insertChunked(trx, 'markets', rows.markets);
  for (const m of rows.markets) await openMarketAccounts(trx, m.region_id as string, m.id as string, m.code as string);
  await insertChunked(trx, 'market_closures', rows.marketClosures);
  await insertChunked(trx, 'acquirers', rows.acquirers);
  for (const a of rows.acquirers)
    await openAcquirerAccounts(trx, a.region_id as string, a.id as string, a.code as string);
  await insertChunked(trx, 'tariffs', rows.tariffs);
  await insertChunked(trx, 'stalls', rows.stalls);
  await insertChunked(trx, 'traders', rows.traders);
  await insertChunked(trx, 'tenancies', rows.tenancies);
  await insertChunked(trx, 'users', users);
  await insertChunked(trx, 'terminals', terminals);
}

// `seed:demo` on a database that has some of the demo's names already (an `admin` user, a region
// BJR) cannot seed; say which row is in the way rather than a bare constraint name.
function explainConflict(err: { code?: string; detail?: string; table?: string }): never {
  if (err.code === '23505') {
    throw new Error(
      `cannot seed the demo data: ${err.table ?? 'a table'} already has a row the demo needs (${err.detail ?? 'unique violation'})`,
    );
  }
  throw err;
}

// What the reports and the penalty run need beyond the master data: each collector's terminal,
// this year's target per market and the penalty rules in force over the years.
async function insertReportData(trx: Db, rows: DemoRows, now: Date): Promise<void> {
  await insertChunked(trx, 'penalty_rules', penaltyRules());
  await insertChunked(trx, 'market_targets', marketTargets(rows, now));
  await insertChunked(trx, 'terminal_assignments', terminalAssignments());
}

/** Interest on late retribusi: 2% a month under the UU 28/2009 Perda, 1% from the region's HKPD
 * Perda (UU 1/2022), both at most 24 months. Perda numbers are illustrative. */
function penaltyRules() {
  return DEMO_REGIONS.flatMap((r) =>
    [
      {
        from: '2011-01-01',
        rate: '0.02',
        basis: `Perda ${r.name} Tahun 2011 tentang Retribusi Jasa Umum (UU 28/2009)`,
      },
      { from: '2024-01-05', rate: '0.01', basis: `${r.legalBasis} (UU 1/2022 tentang HKPD)` },
    ].map((x) => ({
      region_id: regionId(r.code),
      id: demoId('penalty-rule', r.code, x.from),
      effective_from: x.from,
      monthly_rate: x.rate,
      cap_months: 24,
      legal_basis: x.basis,
    })),
  );
}

/** This year's budget (APBD) target per market: 10% above the standing one on the market, to the
 * million, so the realisation report shows it uses the year's own. The year is the region's today. */
function marketTargets(rows: DemoRows, now: Date) {
  return rows.markets.map((m) => {
    const region = DEMO_REGIONS.find((r) => regionId(r.code) === m.region_id)!;
    const amount = new Decimal(m.annual_target as string).mul('1.1').div(1_000_000).floor().mul(1_000_000);
    return {
      region_id: m.region_id,
      market_id: m.id,
      year: Number(businessDate(now, region.timeZone).slice(0, 4)),
      amount: amount.toFixed(2),
      set_by: 'demo-seed',
    };
  });
}

/** The n-th collector of a market carries its n-th terminal from the demo tariffs' start; a
 * market's extra terminal is a spare nobody is assigned to (its takings show as such). */
function terminalAssignments() {
  const collectors = DEMO_CREDENTIALS.users.filter((u) => u.role === 'collector');
  return DEMO_CREDENTIALS.terminals.flatMap((t) => {
    const mine = collectors.filter((u) => u.region === t.region && u.market === t.market);
    const n = DEMO_CREDENTIALS.terminals.filter((x) => x.region === t.region && x.market === t.market).indexOf(t);
    const collector = mine[n];
    if (!collector) return [];
    return [
      {
        region_id: regionId(t.region),
        terminal_id: t.terminalId,
        collector_id: demoId('user', collector.username),
        effective_from: '2024-01-01',
      },
    ];
  });
}

const regionId = (code: string) => demoId('region', code);
const marketId = (region: string, market: string) => demoId('market', region, market);

// Hashing is the slow part of the seed (scrypt is meant to be slow); done before the
// transaction opens, in parallel on libuv's thread pool.
async function userRows() {
  return Promise.all(
    DEMO_CREDENTIALS.users.map(async (u) => ({
      id: demoId('user', u.username),
      username: u.username,
      password_hash: await hashCredential(u.password),
      role: u.role,
      region_id: u.region ? regionId(u.region) : null,
      market_id: u.region && u.market ? marketId(u.region, u.market) : null,
      display_name: u.displayName,
    })),
  );
}

async function terminalRows() {
  return Promise.all(
    DEMO_CREDENTIALS.terminals.map(async (t) => ({
      region_id: regionId(t.region),
      id: t.terminalId,
      market_id: marketId(t.region, t.market),
      acquirer_id: demoId('acquirer', t.acquirer),
      secret_hash: await hashCredential(t.secret),
      tid: t.tid,
      mid: t.mid,
    })),
  );
}

function summarise(rows: DemoRows, users: number, terminals: number): DemoSummary {
  const letStalls = new Set(rows.tenancies.filter((t) => t.effective_to === null).map((t) => t.stall_id));
  const perMarket = rows.markets.map((m) => {
    const stalls = rows.stalls.filter((s) => s.market_id === m.id);
    const count = (f: (s: Record<string, unknown>) => boolean) => stalls.filter(f).length;
    return {
      market: `${rows.regions.find((r) => r.id === m.region_id)!.code}/${m.code} ${m.name}`,
      kios: count((s) => s.kind === 'kios'),
      los: count((s) => s.kind === 'los'),
      pelataran: count((s) => s.kind === 'pelataran'),
      let: count((s) => letStalls.has(s.id)),
      vacant: count((s) => s.status === 'vacant'),
      damaged: count((s) => s.status === 'damaged'),
    };
  });
  return {
    regions: rows.regions.length,
    markets: rows.markets.length,
    stalls: rows.stalls.length,
    traders: rows.traders.length,
    tenancies: rows.tenancies.length,
    tariffs: rows.tariffs.length,
    acquirers: rows.acquirers.length,
    users,
    terminals,
    perMarket,
  };
}
