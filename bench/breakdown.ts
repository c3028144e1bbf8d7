// --breakdown: where a card payment's time goes. Three more measurements after the main ones:
//  - the ledger function alone: N pg connections calling ledger_post_card_payment directly with
//    the parameters the service would pass (no HTTP, no express, no knex);
//  - the HTTP floor: GET /health through the same API process (express + one `select 1`);
//  - the node-side work of one request, single-threaded in this process (JWT verify, zod,
//    the idempotency hash, JSON), which the API process pays on every payment.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { drive, type PhaseOptions, type Outcome } from './driver';
import { connectAll } from './baseline';
import { cardBody } from './card-load';
import type { Fixture } from './fixture';
import { describeCpu, type CpuUse } from './cpu';
import { canonicalJson, sha256Hex } from '../api/core/canonical';
import { newReceiptCode } from '../api/receipts/receipt-code';
import { cardPaymentSchema } from '../api/payments/payments.schemas';
import { refuseFullPan } from '../api/payments/payments.service';
import { signToken, verifyToken } from '../api/auth/jwt';

export interface BreakdownContext {
  url: string;
  fixture: Fixture;
  agent: http.Agent;
  port: number;
  jwtSecret: string;
  phase: PhaseOptions;
  cpuWindow: () => { hooks: Pick<PhaseOptions, 'onWindowStart' | 'onWindowEnd'>; use: () => CpuUse };
  log: (line: string) => void;
}

export async function runBreakdown(c: BreakdownContext): Promise<void> {
  const n = c.phase.concurrency;
  const line = (
    name: string,
    r: { perSecond: number; p50Ms: number; p99Ms: number; errorsTotal: number; firstError?: string },
  ) =>
    c.log(
      `breakdown ${name}  N=${n}  ${r.perSecond.toFixed(0)}/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  errors ${r.errorsTotal}${r.firstError ? ` (${r.firstError})` : ''}`,
    );

  c.log(`running  ledger function over direct pg connections ...`);
  const sqlCpu = c.cpuWindow();
  const sql = await ledgerFunctionDirect(c, { ...c.phase, ...sqlCpu.hooks });
  line('sql function  ', sql);
  c.log(`         ${describeCpu(sqlCpu.use(), sql.ok)}`);

  c.log(`running  GET /health over HTTP ...`);
  const healthCpu = c.cpuWindow();
  const health = await drive({ ...c.phase, ...healthCpu.hooks }, () => getStatus(c.agent, c.port, '/health'));
  line('http /health  ', health);
  c.log(`         ${describeCpu(healthCpu.use(), health.ok)}`);

  for (const [name, us] of nodeCosts(c)) c.log(`breakdown node ${name.padEnd(34)} ${us.toFixed(1)} us/op`);
}

async function ledgerFunctionDirect(c: BreakdownContext, opts: PhaseOptions) {
  const clients = await connectAll(c.url, opts.concurrency);
  try {
    return await drive(opts, async (loop, seq) => {
      const t = c.fixture.terminals[loop];
      const body = cardBody(t, seq, 'S');
      const params = serviceParams(c.fixture.regionId, t.id, body);
      const { rows } = await clients[loop].query('select ledger_post_card_payment($1::jsonb) as r', [
        JSON.stringify(params),
      ]);
      return rows[0].r.replayed === false ? { ok: true } : { ok: false, error: 'replayed' };
    });
  } finally {
    await Promise.all(clients.map((x) => x.end()));
  }
}

/** What recordCardPayment (api/payments/payments.service.ts) passes to the ledger function. */
function serviceParams(regionId: string, terminalId: string, body: ReturnType<typeof cardBody>) {
  return {
    regionId,
    terminalId,
    clientTxnId: body.clientTxnId,
    requestHash: sha256Hex(canonicalJson(body)),
    stallId: body.stallId,
    amount: body.amount,
    paidAt: new Date(body.paidAt).toISOString(),
    ...body.card,
    receiptCode: newReceiptCode(),
    verifyBaseUrl: 'http://127.0.0.1',
  };
}

function getStatus(agent: http.Agent, port: number, path: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve(res.statusCode === 200 ? { ok: true } : { ok: false, error: `HTTP ${res.statusCode}` }),
        );
      })
      .on('error', reject);
  });
}

/** Microseconds per call of the per-request work the API does in JavaScript. */
function nodeCosts(c: BreakdownContext): [string, number][] {
  const t = c.fixture.terminals[0];
  const body = cardBody(t, 1, 'X');
  const text = JSON.stringify(body);
  const token = signToken(
    c.jwtSecret,
    { role: 'terminal', sub: t.id, terminalId: t.id, regionId: c.fixture.regionId },
    3600,
  ).token;
  const response = {
    paymentId: 'x',
    receipt: { serial: 1, code: newReceiptCode(), verifyUrl: 'http://x/receipts/y' },
    allocations: [{ assessmentId: 'a', businessDate: '2026-11-23', amount: '3000.00' }],
    credit: '0.00',
  };
  const time = (fn: () => unknown, iterations = 20_000) => {
    for (let i = 0; i < 1000; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return ((performance.now() - t0) * 1000) / iterations;
  };
  return [
    ['JSON.parse request body', time(() => JSON.parse(text))],
    ['jwt verify (HS256)', time(() => verifyToken(c.jwtSecret, token))],
    [
      'refuseFullPan + zod cardPaymentSchema',
      time(() => {
        refuseFullPan(body);
        return cardPaymentSchema.parse(body);
      }),
    ],
    ['canonicalJson + sha256 (request hash)', time(() => sha256Hex(canonicalJson(body)))],
    ['receipt code', time(newReceiptCode)],
    [
      'JSON.stringify params + response',
      time(() => JSON.stringify(serviceParams(c.fixture.regionId, t.id, body)) + JSON.stringify(response)),
    ],
  ];
}
