// What the report data functions share: the region as a report heads it, counts with sums, and
// the channels money arrives by. Amounts are decimal strings with two places, summed as Decimal.
import Decimal from 'decimal.js';
import type { Deps } from '../../api/core/deps';
import { badRequest, notFound } from '../../api/core/errors';
import { isValidDate } from '../../api/core/time';

export interface RegionInfo {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  allowCash: boolean;
}

export async function regionInfo(deps: Deps, regionId: string): Promise<RegionInfo> {
  const r = await deps.knex('regions').where({ id: regionId }).first('id', 'code', 'name', 'time_zone', 'allow_cash');
  if (!r) throw notFound('region', { field: 'regionId' });
  return { id: r.id, code: r.code, name: r.name, timeZone: r.time_zone, allowCash: r.allow_cash };
}

export function assertDate(date: string, field = 'date'): void {
  if (!isValidDate(date)) throw badRequest('invalid-input', `${field} must be a date YYYY-MM-DD`, { field });
}

export interface CountSum {
  count: number;
  amount: string;
}

export const ZERO: CountSum = { count: 0, amount: '0.00' };

export const money = (v: string | Decimal | null | undefined): string => new Decimal(v ?? 0).toFixed(2);

export function addCounts(...xs: CountSum[]): CountSum {
  return {
    count: xs.reduce((n, x) => n + x.count, 0),
    amount: xs.reduce((acc, x) => acc.plus(x.amount), new Decimal(0)).toFixed(2),
  };
}

export const CHANNELS = ['card', 'qris', 'cash'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Per channel and all together; `total` is always the sum of the three. */
export type ChannelTotals = Record<Channel, CountSum> & { total: CountSum };

export const emptyChannels = (): ChannelTotals => ({ card: ZERO, qris: ZERO, cash: ZERO, total: ZERO });

export function addToChannels(t: ChannelTotals, channel: Channel, x: CountSum): ChannelTotals {
  return { ...t, [channel]: addCounts(t[channel], x), total: addCounts(t.total, x) };
}

export function sumChannels(ts: ChannelTotals[]): ChannelTotals {
  const out = emptyChannels();
  for (const c of CHANNELS) out[c] = addCounts(...ts.map((t) => t[c]));
  out.total = addCounts(...ts.map((t) => t.total));
  return out;
}

/**
 * What money received settled, as the ledger posts a payment: retribusi (principal, credited to
 * stall receivable), sanksi bunga (penalty receivable) and the rest kept as titipan (trader
 * credit). principal + penalty + credit is the money received.
 */
export interface Parts {
  principal: string;
  penalty: string;
  credit: string;
}

export const NO_PARTS: Parts = { principal: '0.00', penalty: '0.00', credit: '0.00' };

export function addParts(...xs: Parts[]): Parts {
  const sum = (k: keyof Parts) => xs.reduce((acc, x) => acc.plus(x[k]), new Decimal(0)).toFixed(2);
  return { principal: sum('principal'), penalty: sum('penalty'), credit: sum('credit') };
}

/** The SQL sums of payments `p` that make Parts (as text, to be read by money()). */
export const PARTS_SQL = `sum(p.allocated_amount - p.penalty_amount)::text as principal,
            sum(p.penalty_amount)::text as penalty, sum(p.credit_amount)::text as credit`;
