// A small but lifelike region for the page tests (supertest and the browser): a market of twelve
// stalls in three blocks with months of assessments, some traders paid up and some in arrears
// in every ageing bucket, penalties, last month's warnings, today's payments by card, a
// reconciliation calendar with clean days, a day awaiting settlement and a day with an open
// exception, and one account per page role. A second market and a second region are there to be
// refused. The clock is fixed at Wednesday 18 November 2026, 10.00 WIB.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { assessDay } from '../../api/assessments/assessment.service';
import { issueLetters } from '../../api/letters/letters.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import { reconcileDay } from '../../api/reconcile/reconcile.service';
import { fixedClock, testApp, tokenFor } from '../support/app';
import { pay as payCard } from '../support/pay';
import * as make from '../support/make';

export const NOW = '2026-11-18T03:00:00Z';
export const TODAY = '2026-11-18';
/** The day with one card payment the bank never settled: an open exception. */
export const EXCEPTION_DAY = '2026-11-16';

const ASSESSED = [
  '2026-08-05',
  '2026-08-06',
  '2026-09-25',
  '2026-09-26',
  '2026-10-20',
  '2026-11-10',
  '2026-11-11',
  '2026-11-12',
  '2026-11-13',
  '2026-11-14',
  '2026-11-15',
  '2026-11-16',
  '2026-11-17',
  TODAY,
];

interface StallPlan {
  code: string;
  block: string;
  kind: 'kios' | 'los';
  trader?: string;
  /** before today: pay everything owed ('all'), nothing, or this amount (oldest days first) */
  before: 'all' | 'none' | string;
  today?: string;
}

const PLAN: StallPlan[] = [
  { code: 'A-01', block: 'A', kind: 'kios', trader: 'Siti Aminah', before: 'all', today: '3000' },
  { code: 'A-02', block: 'A', kind: 'kios', trader: 'Budi Santoso', before: 'all', today: '1000' },
  { code: 'A-03', block: 'A', kind: 'kios', trader: 'Sri Wahyuni', before: 'all' },
  { code: 'A-04', block: 'A', kind: 'kios', trader: 'Agus Prasetyo', before: 'all', today: '3000' },
  { code: 'A-05', block: 'A', kind: 'kios', trader: 'Dewi Lestari', before: 'none' },
  { code: 'B-01', block: 'B', kind: 'kios', trader: 'Slamet Riyadi', before: 'none' },
  { code: 'B-02', block: 'B', kind: 'kios', trader: 'Endang Susilowati', before: '15000' },
  { code: 'B-03', block: 'B', kind: 'kios', trader: 'Joko Widodo', before: 'all', today: '3000' },
  { code: 'B-04', block: 'B', kind: 'kios', trader: 'Rini Handayani', before: 'all' },
  { code: 'C-01', block: 'C', kind: 'los', trader: 'Wagiman', before: 'all', today: '2000' },
  { code: 'C-02', block: 'C', kind: 'los', trader: 'Tukiyem', before: '6000' },
  { code: 'C-03', block: 'C', kind: 'los', before: 'none' },
];

export type PagesWorld = Awaited<ReturnType<typeof pagesWorld>>;

async function namedMarket(db: Knex, regionId: string, code: string, name: string) {
  const m = await make.market(db, regionId, { code });
  await db('markets').where({ id: m.id }).update({ name });
  return { ...m, name };
}

async function stall(db: Knex, regionId: string, marketId: string, p: StallPlan) {
  const s = await make.stall(db, regionId, marketId, {
    code: p.code,
    kind: p.kind,
    areaM2: p.kind === 'kios' ? '6' : '4',
  });
  await db('stalls').where({ id: s.id }).update({ block: p.block });
  const trader = p.trader ? await make.trader(db, regionId, { name: p.trader }) : undefined;
  if (trader) await make.tenancy(db, regionId, s.id, trader.id);
  return { ...s, block: p.block, trader };
}

export async function pagesWorld(db: Knex) {
  const { app, deps } = testApp(db, fixedClock(NOW));
  const regionA = await make.region(db, { code: 'KMG', name: 'Kota Magelang' });
  const regionB = await make.region(db, { code: 'KSM', name: 'Kabupaten Semarang' });
  const market = await namedMarket(db, regionA.id, 'REJ', 'Pasar Rejowinangun');
  const market2 = await namedMarket(db, regionA.id, 'GOT', 'Pasar Gotong Royong');
  const marketB = await namedMarket(db, regionB.id, 'BDJ', 'Pasar Bandarjo');
  const stalls = Object.fromEntries(
    await Promise.all(PLAN.map(async (p) => [p.code, await stall(db, regionA.id, market.id, p)] as const)),
  );
  const stallA2 = await stall(db, regionA.id, market2.id, {
    code: 'G-01',
    block: 'G',
    kind: 'kios',
    trader: 'Paijo',
    before: 'none',
  });
  const stallB = await stall(db, regionB.id, marketB.id, {
    code: 'D-01',
    block: 'D',
    kind: 'kios',
    trader: 'Ngatini',
    before: 'none',
  });
  for (const r of [regionA, regionB]) {
    await make.tariff(db, r.id, { kind: 'kios', rate: '500' });
    await make.tariff(db, r.id, { kind: 'los', rate: '500' });
    await make.penaltyRule(db, r.id, { legalBasis: 'Perda Kota Magelang No. 1 Tahun 2024' });
  }
  const acquirer = await make.acquirer(db, regionA.id, { code: 'bni' });
  await db('acquirers').where({ id: acquirer.id }).update({ name: 'BNI' });
  const terminal = await make.terminal(db, regionA.id, market.id, acquirer.id);
  await make.terminal(db, regionB.id, marketB.id, (await make.acquirer(db, regionB.id)).id);
  const terminalToken = tokenFor(
    { role: 'terminal', sub: terminal.id, terminalId: terminal.id, regionId: regionA.id, marketId: market.id },
    Date.parse(NOW),
  );

  const pay = (s: { id: string }, amount: string, paidAt: string) =>
    payCard(app, { stall: s, terminal, terminalToken }, { amount, paidAt });
  const owed = async (s: { id: string }, before: string): Promise<string> => {
    const { rows } = await db.raw(
      `select coalesce(sum(open_amount), 0)::text as owed from assessments where region_id = ? and stall_id = ? and business_date < ?`,
      [regionA.id, s.id, before],
    );
    return rows[0].owed;
  };
  // Until October the good payers paid every day on the day; the others did not.
  for (const d of ASSESSED) {
    await assessDay(deps, regionA.code, d);
    await assessDay(deps, regionB.code, d);
    if (d >= '2026-11-01') continue;
    for (const p of PLAN.filter((x) => x.before === 'all'))
      await pay(stalls[p.code], p.kind === 'kios' ? '3000' : '2000', `${d}T02:00:00Z`);
  }
  await issueLetters(deps, { regionId: regionA.id, marketId: market.id, asOf: '2026-11-01', issuedBy: null });
  await runPenalties(deps, regionA.id, '2026-11-01');

  // One payment on the exception day, settled by nobody; on the 17th the good payers caught up
  // with November and two debtors paid part of what they owed (oldest days first).
  const unsettled = await pay(stalls['A-04'], '3000', `${EXCEPTION_DAY}T02:30:00Z`);
  for (const p of PLAN) {
    if (p.before === 'none') continue;
    const amount = p.before === 'all' ? await owed(stalls[p.code], TODAY) : p.before;
    if (Number(amount) > 0) await pay(stalls[p.code], amount, '2026-11-17T04:00:00Z');
  }
  for (const p of PLAN) if (p.today) await pay(stalls[p.code], p.today, '2026-11-18T01:30:00Z');

  // The bank's files reach 17 November: the 16th's payment should have been settled by then.
  await db('bank_files').insert({
    region_id: regionA.id,
    kind: 'settlement',
    acquirer_id: acquirer.id,
    format: 'bni',
    name: 'bni-20261117.csv',
    sha256: createHash('sha256').update(randomBytes(16)).digest('hex'),
    size_bytes: 4,
    content: Buffer.from('test'),
    line_count: 0,
    totals: '{}',
    settlement_date: '2026-11-17',
    source: 'upload',
  });
  for (let d = 1; d <= 17; d++) await reconcileDay(deps, regionA.id, `2026-11-${String(d).padStart(2, '0')}`);

  const [officer, manager, manager2, auditor, officerB, collector] = await Promise.all([
    make.user(db, 'officer', { username: 'petugas.kmg', regionId: regionA.id }),
    make.user(db, 'manager', { username: 'kepala.rej', regionId: regionA.id, marketId: market.id }),
    make.user(db, 'manager', { username: 'kepala.got', regionId: regionA.id, marketId: market2.id }),
    make.user(db, 'auditor', { username: 'auditor.kmg', regionId: regionA.id }),
    make.user(db, 'officer', { username: 'petugas.ksm', regionId: regionB.id }),
    make.user(db, 'collector', { username: 'jukir.rej', regionId: regionA.id, marketId: market.id }),
  ]);
  await db('users').where({ id: officer.id }).update({ display_name: 'Rina Kartika' });
  await db('users').where({ id: manager.id }).update({ display_name: 'Hadi Susanto' });
  const exception = await db('reconciliation_exceptions')
    .where({ region_id: regionA.id, business_date: EXCEPTION_DAY, status: 'open' })
    .first('id', 'kind');
  if (!exception) throw new Error('pagesWorld: the exception day has no open exception');

  return {
    deps,
    app,
    regionA,
    regionB,
    market,
    market2,
    marketB,
    stalls,
    stallA2,
    stallB,
    acquirer,
    terminal,
    users: { officer, manager, manager2, auditor, officerB, collector },
    exception,
    unsettledPayment: unsettled,
  };
}
