// A QRIS payment at the stall: the terminal asks the API for a dynamic code, the trader's app
// pays it, the QRIS acquirer notifies the API (now, twice, or only at the end of the day) and
// the terminal polls until the code is paid.
import type Decimal from 'decimal.js';
import type { DayContext, PendingNotification } from '../day';
import type { ListedStall } from '../setup/provision';
import type { TerminalSession } from './session';

const POLLS = 40;
const POLL_GAP_MS = 25;

interface Intent {
  intentId: string;
  payload: string;
}

export async function payByQris(s: TerminalSession, stall: ListedStall, amount: Decimal, at: Date): Promise<void> {
  const { ctx, t } = s;
  const acquirer = ctx.qrisAcquirers.get(t.region.code)!;
  const res = await ctx.api.request<Intent>('POST', '/api/v1/qris', {
    token: s.token,
    json: { stallId: stall.stallId, amount: amount.toFixed(2) },
  });
  if (res.status !== 201) return s.error(`QRIS for ${stall.code}: ${res.status} ${res.text.slice(0, 200)}`);
  const txn = acquirer.pay(s.bankRng, res.body.payload, at, ctx.opts.date, t.ordinal);
  const pending: PendingNotification = {
    region: t.region.code,
    terminalId: t.id,
    stallId: stall.stallId,
    txn,
    duplicate: s.bankRng() < ctx.opts.rates.qrisDuplicate,
  };
  if (s.bankRng() < ctx.opts.rates.qrisDelay) {
    // The bank's queue is stuck: the collector moves on; the payment lands in the evening.
    ctx.stats.qrisDelayed++;
    ctx.delayed.push(pending);
    return;
  }
  if (!(await deliver(ctx, pending))) return;
  await pollUntilPaid(s, res.body.intentId);
}

/** Sends the notification (twice when the bank duplicates it) and records what the API says. */
export async function deliver(ctx: DayContext, p: PendingNotification): Promise<boolean> {
  const acquirer = ctx.qrisAcquirers.get(p.region)!;
  const first = await acquirer.notify(p.txn);
  ctx.stats.qrisNotifications++;
  if (first.status !== 200 || first.body.status !== 'recorded' || !first.body.paymentId) {
    ctx.errors.push(`${p.terminalId}: QRIS notification ${p.txn.rrn}: ${first.status} ${first.text.slice(0, 200)}`);
    return false;
  }
  if (p.duplicate) {
    const again = await acquirer.notify(p.txn);
    ctx.stats.qrisNotifications++;
    ctx.stats.qrisDuplicated++;
    if (again.status !== 200 || again.body.paymentId !== first.body.paymentId) {
      ctx.errors.push(
        `${p.terminalId}: duplicate notification ${p.txn.rrn} answered ${again.status}, not the first payment`,
      );
    }
  }
  ctx.ledger.push({
    channel: 'qris',
    region: p.region,
    terminalId: p.terminalId,
    acquirerCode: acquirer.info.code,
    rrn: p.txn.rrn,
    stallId: p.stallId,
    amount: p.txn.gross,
    paymentId: first.body.paymentId,
    offline: false,
  });
  return true;
}

async function pollUntilPaid(s: TerminalSession, intentId: string): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    const res = await s.ctx.api.request<{ status: string }>('GET', `/api/v1/qris/${intentId}`, { token: s.token });
    if (res.status === 200 && res.body.status === 'paid') return;
    await new Promise((r) => setTimeout(r, POLL_GAP_MS));
  }
  s.error(`QRIS ${intentId} still not paid after ${POLLS} polls`);
}
