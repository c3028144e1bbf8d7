// The role × scope matrix (issue 2, item 9): every endpoint the app serves, called as every kind
// of principal. Everything addressed lives in region A, market A1, so the principals of market A2
// and of region B are the ones a scope check must turn away. Each cell below is written by hand
// from the access policy, never read back from the API:
//   admin      everything, except posting payments (terminals only)
//   officer    reads and master-data writes in their own region
//   manager    reads of their own market, plus the traders of their region; no writes
//   collector  the collection endpoints (stall list, outstanding) of their own market
//   terminal   card payments for, and the collection endpoints of, their own market
//   auditor    every read, or those of their own region when the token names one; no writes
//   public     /health, /receipts/:code and both logins need no token
// ok is any 2xx (a write must really succeed, so every cell sends a fresh, valid body), 403 is
// forbidden (wrong role or wrong scope) and 401 is no token.
import request from 'supertest';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { testApp, testDeps, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardBody } from '../support/scenario';
import { regionWorld, type RegionWorld, staffPrincipal, terminalPrincipal } from '../support/region-world';
import { signNotification } from '../../api/banks/signature';
import { QRIS_SECRET } from '../support/qris';
import { make as bankFile } from '../unit/bank-files-support';
import { importBankFile } from '../../api/reconcile/import.service';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { PAGE_ROUTES } from '../../api/pages/pages.routes';
import { createHash, createSign, generateKeyPairSync } from 'node:crypto';

/** Sets up what a cell needs (a payment to void, an intent to follow) as terminal A1. */
async function asTerminalA1(w: World, path: string, body: object): Promise<Record<string, string>> {
  const res = await request(app).post(path).set('Authorization', `Bearer ${w.tokens.termA1}`).send(body);
  if (res.status !== 201) throw new Error(`setup ${path} failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

const MATRIX = `
                                                  admin offA offB manA1 manA2 colA1 colA2 termA1 termA2 aud  audB none
  # public
  GET   /health                                   ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  POST  /api/v1/auth/login                        ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  POST  /api/v1/auth/terminal                     ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  GET   /receipts/:code                           ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  GET   /los/:publicCode                          ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  # collection: the collector's, terminal's and manager's view of one market
  GET   /api/v1/markets/:marketId/stalls          ok    ok   403  ok    403   ok    403   ok     403    ok   403  401
  GET   /api/v1/stalls/:stallId/outstanding       ok    ok   403  ok    403   ok    403   ok     403    ok   403  401
  # card payments: terminals only, for stalls of their own market
  POST  /api/v1/payments/card                     403   403  403  403   403   403   403   ok     403    403  403  401
  POST  /api/v1/payments/batch                    403   403  403  403   403   403   403   ok     403    403  403  401
  POST  /api/v1/payments/:paymentId/void          403   403  403  403   403   403   403   ok     403    403  403  401
  # QRIS: terminals ask for codes; anyone who may read the market may follow one; banks sign
  POST  /api/v1/qris                              403   403  403  403   403   403   403   ok     403    403  403  401
  GET   /api/v1/qris/:intentId                    ok    ok   403  ok    403   ok    403   ok     403    ok   403  401
  POST  /api/v1/banks/:acquirer/qris-notifications ok   ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  POST  /snap/:acquirer/v1.0/access-token/b2b     ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  POST  /snap/:acquirer/v1.0/qr/qr-mpm-notify     ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  # the daily assessment, run by hand for a region and date
  POST  /api/v1/assessments                       ok    ok   403  403   403   403   403   403    403    403  403  401
  # reconciliation: officers run and resolve in their region; auditors read
  POST  /api/v1/reconciliations                   ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/reconciliations/:regionId/:businessDate ok ok 403 403  403   403   403   403    403    ok   403  401
  GET   /api/v1/reconciliation-exceptions         ok    ok   403  403   403   403   403   403    403    ok   403  401
  GET   /api/v1/reconciliation-exceptions/:id     ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/reconciliation-exceptions/:id/resolve ok ok 403 403   403   403   403   403    403    403  403  401
  # the banks' files: officers send their own region's, auditors read, nobody else
  POST  /api/v1/settlement-files                  ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/settlement-files                  ok    ok   403  403   403   403   403   403    403    ok   403  401
  GET   /api/v1/settlement-files/:fileId          ok    ok   403  403   403   403   403   403    403    ok   403  401
  # arrears and penalty rules (issue 6): managers their market, officers their region
  GET   /api/v1/arrears                           ok    ok   403  ok    403   403   403   403    403    ok   403  401
  GET   /api/v1/regions/:regionId/penalty-rules   ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/regions/:regionId/penalty-rules   ok    ok   403  403   403   403   403   403    403    403  403  401
  # demand letters: issued by the market's manager or the region's officer
  POST  /api/v1/markets/:marketId/letters         ok    ok   403  ok    403   403   403   403    403    403  403  401
  GET   /api/v1/letters                           ok    ok   403  ok    403   403   403   403    403    ok   403  401
  GET   /api/v1/letters/:letterId                 ok    ok   403  ok    403   403   403   403    403    ok   403  401
  # targets and who carries which terminal: officers set, managers read their market
  PUT   /api/v1/markets/:marketId/targets/:year   ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/markets/:marketId/targets         ok    ok   403  ok    403   403   403   403    403    ok   403  401
  POST  /api/v1/terminals/:terminalId/assignments ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/terminals/:terminalId/assignments ok    ok   403  ok    403   403   403   403    403    ok   403  401
  POST  /api/v1/terminal-assignments/:assignmentId/end ok ok 403 403  403   403   403   403    403    403  403  401
  # reports (a market's collection here): officers, auditors, the market's manager
  GET   /api/v1/reports/:kind                     ok    ok   403  ok    403   403   403   403    403    ok   403  401
  # issued documents are verified by anyone holding one
  GET   /verify/:documentNumber                   ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  POST  /verify/:documentNumber                   ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  # the command center's feed: admin, officers (their region), auditors (and the feed role)
  GET   /api/v1/feed/summary                      ok    ok   403  403   403   403   403   403    403    ok   403  401
  GET   /api/v1/feed/payments                     ok    ok   403  403   403   403   403   403    403    ok   403  401
  # the API's own description
  GET   /openapi.json                             ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  GET   /docs                                     ok    ok   ok   ok    ok    ok    ok    ok     ok     ok   ok   ok
  # regions
  GET   /api/v1/regions                           ok    ok   ok   403   403   403   403   403    403    ok   ok   401
  POST  /api/v1/regions                           ok    403  403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/regions/:regionId                 ok    ok   403  403   403   403   403   403    403    ok   403  401
  PATCH /api/v1/regions/:regionId                 ok    ok   403  403   403   403   403   403    403    403  403  401
  # markets
  GET   /api/v1/regions/:regionId/markets         ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/regions/:regionId/markets         ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/markets/:marketId                 ok    ok   403  ok    403   403   403   403    403    ok   403  401
  PATCH /api/v1/markets/:marketId                 ok    ok   403  403   403   403   403   403    403    403  403  401
  POST  /api/v1/markets/:marketId/closures        ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/markets/:marketId/closures        ok    ok   403  ok    403   403   403   403    403    ok   403  401
  # stalls
  POST  /api/v1/markets/:marketId/stalls          ok    ok   403  403   403   403   403   403    403    403  403  401
  POST  /api/v1/markets/:marketId/stalls/import   ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/markets/:marketId/stall-register  ok    ok   403  ok    403   403   403   403    403    ok   403  401
  GET   /api/v1/stalls/:stallId                   ok    ok   403  ok    403   403   403   403    403    ok   403  401
  PATCH /api/v1/stalls/:stallId                   ok    ok   403  403   403   403   403   403    403    403  403  401
  # traders: a manager reads the traders of their whole region
  GET   /api/v1/regions/:regionId/traders         ok    ok   403  ok    ok    403   403   403    403    ok   403  401
  POST  /api/v1/regions/:regionId/traders         ok    ok   403  403   403   403   403   403    403    403  403  401
  POST  /api/v1/regions/:regionId/traders/import  ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/traders/:traderId                 ok    ok   403  ok    ok    403   403   403    403    ok   403  401
  PATCH /api/v1/traders/:traderId                 ok    ok   403  403   403   403   403   403    403    403  403  401
  # tenancies
  POST  /api/v1/stalls/:stallId/tenancies         ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/stalls/:stallId/tenancies         ok    ok   403  ok    403   403   403   403    403    ok   403  401
  POST  /api/v1/tenancies/:tenancyId/end          ok    ok   403  403   403   403   403   403    403    403  403  401
  # tariffs
  GET   /api/v1/regions/:regionId/tariffs         ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/regions/:regionId/tariffs         ok    ok   403  403   403   403   403   403    403    403  403  401
  POST  /api/v1/tariffs/:tariffId/end             ok    ok   403  403   403   403   403   403    403    403  403  401
  # acquirers
  GET   /api/v1/regions/:regionId/acquirers       ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/regions/:regionId/acquirers       ok    ok   403  403   403   403   403   403    403    403  403  401
  GET   /api/v1/acquirers/:acquirerId             ok    ok   403  403   403   403   403   403    403    ok   403  401
  PATCH /api/v1/acquirers/:acquirerId             ok    ok   403  403   403   403   403   403    403    403  403  401
  # terminals
  GET   /api/v1/markets/:marketId/terminals       ok    ok   403  ok    403   403   403   403    403    ok   403  401
  POST  /api/v1/markets/:marketId/terminals       ok    ok   403  403   403   403   403   403    403    403  403  401
  PATCH /api/v1/terminals/:terminalId             ok    ok   403  403   403   403   403   403    403    403  403  401
  # users: addressed with ?regionId= of region A
  GET   /api/v1/users                             ok    ok   403  403   403   403   403   403    403    ok   403  401
  POST  /api/v1/users                             ok    ok   403  403   403   403   403   403    403    403  403  401
  PATCH /api/v1/users/:userId                     ok    ok   403  403   403   403   403   403    403    403  403  401
`;

const WHO = [
  'admin',
  'offA',
  'offB',
  'manA1',
  'manA2',
  'colA1',
  'colA2',
  'termA1',
  'termA2',
  'aud',
  'audB',
  'none',
] as const;
type Who = (typeof WHO)[number];
const LABEL: Record<Who, string> = {
  admin: 'admin',
  offA: 'officer of A',
  offB: 'officer of B',
  manA1: 'manager of A1',
  manA2: 'manager of A2',
  colA1: 'collector of A1',
  colA2: 'collector of A2',
  termA1: 'terminal of A1',
  termA2: 'terminal of A2',
  aud: 'auditor',
  audB: 'auditor of B',
  none: 'no token',
};

interface Row {
  /** "METHOD /path/:param", exactly as the route is registered */
  endpoint: string;
  expected: Record<Who, string>;
}

function parseMatrix(text: string): Row[] {
  const [header, ...lines] = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (header.split(/\s+/).join(' ') !== WHO.join(' ')) throw new Error(`matrix header is not ${WHO.join(' ')}`);
  return lines.map((line) => {
    const [method, path, ...cells] = line.split(/\s+/);
    if (cells.length !== WHO.length || cells.some((c) => !['ok', '403', '401'].includes(c)))
      throw new Error(`bad matrix row: ${line}`);
    return {
      endpoint: `${method} ${path}`,
      expected: Object.fromEntries(WHO.map((who, i) => [who, cells[i]])) as Record<Who, string>,
    };
  });
}

const ROWS = parseMatrix(MATRIX);

// ---- the world: two regions, global staff, and a token per principal -----------------------

interface World {
  A: RegionWorld;
  B: RegionWorld;
  tokens: Record<Who, string | null>;
  /** region A's QRIS acquirer, whose notifications are signed with QRIS_SECRET */
  qrisAcquirer: { code: string };
  /** region B's SNAP acquirer, whose bank signs with SNAP_BANK's private key */
  snapAcquirer: { code: string };
}

const SNAP_BANK = generateKeyPairSync('rsa', { modulusLength: 2048 });
const snapSign = (s: string) => createSign('RSA-SHA256').update(s).sign(SNAP_BANK.privateKey, 'base64');
const wib = () => `${new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;

let t: TestDb;
let app: Express;
let w: World;

beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
  const [A, B, admin, auditor] = await Promise.all([
    regionWorld(t.knex, app),
    regionWorld(t.knex, app),
    make.user(t.knex, 'admin'),
    make.user(t.knex, 'auditor'),
  ]);
  const staff = (u: Parameters<typeof staffPrincipal>[0]) => tokenFor(staffPrincipal(u));
  const tokens: Record<Who, string | null> = {
    admin: staff(admin),
    offA: staff(A.users.officer),
    offB: staff(B.users.officer),
    manA1: staff(A.users.manager1),
    manA2: staff(A.users.manager2),
    colA1: staff(A.users.collector1),
    colA2: staff(A.users.collector2),
    termA1: tokenFor(terminalPrincipal(A.terminal1)),
    termA2: tokenFor(terminalPrincipal(A.terminal2)),
    aud: staff(auditor),
    audB: staff(B.users.auditor),
    none: null,
  };
  const qrisAcquirer = await make.acquirer(t.knex, A.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  const snapAcquirer = await make.acquirer(t.knex, B.region.id, { channel: 'qris', mdrRate: '0' });
  await t
    .knex('acquirers')
    .where({ id: snapAcquirer.id })
    .update({
      protocol: 'snap',
      snap_private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
      snap: JSON.stringify({
        clientId: 'bank-b',
        partnerId: 'p',
        channelId: '95221',
        pathPrefix: '',
        signatureEncoding: 'base64',
        notifyScheme: 'asymmetric',
        transactionScheme: 'symmetric',
        generates: 'merchant',
        queryServiceCode: '47',
        bankPublicKey: SNAP_BANK.publicKey.export({ type: 'spki', format: 'pem' }),
        ourPublicKey: '',
      }),
    });
  w = { A, B, tokens, qrisAcquirer, snapAcquirer };
});
afterAll(() => t.drop());

// ---- what each endpoint is sent ----------------------------------------------------------------

interface Call {
  /** path parameters beyond the defaults (which all point into region A, market A1) */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: object;
  csv?: string;
  /** a batch answers 200 with one status per item: the item's status is the outcome */
  perItem?: boolean;
  /** sent as is, with these headers (a bank's signed notification) */
  raw?: string;
  headers?: Record<string, string>;
  /** an event stream: read its first chunk (or its error body) and hang up */
  stream?: boolean;
}

const defaultParams = ({ A }: World): Record<string, string> => ({
  code: A.receiptCode,
  regionId: A.region.id,
  marketId: A.market1.id,
  stallId: A.stall.id,
  traderId: A.trader.id,
  acquirerId: A.acquirer.id,
  terminalId: A.terminal1.id,
  userId: A.users.collector1.id,
});

/** A card payment for the A1 stall from the caller's own terminal (so a terminal of A2 is refused
 * for the stall's market, not for a TID that is not its own); staff send terminal A1's. */
function payment({ A }: World, who: Who) {
  return cardBody({ stall: A.stall, terminal: who === 'termA2' ? A.terminal2 : A.terminal1 });
}

/** An open exception of its own for a cell (what the nightly job would have found). */
async function reconciliationException(regionId: string, n: number): Promise<string> {
  const [row] = await t
    .knex('reconciliation_exceptions')
    .insert({
      region_id: regionId,
      business_date: day('2032-01-01', n),
      kind: 'in-ledger-not-settled',
      subject: `payment:matrix-${n}`,
      ledger_amount: '1000',
    })
    .returning('id');
  return row.id;
}

/** A BNI settlement file of region A's card acquirer, its own bytes per cell (so each upload is new). */
function settlementCsv({ A }: World, n: number): string {
  return writeBniSettlementCsv(bankFile.meta(), [
    bankFile.line({ rrn: `6330${String(n).padStart(8, '0')}`, tid: A.terminal1.tid }),
  ]);
}

/** A registered document of region A (what the verification page looks up). */
async function matrixDocument(region: { id: string; code: string }, n: number): Promise<string> {
  const number = `${region.code}-MTX-2026-${String(n).padStart(6, '0')}`;
  await t.knex('documents').insert({
    region_id: region.id,
    number,
    kind: 'matrix',
    title: 'DOKUMEN UJI',
    covers: '{}',
    sha256: 'a'.repeat(64),
    size_bytes: 100,
    made_at: new Date(),
  });
  return number;
}

const day = (from: string, n: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Per cell: n is unique to the cell, so codes, dates and zones never collide between cells. */
const CALLS: Record<string, (w: World, who: Who, n: number) => Call | Promise<Call>> = {
  'GET /health': () => ({}),
  'POST /api/v1/auth/login': ({ A }) => ({
    body: { username: A.users.officer.username, password: A.users.officer.password },
  }),
  'POST /api/v1/auth/terminal': ({ A }) => ({ body: { terminalId: A.terminal1.id, secret: A.terminal1.secret } }),
  'GET /receipts/:code': () => ({}),
  'GET /los/:publicCode': async ({ A }) => ({
    params: { publicCode: (await t.knex('stalls').where({ id: A.stall.id }).first('public_code')).public_code },
  }),

  'GET /api/v1/markets/:marketId/stalls': () => ({}),
  'GET /api/v1/stalls/:stallId/outstanding': () => ({}),
  'POST /api/v1/payments/card': (w, who) => ({ body: payment(w, who) }),
  'POST /api/v1/payments/batch': (w, who) => ({ body: { payments: [payment(w, who)] }, perItem: true }),

  'POST /api/v1/payments/:paymentId/void': async (w) => ({
    params: { paymentId: (await asTerminalA1(w, '/api/v1/payments/card', payment(w, 'termA1'))).paymentId },
    body: { voidReference: 'VOID000001' },
  }),
  'POST /api/v1/qris': (w) => ({ body: { stallId: w.A.stall.id, amount: '1000' } }),
  'GET /api/v1/qris/:intentId': async (w) => ({
    params: { intentId: (await asTerminalA1(w, '/api/v1/qris', { stallId: w.A.stall.id, amount: '1000' })).intentId },
  }),
  'POST /api/v1/banks/:acquirer/qris-notifications': async (w, _who, n) => {
    const intent = await asTerminalA1(w, '/api/v1/qris', { stallId: w.A.stall.id, amount: '1000' });
    const raw = JSON.stringify({
      reference: intent.reference,
      amount: '1000',
      rrn: `77${String(n).padStart(10, '0')}`,
      issuer: 'OVO',
      paidAt: new Date().toISOString(),
    });
    const ts = String(Math.floor(Date.now() / 1000));
    return {
      params: { acquirer: w.qrisAcquirer.code },
      raw,
      headers: {
        'content-type': 'application/json',
        'x-timestamp': ts,
        'x-signature': signNotification(QRIS_SECRET, ts, raw),
      },
    };
  },

  // SNAP: signed by the bank, whoever's token comes along; a pending status posts nothing.
  'POST /snap/:acquirer/v1.0/access-token/b2b': (w) => {
    const ts = wib();
    return {
      params: { acquirer: w.snapAcquirer.code },
      raw: '{"grantType":"client_credentials"}',
      headers: {
        'content-type': 'application/json',
        'x-client-key': 'bank-b',
        'x-timestamp': ts,
        'x-signature': snapSign(`bank-b|${ts}`),
      },
    };
  },
  'POST /snap/:acquirer/v1.0/qr/qr-mpm-notify': (w, _who, n) => {
    const ts = wib();
    const raw = JSON.stringify({ originalReferenceNo: `R${n}`, latestTransactionStatus: '03' });
    const digest = createHash('sha256').update(raw).digest('hex');
    return {
      params: { acquirer: w.snapAcquirer.code },
      raw,
      headers: {
        'content-type': 'application/json',
        'x-timestamp': ts,
        'x-external-id': `9${String(n).padStart(12, '0')}`,
        'x-signature': snapSign(`POST:/snap/${w.snapAcquirer.code}/v1.0/qr/qr-mpm-notify:${digest}:${ts}`),
      },
    };
  },

  'POST /api/v1/assessments': ({ A }, _who, n) => ({
    body: { regionId: A.region.id, businessDate: day('2030-01-01', n) },
  }),

  'POST /api/v1/reconciliations': ({ A }, _who, n) => ({
    body: { regionId: A.region.id, businessDate: day('2031-01-01', n) },
  }),
  'GET /api/v1/reconciliations/:regionId/:businessDate': async (w, _who, n) => {
    const businessDate = day('2031-06-01', n);
    const res = await request(app)
      .post('/api/v1/reconciliations')
      .set('Authorization', `Bearer ${w.tokens.admin}`)
      .send({ regionId: w.A.region.id, businessDate });
    if (res.status !== 200) throw new Error(`setup reconciliation failed: ${JSON.stringify(res.body)}`);
    return { params: { businessDate } };
  },
  'GET /api/v1/reconciliation-exceptions': ({ A }) => ({ query: { regionId: A.region.id } }),
  'GET /api/v1/reconciliation-exceptions/:id': async ({ A }, _who, n) => ({
    params: { id: await reconciliationException(A.region.id, n) },
  }),
  'POST /api/v1/reconciliation-exceptions/:id/resolve': async ({ A }, _who, n) => ({
    params: { id: await reconciliationException(A.region.id, n) },
    body: { resolution: 'write-off', note: 'below the threshold worth chasing' },
  }),

  'POST /api/v1/settlement-files': (w, _who, n) => ({
    query: { acquirer: w.A.acquirer.code },
    raw: settlementCsv(w, n),
    headers: { 'content-type': 'text/csv' },
  }),
  'GET /api/v1/settlement-files': ({ A }) => ({ query: { regionId: A.region.id } }),
  'GET /api/v1/settlement-files/:fileId': async (w, _who, n) => {
    const input = {
      regionId: w.A.region.id,
      kind: 'settlement',
      acquirerCode: w.A.acquirer.code,
      source: 'upload',
    } as const;
    const file = await importBankFile(testDeps(t.knex), {
      ...input,
      content: Buffer.from(settlementCsv(w, 100_000 + n)),
    });
    return { params: { fileId: file.fileId } };
  },

  'GET /api/v1/arrears': ({ A }) => ({ query: { marketId: A.market1.id } }),
  'GET /api/v1/regions/:regionId/penalty-rules': () => ({}),
  'POST /api/v1/regions/:regionId/penalty-rules': (_w, _who, n) => ({
    body: { effectiveFrom: day('2050-01-01', n), monthlyRate: '0.01', capMonths: 24, legalBasis: 'Perda HKPD' },
  }),
  'POST /api/v1/markets/:marketId/letters': () => ({ body: {} }),
  'GET /api/v1/letters': ({ A }) => ({ query: { marketId: A.market1.id } }),
  'GET /api/v1/letters/:letterId': async ({ A }, _who, n) => {
    const [row] = await t
      .knex('letters')
      .insert({
        region_id: A.region.id,
        kind: 'warning',
        year: 2099,
        seq: n,
        number: `${n}/ST/MATRIX/2099`,
        market_id: A.market1.id,
        trader_id: A.trader.id,
        issued_on: '2099-01-01',
        due_on: '2099-01-08',
        principal: '1000',
        penalty: '0',
        total: '1000',
      })
      .returning('id');
    return { params: { letterId: row.id } };
  },
  'PUT /api/v1/markets/:marketId/targets/:year': (_w, _who, n) => ({
    params: { year: '2027' },
    body: { amount: `${1_000_000 + n}` },
  }),
  'GET /api/v1/markets/:marketId/targets': () => ({}),
  'POST /api/v1/terminals/:terminalId/assignments': ({ A }, _who, n) => ({
    body: {
      collectorId: A.users.collector1.id,
      effectiveFrom: day('2060-01-01', n),
      effectiveTo: day('2060-01-01', n),
    },
  }),
  'GET /api/v1/terminals/:terminalId/assignments': () => ({}),
  // An assignment ends once: each cell gets an open one of its own, on a terminal of its own.
  'POST /api/v1/terminal-assignments/:assignmentId/end': async ({ A }) => {
    const terminal = await make.terminal(t.knex, A.region.id, A.market1.id, A.acquirer.id);
    const [row] = await t
      .knex('terminal_assignments')
      .insert({
        region_id: A.region.id,
        terminal_id: terminal.id,
        collector_id: A.users.collector1.id,
        effective_from: '2070-01-01',
      })
      .returning('id');
    return { params: { assignmentId: row.id }, body: { effectiveTo: '2070-12-31' } };
  },
  'GET /api/v1/reports/:kind': ({ A }) => ({
    params: { kind: 'daily-collection' },
    query: { marketId: A.market1.id, date: '2026-11-20', format: 'csv' },
  }),
  'GET /verify/:documentNumber': async ({ A }, _who, n) => ({
    params: { documentNumber: await matrixDocument(A.region, n) },
  }),
  'POST /verify/:documentNumber': async ({ A }, _who, n) => ({
    params: { documentNumber: await matrixDocument(A.region, n) },
    raw: '%PDF-1.3 not the file',
    headers: { 'content-type': 'application/pdf' },
  }),

  'GET /api/v1/feed/summary': ({ A }) => ({ query: { regionId: A.region.id } }),
  'GET /api/v1/feed/payments': ({ A }) => ({ query: { regionId: A.region.id }, stream: true }),
  'GET /openapi.json': () => ({}),
  'GET /docs': () => ({}),

  'GET /api/v1/regions': () => ({}),
  'POST /api/v1/regions': (_w, _who, n) => ({
    body: {
      code: `RX-${n}`,
      name: 'Kabupaten Baru',
      timeZone: 'Asia/Makassar',
      treasuryBank: 'Bank Kalsel',
      treasuryAccount: '0012345678',
    },
  }),
  'GET /api/v1/regions/:regionId': () => ({}),
  'PATCH /api/v1/regions/:regionId': (_w, _who, n) => ({ body: { name: `Kota A ${n}` } }),

  'GET /api/v1/regions/:regionId/markets': () => ({}),
  'POST /api/v1/regions/:regionId/markets': (_w, _who, n) => ({
    body: { code: `MX-${n}`, name: 'Pasar Baru', class: 'II' },
  }),
  'GET /api/v1/markets/:marketId': () => ({}),
  'PATCH /api/v1/markets/:marketId': (_w, _who, n) => ({ body: { name: `Pasar A1 ${n}` } }),
  'POST /api/v1/markets/:marketId/closures': (_w, _who, n) => ({
    body: { date: day('2090-01-01', n), reason: 'Banjir' },
  }),
  'GET /api/v1/markets/:marketId/closures': () => ({}),

  'POST /api/v1/markets/:marketId/stalls': (_w, _who, n) => ({ body: { code: `N-${n}`, kind: 'los', areaM2: '3' } }),
  'POST /api/v1/markets/:marketId/stalls/import': (_w, _who, n) => ({ csv: `code,kind,area_m2\nI-${n},los,3\n` }),
  'GET /api/v1/markets/:marketId/stall-register': () => ({}),
  'GET /api/v1/stalls/:stallId': () => ({}),
  'PATCH /api/v1/stalls/:stallId': (_w, _who, n) => ({ body: { block: `B${n}` } }),

  'GET /api/v1/regions/:regionId/traders': () => ({}),
  'POST /api/v1/regions/:regionId/traders': (_w, _who, n) => ({ body: { name: `Pedagang Baru ${n}` } }),
  'POST /api/v1/regions/:regionId/traders/import': (_w, _who, n) => ({ csv: `name\nPedagang Impor ${n}\n` }),
  'GET /api/v1/traders/:traderId': () => ({}),
  'PATCH /api/v1/traders/:traderId': (_w, _who, n) => ({ body: { address: `Jl. Pasar ${n}` } }),

  // One-day tenancies on the vacant stall, a different day per cell, so none overlaps another.
  'POST /api/v1/stalls/:stallId/tenancies': ({ A }, _who, n) => {
    const d = day('2040-01-01', n);
    return { params: { stallId: A.vacantStall.id }, body: { traderId: A.trader.id, effectiveFrom: d, effectiveTo: d } };
  },
  'GET /api/v1/stalls/:stallId/tenancies': () => ({}),
  // A tenancy ends once: each cell gets an open one of its own, on a stall of its own.
  'POST /api/v1/tenancies/:tenancyId/end': async ({ A }) => {
    const stall = await make.stall(t.knex, A.region.id, A.market1.id);
    const tenancy = await make.tenancy(t.knex, A.region.id, stall.id, A.trader.id);
    return { params: { tenancyId: tenancy.id }, body: { effectiveTo: '2030-12-31' } };
  },

  'GET /api/v1/regions/:regionId/tariffs': () => ({}),
  // A zone of its own per cell: tariffs of one kind, class and zone must not overlap.
  'POST /api/v1/regions/:regionId/tariffs': (_w, _who, n) => ({
    body: {
      stallKind: 'kios',
      marketClass: 'I',
      zone: `Z${n}`,
      basis: 'flat_day',
      rate: '2000',
      effectiveFrom: '2026-01-01',
    },
  }),
  // A tariff ends once: each cell gets an open one of its own.
  'POST /api/v1/tariffs/:tariffId/end': async ({ A }, _who, n) => {
    const [tariff] = await t
      .knex('tariffs')
      .insert({
        region_id: A.region.id,
        stall_kind: 'los',
        market_class: 'II',
        zone: `E${n}`,
        basis: 'flat_day',
        rate: '1000',
        effective_from: '2026-01-01',
      })
      .returning('id');
    return { params: { tariffId: tariff.id }, body: { effectiveTo: '2030-12-31' } };
  },

  'GET /api/v1/regions/:regionId/acquirers': () => ({}),
  'POST /api/v1/regions/:regionId/acquirers': (_w, _who, n) => ({
    body: { code: `acq-new-${n}`, name: 'Bank Baru', channel: 'card' },
  }),
  'GET /api/v1/acquirers/:acquirerId': () => ({}),
  'PATCH /api/v1/acquirers/:acquirerId': (_w, _who, n) => ({ body: { name: `Bank Uji ${n}` } }),

  'GET /api/v1/markets/:marketId/terminals': () => ({}),
  'POST /api/v1/markets/:marketId/terminals': ({ A }, _who, n) => ({
    body: {
      id: `TX-${n}`,
      acquirerId: A.acquirer.id,
      tid: `X${n}`,
      mid: '000071000999999',
      secret: 'new-terminal-secret',
    },
  }),
  'PATCH /api/v1/terminals/:terminalId': () => ({ body: { active: true } }),

  'GET /api/v1/users': ({ A }) => ({ query: { regionId: A.region.id } }),
  'POST /api/v1/users': ({ A }, _who, n) => ({
    body: {
      username: `kolektor-${n}`,
      password: 'password-12345',
      role: 'collector',
      regionId: A.region.id,
      marketId: A.market1.id,
      displayName: 'Kolektor Baru',
    },
  }),
  'PATCH /api/v1/users/:userId': (_w, _who, n) => ({ body: { displayName: `Kolektor ${n}` } }),
};

// ---- sending a cell and reading its outcome --------------------------------------------------

async function send(endpoint: string, who: Who, call: Call): Promise<request.Response> {
  const [method, pattern] = endpoint.split(' ');
  const params = { ...defaultParams(w), ...call.params };
  const path = pattern.replace(/:(\w+)/g, (_m, name: string) => {
    if (!params[name]) throw new Error(`no value for :${name}`);
    return encodeURIComponent(params[name]);
  });
  let req = request(app)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put'](path);
  const token = w.tokens[who];
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  if (call.query) req = req.query(call.query);
  if (call.stream) return req.buffer(true).parse(firstChunk as never);
  if (call.csv !== undefined) return req.set('Content-Type', 'text/csv').send(call.csv);
  if (call.raw !== undefined) return req.set(call.headers ?? {}).send(call.raw);
  return call.body ? req.send(call.body) : req;
}

/** An event stream never ends by itself: the first chunk is the answer (an error body is read whole). */
function firstChunk(
  res: NodeJS.ReadableStream & { statusCode: number; setEncoding: (e: string) => void; destroy: () => void },
  done: (e: Error | null, body: unknown) => void,
): void {
  let text = '';
  res.setEncoding('utf8');
  if (res.statusCode !== 200) {
    res.on('data', (c: string) => (text += c));
    res.on('end', () => done(null, JSON.parse(text)));
    return;
  }
  res.once('data', () => {
    done(null, {});
    res.destroy();
  });
}

// A 403 must be a refusal of scope or role, not some other 403 (an inactive terminal, say).
const REFUSALS = ['forbidden', 'stall-outside-scope', 'not-your-payment'];

/** 'ok', '403' or '401'; anything else is described so that a failing cell says what happened. */
function outcomeOf(res: request.Response, perItem: boolean): string {
  const item = perItem && res.status === 200 ? res.body.results[0] : undefined;
  const status: number = item ? item.status : res.status;
  const error = item ? item.error : res.body?.error;
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 && error?.code === 'unauthorized') return '401';
  if (status === 403 && REFUSALS.includes(error?.code)) return '403';
  return `${status} ${error?.code}: ${error?.message} ${JSON.stringify(error?.details ?? '')}`;
}

// ---- the tests ---------------------------------------------------------------------------------

const cells = ROWS.flatMap((row) =>
  WHO.map((who) => ({
    name: `${row.endpoint} as ${LABEL[who]} → ${row.expected[who]}`,
    endpoint: row.endpoint,
    who,
    expected: row.expected[who],
  })),
);

let serial = 0;

test.each(cells)('$name', async ({ endpoint, who, expected }) => {
  const call = await CALLS[endpoint](w, who, ++serial);
  const res = await send(endpoint, who, call);
  expect(outcomeOf(res, call.perItem ?? false)).toBe(expected);
  // An answer to a principal of region B never carries region A's data (a list filtered by scope).
  const isPublic = ROWS.find((r) => r.endpoint === endpoint)!.expected.none === 'ok';
  if (expected === 'ok' && !isPublic && (who === 'offB' || who === 'audB')) {
    expect(JSON.stringify(res.body)).not.toContain(w.A.region.id);
  }
});

// ---- the matrix covers the app ----------------------------------------------------------------

interface LayerLike {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
  rawPath?: string;
  slash?: boolean;
}

/** Every route the Express app registers, as "METHOD /path", mounted routers included. */
function routesOf(stack: LayerLike[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const route = layer.route;
      return Object.keys(route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${prefix}${route.path}`);
    }
    if (layer.handle.stack) return routesOf(layer.handle.stack, prefix + (layer.slash ? '' : (layer.rawPath ?? '')));
    return [];
  });
}

test('the matrix has a row and a request for every route the app serves, and for nothing else', () => {
  // The staff pages take a session cookie, never a bearer token: test/api/pages.test.ts holds
  // their scope (403 pages) and CSRF. The public stall page is a row above.
  const cookiePages = new Set<string>(PAGE_ROUTES.filter((r) => r !== 'GET /los/:publicCode'));
  const served = routesOf((app as unknown as { router: { stack: LayerLike[] } }).router.stack)
    .filter((r) => !cookiePages.has(r))
    .sort();
  expect(served.length).toBeGreaterThan(40);
  expect(ROWS.map((r) => r.endpoint).sort()).toEqual(served);
  expect(Object.keys(CALLS).sort()).toEqual(served);
});
