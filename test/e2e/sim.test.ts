// A small seeded market day through the real API on a real database: the simulator's totals are
// the ledger's, retries record nothing twice, the same seed writes the same files byte for byte,
// the treasury statements balance and parse, and the manifest names exactly the faults asked for.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createApp } from '../../api/app';
import { seedDemoIfEmpty } from '../../db/seed/demo';
import { freshDb, type TestDb } from '../support/db';
import { testDeps } from '../support/app';
import { runSim, type SimResult } from '../../terminal-sim/sim';
import type { FaultSpec } from '../../terminal-sim/options';
import { addDays, localDate } from '../../terminal-sim/clock';
import { mt940Balances } from '../support/mt940-check';

const FAULTS: FaultSpec = {
  'lost-queue': 1,
  unsettled: 1,
  'amount-mismatch': 1,
  'duplicate-line': 1,
  'short-credit': 1,
  'late-settlement': 1,
};
// Yesterday (in WIB, so in the past for every region): every simulated time is then fixed by the
// seed alone; today's would be held back to the real clock, which differs between the two runs.
const DATE = addDays(localDate(new Date(), 'Asia/Jakarta'), -1);

interface World {
  db: TestDb;
  server: http.Server;
  inbox: string;
  result: SimResult;
}

async function simulatedDay(): Promise<World> {
  const db = await freshDb();
  const deps = testDeps(db.knex);
  await seedDemoIfEmpty(deps);
  const server = http.createServer(createApp(deps)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const inbox = mkdtempSync(path.join(tmpdir(), 'eret-sim-'));
  const result = await runSim({
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    date: DATE,
    seed: 7,
    terminals: 2,
    stallsPerTerminal: 15,
    backfillDays: 2,
    faults: FAULTS,
    inbox,
    // More lost answers than a real day has, so that a 30-stall day certainly retries some.
    rates: { timeout: 0.25 },
  });
  return { db, server, inbox, result };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
}

let first: World;
let second: World;

beforeAll(async () => {
  [first, second] = await Promise.all([simulatedDay(), simulatedDay()]);
}, 110_000);

afterAll(async () => {
  for (const w of [first, second].filter(Boolean)) {
    w.server.close();
    await w.db.drop();
    rmSync(w.inbox, { recursive: true, force: true });
  }
});

test('the day runs without an unexpected answer and covers both regions', () => {
  expect(first.result.errors).toEqual([]);
  expect(first.result.regions).toEqual(['BJR', 'MGL']);
  expect(first.result.payments.card.count).toBeGreaterThan(0);
  expect(first.result.payments.qris.count).toBeGreaterThan(0);
});

test("the simulator's totals by channel are the ledger's payments by channel", async () => {
  const rows = await first.db
    .knex('payments')
    .select('channel')
    .count<{ channel: string; count: string }[]>('* as count')
    .sum('amount as amount')
    .groupBy('channel');
  const ledger = Object.fromEntries(
    rows.map((r) => [
      r.channel,
      { count: Number(r.count), amount: new Decimal((r as unknown as { amount: string }).amount).toFixed(2) },
    ]),
  );
  expect(ledger).toEqual({ card: first.result.payments.card, qris: first.result.payments.qris });
});

test('a request retried after a timeout that followed the commit is recorded once', async () => {
  const ids = first.result.stats.retriedClientTxnIds;
  expect(ids.length).toBeGreaterThan(0);
  const rows = await first.db
    .knex('payments')
    .whereIn('client_txn_id', ids)
    .select('client_txn_id')
    .count('* as n')
    .groupBy('client_txn_id');
  expect(rows).toHaveLength(new Set(ids).size);
  expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
});

test('the same seed on a fresh database writes the same files, byte for byte', () => {
  const names = filesUnder(first.inbox);
  expect(names.length).toBeGreaterThan(6);
  expect(filesUnder(second.inbox)).toEqual(names);
  for (const name of names) {
    expect({ name, bytes: readFileSync(path.join(second.inbox, name)) }).toEqual({
      name,
      bytes: readFileSync(path.join(first.inbox, name)),
    });
  }
});

test('every MT940 statement balances: opening + credits - debits = closing', () => {
  const files = filesUnder(first.inbox).filter((f) => f.endsWith('.mt940'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const checks = mt940Balances(readFileSync(path.join(first.inbox, f), 'utf8'));
    expect(checks.length).toBe(1);
    expect(checks.map((c) => c.balances)).toEqual([true]);
  }
});

test('the camt.053 statement is well-formed XML whose balances add up', () => {
  const files = filesUnder(first.inbox).filter((f) => f.endsWith('.camt053.xml'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const xml = readFileSync(path.join(first.inbox, f), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const stmt = new XMLParser({ parseTagValue: false }).parse(xml).Document.BkToCstmrStmt.Stmt;
    const bal = (code: string) =>
      new Decimal([stmt.Bal].flat().find((b: { Tp: { CdOrPrtry: { Cd: string } } }) => b.Tp.CdOrPrtry.Cd === code).Amt);
    const entries: { Amt: string; CdtDbtInd: string }[] = [stmt.Ntry ?? []].flat();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((n) => n.CdtDbtInd === 'CRDT')).toBe(true);
    const credits = entries.reduce((acc, n) => acc.plus(n.Amt), new Decimal(0));
    expect(bal('OPBD').plus(credits).toFixed(2)).toBe(bal('CLBD').toFixed(2));
  }
});

/** RRNs are unique per acquirer (and day), not across regions. */
function paymentWith(acquirerCode: string, rrn: string) {
  return first.db
    .knex('payments as p')
    .join('acquirers as a', 'a.id', 'p.acquirer_id')
    .where({ 'a.code': acquirerCode, 'p.rrn': rrn })
    .first('p.id');
}

test('each region manifest lists exactly the faults asked for, and the files they touch carry them', async () => {
  for (const region of ['BJR', 'MGL']) {
    const manifest = JSON.parse(readFileSync(path.join(first.inbox, region, DATE, 'manifest.json'), 'utf8'));
    const kinds: Record<string, number> = {};
    for (const f of manifest.faults as { kind: string }[]) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    expect(kinds).toEqual(FAULTS);
    expect(manifest.notInjected).toEqual([]);
    // A card file carries no RRN: the lost payment is there by its approval code; a QRIS one by its RRN.
    const named = (f: { channel: string; rrn: string; approvalCode?: string }) =>
      f.channel === 'card' ? `,${f.approvalCode},` : f.rrn;
    const lost = manifest.faults.find((f: { kind: string }) => f.kind === 'lost-queue');
    expect(readFileSync(path.join(first.inbox, region, DATE, lost.file), 'utf8')).toContain(named(lost));
    expect(await paymentWith(lost.acquirer, lost.rrn)).toBeUndefined();
    const unsettled = manifest.faults.find((f: { kind: string }) => f.kind === 'unsettled');
    expect(readFileSync(path.join(first.inbox, region, DATE, unsettled.missingFrom), 'utf8')).not.toContain(
      named(unsettled),
    );
    expect(await paymentWith(unsettled.acquirer, unsettled.rrn)).toBeDefined();
  }
});
