// The load generator's side of a card payment: the body a collector's EDC would send (as in
// test/support/scenario.ts cardBody), and a keep-alive HTTP POST that keeps the whole response.
import http from 'node:http';
import type { BenchTerminal } from './fixture';
import type { Outcome } from './driver';

export interface HttpResponse {
  status: number;
  body: string;
}

export function postJson(
  agent: http.Agent,
  port: number,
  path: string,
  body: unknown,
  token?: string,
): Promise<HttpResponse> {
  const payload = Buffer.from(JSON.stringify(body));
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': payload.length };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function terminalToken(agent: http.Agent, port: number, t: BenchTerminal): Promise<string> {
  const res = await postJson(agent, port, '/api/v1/auth/terminal', { terminalId: t.id, secret: t.secret });
  if (res.status !== 200) throw new Error(`terminal login for ${t.id} failed: ${res.status} ${res.body}`);
  return (JSON.parse(res.body) as { token: string }).token;
}

/**
 * The seq-th card payment of a terminal. `tag` (one letter) keeps the ids of different phases
 * apart: clientTxnId and RRN (12 characters, unique per acquirer and day) are tag + terminal + seq.
 * The collector walks its stalls in turn; now and then a trader pays two days at once.
 */
export function cardBody(t: BenchTerminal, seq: number, tag: string) {
  const stall = t.stalls[seq % t.stalls.length];
  const round = Math.floor(seq / t.stalls.length);
  const days = (round + seq) % 4 === 3 ? 2 : 1;
  const ref = `${tag}${String(t.index).padStart(4, '0')}${String(seq).padStart(7, '0')}`;
  return {
    clientTxnId: `bench-${ref}`,
    stallId: stall.id,
    amount: String(stall.feeRp * days),
    paidAt: new Date().toISOString(),
    card: {
      tid: t.tid,
      mid: t.mid,
      stan: String(seq % 1_000_000).padStart(6, '0'),
      rrn: ref,
      approvalCode: String((seq * 7919) % 1_000_000).padStart(6, '0'),
      maskedPan: `522184******${String((t.index * 31 + seq) % 10_000).padStart(4, '0')}`,
      responseCode: '00',
    },
  };
}

/** One terminal per loop, posting its payments one after another like a collector. */
export function cardPaymentOp(agent: http.Agent, port: number, terminals: BenchTerminal[], tokens: string[]) {
  return async (loop: number, seq: number): Promise<Outcome> => {
    const res = await postJson(agent, port, '/api/v1/payments/card', cardBody(terminals[loop], seq, 'H'), tokens[loop]);
    return res.status === 201 ? { ok: true } : { ok: false, error: `HTTP ${res.status} ${res.body.slice(0, 500)}` };
  };
}

/**
 * A terminal back online uploading its offline queue: `size` card payments in one POST
 * /api/v1/payments/batch (its seq-th upload; ids tagged 'B'). Counts as one operation; it
 * succeeds only when every item was recorded (201).
 */
export function batchUploadOp(
  agent: http.Agent,
  port: number,
  terminals: BenchTerminal[],
  tokens: string[],
  size: number,
  /** counts every item answered 201, whole upload or not (what the ledger must hold) */
  recorded: { items: number },
) {
  return async (loop: number, seq: number): Promise<Outcome> => {
    const t = terminals[loop];
    const payments = Array.from({ length: size }, (_, k) => cardBody(t, seq * size + k, 'B'));
    const res = await postJson(agent, port, '/api/v1/payments/batch', { payments }, tokens[loop]);
    if (res.status !== 200) return { ok: false, error: `HTTP ${res.status} ${res.body.slice(0, 500)}` };
    const { results } = JSON.parse(res.body) as { results: { status: number; error?: unknown }[] };
    const refused = results.filter((r) => r.status !== 201);
    recorded.items += results.length - refused.length;
    return refused.length === 0
      ? { ok: true }
      : { ok: false, error: `${refused.length} of ${size} items not recorded: ${JSON.stringify(refused[0])}` };
  };
}
