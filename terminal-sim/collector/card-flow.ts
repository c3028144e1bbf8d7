// A card payment at the stall: the acquirer authorises first; an approved one goes to the API at
// once, or into the offline journal when there is no signal. Some answers are lost after the
// server committed: the terminal sends the same request again and must get the same answer (200).
import { isDeepStrictEqual } from 'node:util';
import type Decimal from 'decimal.js';
import type { ListedStall } from '../setup/provision';
import type { CardPaymentBody } from './journal';
import { traderCard } from './trader';
import type { TerminalSession } from './session';

const BATCH_MAX = 500;

interface BatchResult {
  index: number;
  clientTxnId: string;
  status: number;
  body?: { paymentId: string };
  error?: { code: string };
}

export async function payByCard(
  s: TerminalSession,
  stall: ListedStall,
  amount: Decimal,
  at: Date,
  offline: boolean,
): Promise<'approved' | 'declined'> {
  const { ctx, t } = s;
  const acquirer = ctx.cardAcquirers.get(t.region.code)!;
  const auth = acquirer.authorise(
    s.bankRng,
    {
      tid: t.tid,
      mid: t.mid,
      stan: s.nextStan(),
      amount: amount.toFixed(2),
      maskedPan: traderCard(ctx.opts.seed, stall.stallId),
      at,
      transactionDate: ctx.opts.date,
      ordinal: t.ordinal,
      terminalBatch: s.edcBatch,
      invoice: s.nextInvoice(),
    },
    ctx.opts.rates.decline,
  );
  if (auth.responseCode !== '00') {
    ctx.stats.declines++;
    return 'declined';
  }
  const body: CardPaymentBody = {
    clientTxnId: s.nextClientTxnId(),
    stallId: stall.stallId,
    amount: auth.gross,
    paidAt: at.toISOString(),
    card: {
      tid: auth.tid,
      mid: auth.mid,
      stan: auth.stan!,
      rrn: auth.rrn,
      approvalCode: auth.approvalCode!,
      maskedPan: auth.maskedPan!,
      responseCode: '00',
      batch: auth.terminalBatch!,
      invoice: auth.invoice!,
    },
  };
  if (offline) s.journal.append(body);
  else await postCard(s, body);
  return 'approved';
}

async function postCard(s: TerminalSession, body: CardPaymentBody): Promise<void> {
  const { ctx } = s;
  // Drawn before sending, so an unexpected answer cannot shift what the rest of the day draws.
  const timesOut = s.rng() < ctx.opts.rates.timeout;
  const first = await ctx.api.request<{ paymentId: string }>('POST', '/api/v1/payments/card', {
    token: s.token,
    json: body,
  });
  if (first.status !== 201)
    return s.error(`card payment ${body.clientTxnId}: ${first.status} ${first.text.slice(0, 200)}`);
  if (timesOut) {
    // The first answer never reached the terminal; it is kept here only to check the second.
    const again = await ctx.api.request('POST', '/api/v1/payments/card', { token: s.token, json: body });
    countRetry(s, [body.clientTxnId]);
    if (again.status !== 200 || !isDeepStrictEqual(again.body, first.body)) {
      s.error(`retry of ${body.clientTxnId} answered ${again.status}, not the first answer again`);
    }
  }
  record(s, body, first.body.paymentId, false);
}

/** The signal is back: the journal goes up in order, in batches the API accepts, then is cleared. */
export async function uploadJournal(s: TerminalSession): Promise<void> {
  loseQueuedPayments(s);
  const entries = s.journal.entries();
  for (let i = 0; i < entries.length; i += BATCH_MAX) await uploadBatch(s, entries.slice(i, i + BATCH_MAX));
  s.journal.clear();
}

async function uploadBatch(s: TerminalSession, payments: CardPaymentBody[]): Promise<void> {
  const { ctx } = s;
  const timesOut = s.rng() < ctx.opts.rates.timeout;
  const first = await ctx.api.request<{ results: BatchResult[] }>('POST', '/api/v1/payments/batch', {
    token: s.token,
    json: { payments },
  });
  if (first.status !== 200) return s.error(`batch upload: ${first.status} ${first.text.slice(0, 200)}`);
  ctx.stats.batchUploads++;
  ctx.stats.uploadedPayments += payments.length;
  if (timesOut) {
    const again = await ctx.api.request<{ results: BatchResult[] }>('POST', '/api/v1/payments/batch', {
      token: s.token,
      json: { payments },
    });
    countRetry(
      s,
      payments.map((p) => p.clientTxnId),
    );
    const same =
      again.status === 200 &&
      again.body.results.every((r, i) => r.status === 200 && isDeepStrictEqual(r.body, first.body.results[i].body));
    if (!same) s.error(`retry of a batch of ${payments.length} did not answer every item 200 with its first answer`);
  }
  for (const [i, r] of first.body.results.entries()) {
    if (r.status === 201 && r.body) record(s, payments[i], r.body.paymentId, true);
    else s.error(`batch item ${r.clientTxnId}: ${r.status} ${r.error?.code ?? ''}`);
  }
}

/** The lost-queue fault: the last queued payments vanish before the upload. The acquirer approved
 * them and will settle them; the ledger never hears of them. */
function loseQueuedPayments(s: TerminalSession): void {
  const budget = s.ctx.lostQueueBudget.get(s.t.id) ?? 0;
  if (budget === 0) return;
  const lost = s.journal.loseLast(budget);
  s.ctx.lostQueueBudget.set(s.t.id, budget - lost.length);
  for (const p of lost) {
    s.ctx.lost.push({
      region: s.t.region.code,
      terminalId: s.t.id,
      tid: p.card.tid,
      rrn: p.card.rrn,
      stan: p.card.stan,
      approvalCode: p.card.approvalCode,
      terminalBatch: p.card.batch,
      invoice: p.card.invoice,
      clientTxnId: p.clientTxnId,
      stallId: p.stallId,
      amount: p.amount,
    });
  }
}

function countRetry(s: TerminalSession, clientTxnIds: string[]): void {
  s.ctx.stats.retries++;
  s.ctx.stats.retriedClientTxnIds.push(...clientTxnIds);
}

function record(s: TerminalSession, body: CardPaymentBody, paymentId: string, offline: boolean): void {
  s.ctx.ledger.push({
    channel: 'card',
    region: s.t.region.code,
    terminalId: s.t.id,
    acquirerCode: s.ctx.cardAcquirers.get(s.t.region.code)!.info.code,
    rrn: body.card.rrn,
    clientTxnId: body.clientTxnId,
    stallId: body.stallId,
    amount: body.amount,
    paymentId,
    offline,
  });
}
