// One collector's day with one terminal: log in, fetch the market's list, walk its share of the
// stalls, ask each trader to pay, and deal with what the day brings: no signal for a stretch,
// declined cards, answers lost after the server committed, QRIS paid late.
import type { DayContext } from '../day';
import type { TerminalInfo } from '../setup/terminals';
import { marketStalls, type ListedStall } from '../setup/provision';
import { DayClock, offlineStretch, routeFor } from './route';
import { decide, owedOffline, owedOnline, type OutstandingBody } from './trader';
import { payByCard, uploadJournal } from './card-flow';
import { payByQris } from './qris-flow';
import { TerminalSession } from './session';
import { ApiError } from '../http';

const SYNC_ATTEMPTS = 3;

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
