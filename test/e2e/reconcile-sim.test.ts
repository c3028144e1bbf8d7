// Reconciliation against the simulator's banks (issue 5, "done when"): a clean day has no
// exception and every payment is settled and credited; a day with every kind of fault reports
// exactly the manifest's faults and nothing more; resolving them closes the day; a second run, and
// a run killed half-way then run again, find the same; two schedulers started together run once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { Deps } from '../../api/core/deps';
import { seedDemoIfEmpty } from '../../db/seed/demo';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testDeps, tokenFor, userIdFor } from '../support/app';
import { runSim } from '../../terminal-sim/sim';
import type { FaultSpec } from '../../terminal-sim/options';
import { addDays, localDate } from '../../terminal-sim/clock';
import { isoWeekday } from '../../api/core/time';
import { reconcileJob } from '../../jobs/reconcile';
import { reconcileTick } from '../../jobs/schedule';
import { reconcileDay, type ReconciliationSummary } from '../../api/reconcile/reconcile.service';

const FAULTS: FaultSpec = {
  'lost-queue': 1,
  unsettled: 1,
  'amount-mismatch': 1,
  'duplicate-line': 1,
  'short-credit': 1,
  'late-settlement': 1,
};
const REGIONS = ['BJR', 'MGL'];

/** A Tuesday in the past: its D+1 (Wednesday) is the due day, and D+2 is late, in business days too. */
function pastTuesday(): string {
  let d = addDays(localDate(new Date(), 'Asia/Jakarta'), -2);
  while (isoWeekday(d) !== 2) d = addDays(d, -1);
  return d;
}
const DATE = pastTuesday();

interface World {
  db: TestDb;
  deps: Deps;
  server: http.Server;
  inbox: string;
  regionIds: Record<string, string>;
}

async function simulatedDay(faults: FaultSpec): Promise<World> {
  const db = await freshDb();
  const base = testDeps(db.knex);
  await seedDemoIfEmpty(base);
  const server = http.createServer(createApp(base)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const inbox = mkdtempSync(path.join(tmpdir(), 'eret-recon-'));
  const result = await runSim({
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    date: DATE,
    seed: 11,
    terminals: 2,
    stallsPerTerminal: 15,
    backfillDays: 1,
    faults,
    inbox,
  });
  expect(result.errors).toEqual([]);
  const deps: Deps = { ...base, config: { ...base.config, SETTLEMENT_INBOX: inbox } };
  const regions = await db.knex('regions').select('id', 'code');
  return { db, deps, server, inbox, regionIds: Object.fromEntries(regions.map((r) => [r.code, r.id])) };
}

let clean: World;
let faulty: World;

beforeAll(async () => {
  [clean, faulty] = await Promise.all([simulatedDay({}), simulatedDay(FAULTS)]);
}, 150_000);

afterAll(async () => {
  for (const w of [clean, faulty].filter(Boolean)) {
    w.server.close();
    await w.db.drop();
    rmSync(w.inbox, { recursive: true, force: true });
  }
});

function manifest(w: World, region: string): { faults: Record<string, string>[] } {
  return JSON.parse(readFileSync(path.join(w.inbox, region, DATE, 'manifest.json'), 'utf8'));
}

/** Two days after DATE at 03:00 WIB: past RECONCILE_AT in both regions. */
const NIGHT = new Date(`${addDays(DATE, 2)}T03:00:00+07:00`);

describe('a clean day', () => {
  test('two schedulers started together import and reconcile each region once', async () => {
    const deps = { ...clean.deps, clock: fixedClock(NIGHT.toISOString()) };
    await Promise.all([reconcileTick(deps), reconcileTick(deps)]);
    const claims = await clean.db
      .knex('job_runs')
      .where({ job: 'reconcile' })
      .select('region_id', 'attempts', 'finished_at', 'error');
    expect(claims).toHaveLength(2);
    expect(claims.every((c) => c.attempts === 1 && c.finished_at && !c.error)).toBe(true);
    const runs = await clean.db.knex('reconciliation_runs').where({ business_date: DATE }).select('runs');
    expect(runs.map((r) => r.runs)).toEqual([1, 1]);
    const files = await clean.db.knex('bank_files').count<{ count: string }[]>('* as count');
    expect(Number(files[0].count)).toBeGreaterThanOrEqual(6);
  }, 60_000);

  test('has no exception: every payment is settled, every batch credited, the day closed', async () => {
    for (const region of REGIONS) {
      const s = await reconcileDay(clean.deps, clean.regionIds[region], DATE);
      expect({ region, status: s.status, open: s.exceptions.open, awaiting: s.awaitingSettlement.count }).toEqual({
        region,
        status: 'closed',
        open: 0,
        awaiting: 0,
      });
      expect(s.ledger.count).toBeGreaterThan(0);
      expect(s.matched).toEqual(s.ledger);
      for (const a of s.acquirers.filter((x) => x.ledger.count > 0)) {
        expect(a.batches.count).toBeGreaterThan(0);
        expect(a.batches.credited).toBe(a.batches.count);
        expect(a.batches.creditedAmount).toBe(a.settled.net);
      }
    }
    const exceptions = await clean.db.knex('reconciliation_exceptions').count<{ count: string }[]>('* as count');
    expect(Number(exceptions[0].count)).toBe(0);
  });

  test("the settlement entries empty each acquirer's clearing account and put the net in the treasury bank", async () => {
    const rows = await clean.db.knex.raw(
      `select a.purpose, sum(l.debit - l.credit)::text as balance
         from journal_lines l join accounts a on a.region_id = l.region_id and a.id = l.account_id
        where a.purpose in ('acquirer_clearing', 'treasury_bank', 'mdr_expense', 'suspense')
        group by a.purpose order by a.purpose`,
    );
    const bal = Object.fromEntries(
      rows.rows.map((r: { purpose: string; balance: string }) => [r.purpose, new Decimal(r.balance)]),
    );
    expect(bal.acquirer_clearing.toFixed(2)).toBe('0.00');
    expect(bal.suspense ?? new Decimal(0)).toEqual(new Decimal(0));
    const paid = await clean.db.knex('payments').sum<{ sum: string }[]>('amount as sum');
    expect(bal.treasury_bank.plus(bal.mdr_expense ?? 0).toFixed(2)).toBe(new Decimal(paid[0].sum).toFixed(2));
  });

  test('the CLI path (npm run job -- reconcile) finds the same again and imports nothing twice', async () => {
    const before = await Promise.all(REGIONS.map((r) => reconcileDay(clean.deps, clean.regionIds[r], DATE)));
    const results = await reconcileJob(clean.deps, { date: DATE });
    expect(results.flatMap((r) => r.imported).every((i) => i.duplicate)).toBe(true);
    expect(results.map((r) => r.reconciled[0])).toEqual(before);
  });
});

/** How the bank's files name a transaction: a card layout has no RRN, so its TID and approval code
 * (unique per TID and day in every real file); a QRIS one by its RRN, which its file carries. */
const named = (channel: string, x: { tid: string; approvalCode: string; rrn: string }) =>
  channel === 'card' ? `tid ${x.tid} auth ${x.approvalCode}` : `rrn ${x.rrn}`;

/** The exceptions a correct job must report for the manifest's faults, as (kind, what it names). */
function expectedFrom(m: { faults: Record<string, string>[] }): string[] {
  const kindOf: Record<string, string> = {
    'lost-queue': 'settled-not-in-ledger',
    unsettled: 'in-ledger-not-settled',
    'amount-mismatch': 'amount-mismatch',
    'duplicate-line': 'duplicate-settlement-line',
    'short-credit': 'batch-statement-mismatch',
    'late-settlement': 'settled-late',
  };
  return m.faults
    .map(
      (f) =>
        `${kindOf[f.kind]} ${f.acquirer} ${f.kind === 'short-credit' ? `batch ${f.batch}` : named(f.channel, f as never)}`,
    )
    .sort();
}

async function openFound(w: World, region: string): Promise<string[]> {
  const rows = await w.db.knex.raw(
    `select e.kind, a.code, a.channel, e.batch, coalesce(p.rrn, sl.rrn) as rrn, coalesce(p.tid, sl.tid) as tid,
            coalesce(p.approval_code, sl.approval_code) as "approvalCode"
       from reconciliation_exceptions e
       join acquirers a on a.region_id = e.region_id and a.id = e.acquirer_id
       left join payments p on p.region_id = e.region_id and p.id = e.payment_id
       left join settlement_lines sl on sl.region_id = e.region_id and sl.id = e.settlement_line_id
      where e.region_id = ? and e.status = 'open'`,
    [w.regionIds[region]],
  );
  return rows.rows
    .map(
      (r: {
        kind: string;
        code: string;
        channel: string;
        batch: string;
        rrn: string;
        tid: string;
        approvalCode: string;
      }) => `${r.kind} ${r.code} ${r.kind === 'batch-statement-mismatch' ? `batch ${r.batch}` : named(r.channel, r)}`,
    )
    .sort();
}

describe('a day with every kind of fault', () => {
  let firstRun: ReconciliationSummary[];

  test('a run killed half-way leaves nothing behind', async () => {
    const regionId = faulty.regionIds.MGL;
    // Hold the table the run writes last, so it blocks there with all its work done, then kill it.
    const blocker = new pg.Client({ connectionString: faulty.db.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table reconciliation_runs in access exclusive mode');
    const run = reconcileJob(faulty.deps, { region: 'MGL', date: DATE }).then(
      () => 'finished',
      (e: Error) => e.message,
    );
    let killed = false;
    for (let i = 0; i < 200 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await blocker.query(
        `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      for (const r of rows)
        killed = (await blocker.query('select pg_terminate_backend($1) as ok', [r.pid])).rows[0].ok || killed;
    }
    await blocker.query('rollback');
    await blocker.end();
    expect(killed).toBe(true);
    expect(await run).not.toBe('finished');
    for (const table of [
      'settlement_matches',
      'settlement_postings',
      'reconciliation_exceptions',
      'reconciliation_runs',
    ]) {
      const n = await faulty.db.knex(table).where({ region_id: regionId }).count<{ count: string }[]>('* as count');
      expect({ table, rows: Number(n[0].count) }).toEqual({ table, rows: 0 });
    }
    // The files it imported before reconciling are kept: the import is its own transaction.
    const files = await faulty.db
      .knex('bank_files')
      .where({ region_id: regionId })
      .count<{ count: string }[]>('* as count');
    expect(Number(files[0].count)).toBeGreaterThan(0);
  }, 60_000);

  test("reports exactly the manifest's faults, nothing more", async () => {
    const results = await reconcileJob(faulty.deps, { date: DATE });
    firstRun = results.map((r) => r.reconciled[0]);
    for (const region of REGIONS) {
      const m = manifest(faulty, region);
      expect(m.faults.length).toBe(6);
      expect({ region, found: await openFound(faulty, region) }).toEqual({ region, found: expectedFrom(m) });
      const s = firstRun.find((x) => x.region === region)!;
      expect(s.status).toBe('open');
      expect(s.exceptions.open).toBe(6);
    }
  });

  test('a second run finds the same, exception for exception', async () => {
    const ids = await faulty.db
      .knex('reconciliation_exceptions')
      .orderBy('id')
      .select('id', 'kind', 'subject', 'status');
    const again = await Promise.all(REGIONS.map((r) => reconcileDay(faulty.deps, faulty.regionIds[r], DATE)));
    expect(again).toEqual(firstRun);
    expect(
      await faulty.db.knex('reconciliation_exceptions').orderBy('id').select('id', 'kind', 'subject', 'status'),
    ).toEqual(ids);
  });

  test('resolving every exception, with who and why, closes the day', async () => {
    const app = createApp(faulty.deps);
    for (const region of REGIONS) {
      const officer = tokenFor({ role: 'officer', sub: `officer-${region}`, regionId: faulty.regionIds[region] });
      const list = await request(app)
        .get(`/api/v1/reconciliation-exceptions?regionId=${faulty.regionIds[region]}&date=${DATE}&status=open`)
        .set('Authorization', `Bearer ${officer}`);
      expect(list.status).toBe(200);
      const lost = manifest(faulty, region).faults.find((f) => f.kind === 'lost-queue')!;
      for (const e of list.body.exceptions) {
        const body =
          e.kind === 'settled-not-in-ledger'
            ? {
                resolution: 'accept-bank',
                note: 'terminal lost its offline queue; the bank settled it',
                stallId: lost.stallId,
              }
            : e.kind === 'in-ledger-not-settled'
              ? { resolution: 'write-off', note: 'acquirer confirms it never settled; refund handled by the bank' }
              : { resolution: 'accept-bank', note: 'the bank confirmed its figure by letter' };
        const res = await request(app)
          .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
          .set('Authorization', `Bearer ${officer}`)
          .send(body);
        expect({ kind: e.kind, status: res.status }).toEqual({ kind: e.kind, status: 200 });
        expect(res.body.exception).toMatchObject({
          status: 'resolved',
          resolvedBy: userIdFor(`officer-${region}`, 'officer'),
          resolution: body.resolution,
        });
        expect(res.body.exception.decisions).toHaveLength(1);
      }
      const s = await reconcileDay(faulty.deps, faulty.regionIds[region], DATE);
      expect({ region, status: s.status, open: s.exceptions.open, resolved: s.exceptions.resolved }).toEqual({
        region,
        status: 'closed',
        open: 0,
        resolved: 6,
      });
      // The lost payment now exists, with a receipt, and is settled by the bank's line (which names
      // it by TID and approval code: a card file has no RRN).
      const created = await faulty.db
        .knex('payments as p')
        .join('acquirers as a', 'a.id', 'p.acquirer_id')
        .where({ 'a.code': lost.acquirer, 'p.tid': lost.tid, 'p.approval_code': lost.approvalCode })
        .first('p.id', 'p.stall_id', 'p.amount');
      expect(created).toMatchObject({ stall_id: lost.stallId });
      expect(new Decimal(created.amount).toFixed(2)).toBe(new Decimal(lost.amount).toFixed(2));
    }
  }, 60_000);

  test('a resolved exception cannot be resolved again, and decisions cannot be edited', async () => {
    const e = await faulty.db.knex('reconciliation_exceptions').where({ status: 'resolved' }).first('id', 'region_id');
    const officer = tokenFor({ role: 'officer', sub: 'officer-x', regionId: e.region_id });
    const res = await request(createApp(faulty.deps))
      .post(`/api/v1/reconciliation-exceptions/${e.id}/resolve`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ resolution: 'write-off', note: 'again' });
    expect(res.status).toBe(409);
    await expect(faulty.db.knex('reconciliation_decisions').update({ note: 'changed' })).rejects.toThrow(/not allowed/);
  });
});
