// One collector's day with one terminal: log in, fetch the market's list, walk its share of the
// stalls, ask each trader to pay, and deal with what the day brings: no signal for a stretch,
// declined cards, answers lost after the server committed, QRIS paid late.
import type { DayContext } from '../day';
import type { TerminalInfo } from '../setup/terminals';
import { marketStalls, type ListedStall } from '../setup/provision';
import { compactDate } from '../clock';
import { int, streamFor, type Rng } from '../rng';
import { DayClock, offlineStretch, routeFor } from './route';
import { OfflineJournal } from './journal';
import { decide, owedOffline, owedOnline, type OutstandingBody } from './trader';
import { payByCard, uploadJournal } from './card-flow';
import { payByQris } from './qris-flow';
import { ApiError } from '../http';

const SYNC_ATTEMPTS = 3;

export class TerminalSession {
  /** The collector's choices and the trader's */
  readonly rng: Rng;
  /** The banks' side of this terminal's transactions (declines, codes, issuers, delays) */
  readonly bankRng: Rng;
  readonly journal: OfflineJournal;
  token = '';
  /** The EDC's open batch today: what BNI's OB and Mandiri's TIDBATCH show for its transactions */
  readonly edcBatch: string;
  private stan: number;
  private txn = 0;
  private invoice = 0;

  constructor(
    readonly ctx: DayContext,
    readonly t: TerminalInfo,
  ) {
    this.rng = streamFor(ctx.opts.seed, 'terminal', t.id);
    this.bankRng = streamFor(ctx.opts.seed, 'bank', t.id);
    this.journal = new OfflineJournal(ctx.journalDir, t.id);
    this.stan = int(this.rng, 1, 899_999);
    this.edcBatch = edcBatchOn(ctx.opts.seed, t.tid, ctx.opts.date);
  }

  /** The EDC's invoice (trace) number: counts up from 1 within the batch, six digits as slips print it. */
  nextInvoice(): string {
    this.invoice += 1;
    return String(this.invoice).padStart(6, '0');
  }

  /** The EDC's system trace audit number: six digits, one per card transaction, wrapping. */
  nextStan(): string {
    this.stan = (this.stan % 999_999) + 1;
    return String(this.stan).padStart(6, '0');
  }

  /** The terminal's own id for a payment, the API's idempotency key. The seed is in it so another
   * run on the same day does not collide with this one. */
  nextClientTxnId(): string {
    this.txn += 1;
    return `${this.t.id}-${compactDate(this.ctx.opts.date)}-s${this.ctx.opts.seed}-${String(this.txn).padStart(5, '0')}`;
  }

  error(what: string): void {
    this.ctx.errors.push(`${this.t.id}: ${what}`);
  }
}

/** An EDC closes its batch at each day's settlement and opens the next: the number goes up by one
 * a day from a start of the terminal's own, wrapping within 1-999, so consecutive days differ. */
export function edcBatchOn(seed: number, tid: string, date: string): string {
  const start = int(streamFor(seed, 'edc-batch', tid), 1, 999);
  const day = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(2020, 0, 1)) / 86_400_000);
  return String(((((start - 1 + day) % 999) + 999) % 999) + 1);
}

/** Log in and fetch the market's list, trying again a little later when the API is busy (5xx). */
async function morningSync(s: TerminalSession): Promise<ListedStall[]> {
  const { api } = s.ctx;
  for (let attempt = 1; ; attempt++) {
    try {
      const login = await api.expect<{ token: string }>(200, 'POST', '/api/v1/auth/terminal', {
        json: { terminalId: s.t.id, secret: s.t.secret },
      });
      s.token = login.token;
      return await marketStalls(api, s.token, s.t.market.id);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status < 500 || attempt === SYNC_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, attempt * 2000));
    }
  }
}

export async function walkTerminal(ctx: DayContext, t: TerminalInfo): Promise<void> {
  const s = new TerminalSession(ctx, t);
  const list = await ctx.morningSync.run(() => morningSync(s));
  const route = routeFor(list, t.shareIndex, t.shareCount, ctx.opts.stallsPerTerminal);
  const mustLose = (ctx.lostQueueBudget.get(t.id) ?? 0) > 0;
  const offline = offlineStretch(s.rng, route.length, ctx.opts.rates.offlineTerminal, mustLose);
  if (offline.includes(true)) ctx.stats.offlineStretches++;
  const clock = new DayClock(s.rng, ctx.opts.date, t.region.timeZone, route.length, Date.now);
  for (const [i, stall] of route.entries()) {
    // The signal is back: the queue goes up before the next trader.
    if (i > 0 && offline[i - 1] && !offline[i]) await uploadJournal(s);
    await serveStall(s, stall, offline[i], clock.next());
    ctx.stats.stallsVisited++;
    ctx.progress.tick();
  }
  if (offline[route.length - 1]) await uploadJournal(s);
}

async function serveStall(s: TerminalSession, stall: ListedStall, offline: boolean, at: Date): Promise<void> {
  const { ctx } = s;
  let owed = owedOffline(stall);
  if (!offline) {
    const res = await ctx.api.request<OutstandingBody>('GET', `/api/v1/stalls/${stall.stallId}/outstanding`, {
      token: s.token,
    });
    if (res.status !== 200) return s.error(`outstanding of ${stall.code}: ${res.status} ${res.text.slice(0, 200)}`);
    owed = owedOnline(res.body, ctx.opts.date);
  }
  // A terminal chosen to lose its queue makes sure it has something to lose.
  const forceCard = offline && (ctx.lostQueueBudget.get(s.t.id) ?? 0) > s.journal.entries().length;
  const decision = decide(s.rng, owed, ctx.opts.rates, !offline, forceCard);
  if (!decision) {
    if (owed.total.gt(0)) ctx.stats.unpaid++;
    return;
  }
  const qrisAvailable = !offline && ctx.qrisAcquirers.has(s.t.region.code);
  if (decision.method === 'qris' && qrisAvailable) return void (await payByQris(s, stall, decision.amount, at));
  const outcome = await payByCard(s, stall, decision.amount, at, offline);
  // Declined: some traders then scan the QR instead, the others pay another day.
  if (outcome === 'declined' && qrisAvailable && s.rng() < 0.5) await payByQris(s, stall, decision.amount, at);
  else if (outcome === 'declined') ctx.stats.unpaid++;
}
