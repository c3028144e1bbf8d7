// Laporan Realisasi Penerimaan Retribusi Pasar: per market, what was collected in a month and in
// the year up to that month's end, against the market's annual target. Collected means money
// received (payments of those business dates less the voided ones), by channel.
//
// Realisation of the retribusi target counts retribusi money only: what payments settled of
// principal and what they left as titipan (an advance on retribusi), that is amount less
// penalty_amount. Sanksi bunga a payment settled (payments.penalty_amount) is revenue of its own
// (pendapatan sanksi/denda retribusi), reported on its own line beside it and never counted
// toward the retribusi target. Titipan later applied to sanksi is not moved back: money is
// classified as the ledger posted it on the day it was received. The target is
// the one an officer set for that year (market_targets); a year without one falls back to the
// standing target kept on the market, and the report says which it used.
import Decimal from 'decimal.js';
import type { Deps } from '../../api/core/deps';
import { badRequest } from '../../api/core/errors';
import {
  addToChannels,
  CHANNELS,
  emptyChannels,
  money,
  regionInfo,
  sumChannels,
  type Channel,
  type ChannelTotals,
  type RegionInfo,
} from './common';

/** 'year': set for this year in market_targets; 'standing': the market's annual_target. */
export type TargetSource = 'year' | 'standing';

export interface MarketRealisation {
  marketId: string;
  code: string;
  name: string;
  target: string;
  targetSource: TargetSource;
  month: ChannelTotals;
  yearToDate: ChannelTotals;
  /** Sanksi bunga received in the month and in the year to date (not in month/yearToDate). */
  penalty: PenaltyReceived;
  /** Year to date over target × 100, two places (half up); null when the target is 0. */
  percentOfTarget: string | null;
}

export interface PenaltyReceived {
  month: string;
  yearToDate: string;
}

export interface MonthlyRealisation {
  region: RegionInfo;
  month: string;
  year: number;
  /** The month's first and last business dates, and the year's first. */
  monthFrom: string;
  monthTo: string;
  yearFrom: string;
  channels: Channel[];
  markets: MarketRealisation[];
  total: {
    target: string;
    month: ChannelTotals;
    yearToDate: ChannelTotals;
    penalty: PenaltyReceived;
    percentOfTarget: string | null;
  };
}

export function percentOf(part: Decimal.Value, whole: Decimal.Value): string | null {
  const w = new Decimal(whole);
  return w.isZero() ? null : new Decimal(part).div(w).times(100).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** '2026-02' → its first and last days; the last by day 0 of the next month. */
export function monthRange(month: string): { from: string; to: string; year: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw badRequest('invalid-input', 'month must be a month YYYY-MM', { field: 'month' });
  const year = Number(m[1]);
  const last = new Date(Date.UTC(year, Number(m[2]), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, year };
}

interface MarketRow {
  id: string;
  code: string;
  name: string;
  active: boolean;
  target: string;
  from_year: boolean;
}

interface MoneyRow {
  market_id: string;
  channel: Channel;
  month_count: string;
  month_amount: string | null;
  ytd_count: string;
  ytd_amount: string;
  month_penalty: string | null;
  ytd_penalty: string;
}

async function markets(deps: Deps, regionId: string, year: number): Promise<MarketRow[]> {
  const { rows } = await deps.knex.raw(
    `select m.id, m.code, m.name, m.active, coalesce(t.amount, m.annual_target)::text as target, (t.amount is not null) as from_year
       from markets m
       left join market_targets t on t.region_id = m.region_id and t.market_id = m.id and t.year = :year
      where m.region_id = :region
      order by m.code`,
    { region: regionId, year },
  );
  return rows;
}

// One pass over the year's payments to the month's end: the month is a filter of the same rows,
// so the month can never hold what the year does not. Counts and amounts are of retribusi (a
// payment that settled sanksi alone counts in neither); sanksi is summed apart.
async function collected(
  deps: Deps,
  regionId: string,
  r: { yearFrom: string; from: string; to: string },
): Promise<MoneyRow[]> {
  const { rows } = await deps.knex.raw(
    `select p.market_id, p.channel,
            count(*) filter (where p.business_date >= cast(:from as date) and p.amount > p.penalty_amount) as month_count,
            (sum(p.amount - p.penalty_amount) filter (where p.business_date >= cast(:from as date)))::text as month_amount,
            count(*) filter (where p.amount > p.penalty_amount) as ytd_count,
            sum(p.amount - p.penalty_amount)::text as ytd_amount,
            (sum(p.penalty_amount) filter (where p.business_date >= cast(:from as date)))::text as month_penalty,
            sum(p.penalty_amount)::text as ytd_penalty
       from payments p
      where p.region_id = :region and p.business_date between cast(:yearFrom as date) and cast(:to as date)
        and not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)
      group by 1, 2`,
    { region: regionId, ...r },
  );
  return rows;
}

export async function monthlyRealisation(deps: Deps, regionId: string, month: string): Promise<MonthlyRealisation> {
  const { from, to, year } = monthRange(month);
  const yearFrom = `${year}-01-01`;
  const region = await regionInfo(deps, regionId);
  const [marketRows, takings] = await Promise.all([
    markets(deps, regionId, year),
    collected(deps, regionId, { yearFrom, from, to }),
  ]);
  const list: MarketRealisation[] = marketRows
    .map((m) => {
      let monthT = emptyChannels();
      let ytd = emptyChannels();
      let penaltyMonth = new Decimal(0);
      let penaltyYtd = new Decimal(0);
      for (const r of takings.filter((x) => x.market_id === m.id)) {
        monthT = addToChannels(monthT, r.channel, { count: Number(r.month_count), amount: money(r.month_amount) });
        ytd = addToChannels(ytd, r.channel, { count: Number(r.ytd_count), amount: money(r.ytd_amount) });
        penaltyMonth = penaltyMonth.plus(r.month_penalty ?? 0);
        penaltyYtd = penaltyYtd.plus(r.ytd_penalty);
      }
      return {
        marketId: m.id,
        code: m.code,
        name: m.name,
        target: money(m.target),
        targetSource: (m.from_year ? 'year' : 'standing') as TargetSource,
        month: monthT,
        yearToDate: ytd,
        penalty: { month: money(penaltyMonth), yearToDate: money(penaltyYtd) },
        percentOfTarget: percentOf(ytd.total.amount, m.target),
        active: m.active,
      };
    })
    // A closed market stays on the report for the year it still has a target or takings in.
    .filter(
      (m) =>
        m.active ||
        new Decimal(m.target).gt(0) ||
        m.yearToDate.total.count > 0 ||
        new Decimal(m.penalty.yearToDate).gt(0),
    )
    .map(({ active: _active, ...m }) => m);
  const target = list.reduce((acc, m) => acc.plus(m.target), new Decimal(0));
  const ytd = sumChannels(list.map((m) => m.yearToDate));
  const anyCash = takings.some((r) => r.channel === 'cash');
  return {
    region,
    month,
    year,
    monthFrom: from,
    monthTo: to,
    yearFrom,
    channels: CHANNELS.filter((c) => c !== 'cash' || region.allowCash || anyCash),
    markets: list,
    total: {
      target: target.toFixed(2),
      month: sumChannels(list.map((m) => m.month)),
      yearToDate: ytd,
      penalty: {
        month: money(list.reduce((acc, m) => acc.plus(m.penalty.month), new Decimal(0))),
        yearToDate: money(list.reduce((acc, m) => acc.plus(m.penalty.yearToDate), new Decimal(0))),
      },
      percentOfTarget: percentOf(ytd.total.amount, target),
    },
  };
}
