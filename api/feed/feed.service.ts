// The command center's live picture: per market, what was assessed today, what was collected by
// channel and how many stalls have paid; per region, how the recent days reconciled. "Today" is
// each region's own business date, so a WIT region has turned the day while a WIB one has not.
import Decimal from 'decimal.js';
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { forbidden } from '../core/errors';
import { businessDate } from '../core/time';
import * as repo from './feed.repository';
import type {
  Collection,
  FeedSummary,
  PaymentChannel,
  PaymentEvent,
  ReconciliationState,
  RegionSummary,
} from './feed.schemas';

/** Days of reconciliation status shown per region, ending yesterday (today is not reconciled yet). */
export const RECONCILIATION_DAYS = 7;

/**
 * The regions a feed reader sees: the admin, and an auditor or a feed account without a region,
 * see all (or the one asked for); an officer, and an auditor or feed of a region, see that one.
 */
export function feedRegions(p: Principal, asked?: string): { regionId?: string } {
  const global = p.role === 'admin' || ((p.role === 'auditor' || p.role === 'feed') && !p.regionId);
  if (global) return { regionId: asked };
  const own = ['officer', 'auditor', 'feed'].includes(p.role) ? p.regionId : undefined;
  if (!own || (asked && asked !== own)) throw forbidden('this region is outside your scope');
  return { regionId: own };
}

// The summary's own status, in the words of the command center.
const STATE: Record<string, ReconciliationState> = { closed: 'clean', awaiting: 'awaiting', open: 'exceptions' };

const zero = () => ({ count: 0, amount: new Decimal(0) });
type Tally = {
  assessed: number;
  assessedAmount: Decimal;
  paid: number;
  partly: number;
  byChannel: Record<PaymentChannel, ReturnType<typeof zero>>;
};
const emptyTally = (): Tally => ({
  assessed: 0,
  assessedAmount: new Decimal(0),
  paid: 0,
  partly: 0,
  byChannel: { card: zero(), qris: zero(), cash: zero() },
});

function add(into: Tally, from: Tally): void {
  into.assessed += from.assessed;
  into.assessedAmount = into.assessedAmount.plus(from.assessedAmount);
  into.paid += from.paid;
  into.partly += from.partly;
  for (const c of Object.keys(into.byChannel) as PaymentChannel[]) {
    into.byChannel[c].count += from.byChannel[c].count;
    into.byChannel[c].amount = into.byChannel[c].amount.plus(from.byChannel[c].amount);
  }
}

function collection(t: Tally): Collection {
  const channels = Object.values(t.byChannel);
  const cs = (v: { count: number; amount: Decimal }) => ({ count: v.count, amount: v.amount.toFixed(2) });
  return {
    assessed: { stalls: t.assessed, amount: t.assessedAmount.toFixed(2) },
    paidStalls: t.paid,
    partlyPaidStalls: t.partly,
    sharePaid: t.assessed ? new Decimal(t.paid).div(t.assessed).toDecimalPlaces(4).toNumber() : null,
    collected: {
      count: channels.reduce((n, c) => n + c.count, 0),
      amount: channels.reduce((acc, c) => acc.plus(c.amount), new Decimal(0)).toFixed(2),
      byChannel: { card: cs(t.byChannel.card), qris: cs(t.byChannel.qris), cash: cs(t.byChannel.cash) },
    },
  };
}

/** The dates of the `n` days before `today`, newest first. */
function daysBefore(today: string, n: number): string[] {
  const t = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t - (i + 1) * 86_400_000).toISOString().slice(0, 10));
}

export async function feedSummary(deps: Deps, p: Principal, asked?: string): Promise<FeedSummary> {
  const { regionId } = feedRegions(p, asked);
  const now = deps.clock.now();
  const regions = await repo.listRegions(deps.knex, regionId);
  const days = regions.map((r) => ({ regionId: r.id, today: businessDate(now, r.time_zone) }));
  const [markets, channels, runs] = days.length
    ? await Promise.all([
        repo.marketAssessments(deps.knex, days),
        repo.collectedByChannel(deps.knex, days),
        repo.recentRuns(deps.knex, days, RECONCILIATION_DAYS),
      ])
    : [[], [], []];

  const tallies = new Map<string, Tally>();
  for (const m of markets) {
    tallies.set(m.id, {
      ...emptyTally(),
      assessed: Number(m.stalls),
      assessedAmount: new Decimal(m.amount),
      paid: Number(m.paid),
      partly: Number(m.partly),
    });
  }
  for (const c of channels) {
    const t = tallies.get(c.market_id);
    if (t) t.byChannel[c.channel] = { count: Number(c.count), amount: new Decimal(c.amount) };
  }

  return {
    generatedAt: now.toISOString(),
    regions: regions.map((r, i): RegionSummary => {
      const totals = emptyTally();
      const mine = markets.filter((m) => m.region_id === r.id);
      for (const m of mine) add(totals, tallies.get(m.id)!);
      const status = new Map(
        runs.filter((x) => x.region_id === r.id).map((x) => [x.business_date, STATE[x.status] ?? 'exceptions']),
      );
      return {
        regionId: r.id,
        code: r.code,
        name: r.name,
        timeZone: r.time_zone,
        businessDate: days[i].today,
        totals: collection(totals),
        markets: mine.map((m) => ({ marketId: m.id, code: m.code, name: m.name, ...collection(tallies.get(m.id)!) })),
        reconciliation: daysBefore(days[i].today, RECONCILIATION_DAYS).map((d) => ({
          businessDate: d,
          status: status.get(d) ?? 'never',
        })),
      };
    }),
  };
}

/** The latest `limit` payments of today in the reader's regions, newest first, as the stream
 * sends them (no trader, no card). */
export async function latestPayments(deps: Deps, p: Principal, asked?: string, limit = 20): Promise<PaymentEvent[]> {
  const { regionId } = feedRegions(p, asked);
  const now = deps.clock.now();
  const regions = await repo.listRegions(deps.knex, regionId);
  const days = regions.map((r) => ({ regionId: r.id, today: businessDate(now, r.time_zone) }));
  return days.length ? repo.latestPayments(deps.knex, days, limit) : [];
}
