// A QRIS payment at the stall: the terminal asks the API for a dynamic code, the trader's app
// pays it, the QRIS acquirer notifies the API (now, twice, or only at the end of the day) and
// the terminal polls until the code is paid.
import type Decimal from 'decimal.js';
import type { DayContext, PendingNotification } from '../day';
import { SnapQrisAcquirer } from '../banks/snap/snap-acquirer';
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
  const fault = ctx.snap?.faultBudget.get(t.id)?.shift();
  if (fault === 'lost-notification') {
    // Paid at the bank, never notified: the trader's app shows it paid and the collector moves on;
    // only the product's query of the bank can learn of it.
    ctx.stats.qrisLostNotifications++;
    ctx.snap!.faults.push({ kind: fault, region: t.region.code, terminalId: t.id, stallId: stall.stallId, txn });
    return;
  }
  if (fault === 'duplicate-external-id') pending.duplicateExternalId = true;
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
  if (!first.accepted) {
    ctx.errors.push(`${p.terminalId}: QRIS notification ${p.txn.rrn}: ${first.status} ${first.text.slice(0, 200)}`);
    return false;
  }
  if (p.duplicate) {
    const again = await acquirer.notify(p.txn);
    ctx.stats.qrisNotifications++;
    ctx.stats.qrisDuplicated++;
    if (!again.accepted || again.paymentId !== first.paymentId) {
      ctx.errors.push(
        `${p.terminalId}: duplicate notification ${p.txn.rrn} answered ${again.status}, not the first payment`,
      );
    }
  }
  if (p.duplicateExternalId && acquirer instanceof SnapQrisAcquirer) await reuseExternalId(ctx, acquirer, p);
  ctx.ledger.push({
    channel: 'qris',
    region: p.region,
    terminalId: p.terminalId,
    acquirerCode: acquirer.info.code,
    rrn: p.txn.rrn,
    stallId: p.stallId,
    amount: p.txn.gross,
    paymentId: first.paymentId,
    offline: false,
  });
  return true;
}

/**
 * The bank sends the same notification again under its X-EXTERNAL-ID (a retry: the first answer
 * again, no second payment), then another body under the same id (409 4095200, SNAP_QRIS.md §3.3).
 */
async function reuseExternalId(ctx: DayContext, acquirer: SnapQrisAcquirer, p: PendingNotification): Promise<void> {
  const first = acquirer.sent.get(p.txn.rrn)!;
  const retry = await acquirer.send(first);
  const other = await acquirer.send({ ...first, body: acquirer.notificationBody(p.txn, 'Success (resent)') });
  ctx.stats.qrisNotifications += 2;
  ctx.stats.qrisReusedExternalIds++;
  ctx.snap!.faults.push({
    kind: 'duplicate-external-id',
    region: p.region,
    terminalId: p.terminalId,
    stallId: p.stallId,
    txn: p.txn,
    externalId: first.externalId,
  });
  if (!retry.accepted)
    ctx.errors.push(`${p.terminalId}: retried notification ${p.txn.rrn} answered ${retry.status} ${retry.text}`);
  if (other.status !== 409 || !other.text.includes('"4095200"'))
    ctx.errors.push(`${p.terminalId}: reused X-EXTERNAL-ID ${first.externalId} answered ${other.status} ${other.text}`);
}

async function pollUntilPaid(s: TerminalSession, intentId: string): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    const res = await s.ctx.api.request<{ status: string }>('GET', `/api/v1/qris/${intentId}`, { token: s.token });
    if (res.status === 200 && res.body.status === 'paid') return;
    await new Promise((r) => setTimeout(r, POLL_GAP_MS));
  }
  s.error(`QRIS ${intentId} still not paid after ${POLLS} polls`);
}
