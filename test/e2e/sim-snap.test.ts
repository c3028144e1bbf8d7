// Issue 15, "done when": a simulated day whose QRIS acquirer speaks SNAP, with notifications lost
// and X-EXTERNAL-IDs reused, ends (after the recovery job) with every code the bank was paid in the
// ledger exactly once, reconciles clean, and a notification arriving after its recovery changes
// nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { Deps } from '../../api/core/deps';
import { seedDemoIfEmpty } from '../../db/seed/demo';
import { freshDb, type TestDb } from '../support/db';
import { fixedClock, testDeps } from '../support/app';
import { DEMO_PASSWORDS } from '../../db/seed/credentials';
import { runSim, type SimResult } from '../../terminal-sim/sim';
import { addDays, localDate } from '../../terminal-sim/clock';
import { isoWeekday } from '../../api/core/time';
import { qrisRecoveryJob } from '../../jobs/qris-recovery';
import { reconcileTick } from '../../jobs/schedule';
import { reconcileDay } from '../../api/reconcile/reconcile.service';
import { newBankKeys } from '../../terminal-sim/banks/snap/snap-acquirer';
import { ExternalIds, rsaSign, snapTimestamp, transactionString } from '../../terminal-sim/banks/snap/signature';

const REGION = 'MGL';
const LOST = 5;
const REUSED = 2;

/** A Tuesday in the past, so D+1 is a business day (as reconcile-sim.test.ts). */
function pastTuesday(): string {
  let d = addDays(localDate(new Date(), 'Asia/Jakarta'), -2);
  while (isoWeekday(d) !== 2) d = addDays(d, -1);
  return d;
}
const DATE = pastTuesday();
const NIGHT = new Date(`${addDays(DATE, 2)}T03:00:00+07:00`);

let db: TestDb;
let deps: Deps;
let server: http.Server;
let inbox: string;
let result: SimResult;
let regionId: string;
let before: { id: string; rrn: string; amount: string }[];
let recovery: Awaited<ReturnType<typeof qrisRecoveryJob>>[];
const later = (minutes: number) => ({
  ...deps,
  clock: fixedClock(new Date(Date.now() + minutes * 60_000).toISOString()),
});

beforeAll(async () => {
  db = await freshDb();
  deps = testDeps(db.knex);
  await seedDemoIfEmpty(deps);
  server = http.createServer(createApp(deps)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  inbox = mkdtempSync(path.join(tmpdir(), 'eret-sim-snap-'));
  result = await runSim({
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    date: DATE,
    seed: 5,
    terminals: 3,
    region: REGION,
    stallsPerTerminal: 20,
    backfillDays: 1,
    qrisProtocol: 'snap',
    faults: { 'lost-notification': LOST, 'duplicate-external-id': REUSED },
    // Mostly QRIS, so that a small day has enough codes for every fault.
    rates: { qris: 0.7, card: 0.25 },
    inbox,
    // The bank's API closes with the run: the product queries it before that.
    afterDay: async () => {
      before = await qrisPayments();
      // Past QRIS_QUERY_AFTER_MINUTES, before the codes expire; then once more, finding nothing new.
      recovery = [
        await qrisRecoveryJob(later(4), { region: REGION }),
        await qrisRecoveryJob(later(6), { region: REGION }),
      ];
    },
  });
  regionId = (await db.knex('regions').where({ code: REGION }).first('id')).id;
}, 150_000);

afterAll(async () => {
  server?.close();
  await db?.drop();
  if (inbox) rmSync(inbox, { recursive: true, force: true });
});

const manifest = () => JSON.parse(readFileSync(path.join(inbox, REGION, DATE, 'manifest.json'), 'utf8'));
const lostFaults = (): { reference: string; rrn: string; amount: string }[] =>
  manifest().faults.filter((f: { kind: string }) => f.kind === 'lost-notification');

async function qrisPayments() {
  return db.knex('payments').where({ channel: 'qris' }).select('id', 'rrn', 'amount');
}

test('the day runs clean and injects the faults asked for', () => {
  expect(result.errors).toEqual([]);
  expect(result.stats.qrisLostNotifications).toBe(LOST);
  expect(result.stats.qrisReusedExternalIds).toBe(REUSED);
  expect(manifest().notInjected).toEqual([]);
});

test('after the day the lost ones are not in the ledger; the recovery job finds each by querying, once', async () => {
  expect(before).toHaveLength(result.payments.qris.count);
  const lost = lostFaults();
  expect(lost).toHaveLength(LOST);
  expect(before.filter((p) => lost.some((l) => l.rrn === p.rrn))).toEqual([]);
  expect(recovery[0]).toEqual([expect.objectContaining({ region: REGION, recovered: LOST, failed: 0 })]);
  expect(recovery[1]).toEqual([expect.objectContaining({ region: REGION, recovered: 0, failed: 0 })]);

  const after = await qrisPayments();
  expect(after).toHaveLength(result.payments.qris.count + LOST);
  const byRrn = new Map<string, number>();
  for (const p of after) byRrn.set(p.rrn, (byRrn.get(p.rrn) ?? 0) + 1);
  expect([...byRrn.values()].every((n) => n === 1)).toBe(true);
  for (const l of lost) expect(byRrn.get(l.rrn)).toBe(1);
});

test('the day reconciles clean: every code the bank settled is in the ledger once', async () => {
  const night = {
    ...deps,
    clock: fixedClock(NIGHT.toISOString()),
    config: { ...deps.config, SETTLEMENT_INBOX: inbox },
  };
  await reconcileTick(night);
  const s = await reconcileDay(night, regionId, DATE);
  expect({ status: s.status, open: s.exceptions.open, awaiting: s.awaitingSettlement.count }).toEqual({
    status: 'closed',
    open: 0,
    awaiting: 0,
  });
  expect(s.matched).toEqual(s.ledger);
});

test('a notification arriving after its recovery is answered 2005200 and changes nothing', async () => {
  const app = createApp(deps);
  const login = await request(app)
    .post('/api/v1/auth/login')
    .send({ username: 'admin', password: DEMO_PASSWORDS.admin });
  const admin = login.body.token;
  const acquirer = await db.knex('acquirers').where({ region_id: regionId, channel: 'qris', protocol: 'snap' }).first();
  // The simulated bank's key went with its run: register a new one, as a bank rotating its key would.
  const bankKeys = newBankKeys();
  const shown = await request(app).get(`/api/v1/acquirers/${acquirer.id}`).set('authorization', `Bearer ${admin}`);
  const { ourPublicKey: _shown, ...settings } = shown.body.snap;
  await request(app)
    .patch(`/api/v1/acquirers/${acquirer.id}`)
    .set('authorization', `Bearer ${admin}`)
    .send({ snap: { ...settings, bankPublicKey: bankKeys.publicKey } })
    .expect(200);

  const lost = lostFaults()[0];
  const intent = await db.knex('qris_intents').where({ region_id: regionId, reference: lost.reference }).first();
  const before = await qrisPayments();
  const notifyPath = `/snap/${acquirer.code}/v1.0/qr/qr-mpm-notify`;
  const body = JSON.stringify({
    originalReferenceNo: intent.acquirer_reference,
    originalPartnerReferenceNo: lost.reference,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    amount: { value: Number(lost.amount).toFixed(2), currency: 'IDR' },
    additionalInfo: { rrn: lost.rrn, issuer: 'DANA' },
  });
  const ts = snapTimestamp(new Date());
  const res = await request(app)
    .post(notifyPath)
    .set('content-type', 'application/json')
    .set('x-timestamp', ts)
    .set('x-signature', rsaSign(bankKeys.privateKey, transactionString('POST', notifyPath, body, ts)))
    .set('x-partner-id', settings.partnerId)
    .set('x-external-id', new ExternalIds().next())
    .set('channel-id', settings.channelId)
    .send(body);
  expect({ status: res.status, code: res.body.responseCode }).toEqual({ status: 200, code: '2005200' });
  expect(await qrisPayments()).toEqual(before);
});
