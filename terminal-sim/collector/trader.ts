// What a trader does when the collector stops at the stall: pay by card or QRIS, or not today
// (the arrears grow); pay one day, every open day at once, or some days ahead.
import Decimal from 'decimal.js';
import type { Rates } from '../options';
import type { ListedStall } from '../setup/provision';
import { digits, int, streamFor, weighted, type Rng } from '../rng';

export type Method = 'card' | 'qris' | 'none';
export type PaymentKind = 'day' | 'all-open-days' | 'advance';

export interface Owed {
  total: Decimal;
  /** One day's fee: the simulated day's, else the oldest open day's */
  dayFee: Decimal;
  openDays: number;
}

export interface Decision {
  method: Exclude<Method, 'none'>;
  amount: Decimal;
  kind: PaymentKind;
}

/** GET /stalls/:id/outstanding, as the terminal reads it online. */
export interface OutstandingBody {
  open: { businessDate: string; due: string }[];
  total: string;
}

export function owedOnline(o: OutstandingBody, date: string): Owed {
  const today = o.open.find((d) => d.businessDate === date) ?? o.open[0];
  return { total: new Decimal(o.total), dayFee: new Decimal(today?.due ?? 0), openDays: o.open.length };
}

/** Offline the terminal knows only the morning's list: the total and how many days are open. */
export function owedOffline(s: ListedStall): Owed {
  const total = new Decimal(s.outstanding);
  return {
    total,
    dayFee: s.openDays > 0 ? total.dividedBy(s.openDays).toDecimalPlaces(0, Decimal.ROUND_DOWN) : total,
    openDays: s.openDays,
  };
}

/** undefined: the trader pays nothing today. `mustPayByCard`: the day needs a card payment here. */
export function decide(
  rng: Rng,
  owed: Owed,
  rates: Rates,
  online: boolean,
  mustPayByCard = false,
): Decision | undefined {
  if (owed.total.lte(0)) return undefined;
  let method = weighted<Method>(rng, [
    ['card', rates.card],
    ['qris', rates.qris],
    ['none', Math.max(0, 1 - rates.card - rates.qris)],
  ]);
  // No signal, no QRIS: half of those traders find their card, the others pay another day.
  if (method === 'qris' && !online) method = rng() < 0.5 ? 'card' : 'none';
  if (mustPayByCard) method = 'card';
  if (method === 'none') return undefined;
  if (!online) return { method, amount: owed.total, kind: owed.openDays > 1 ? 'all-open-days' : 'day' };
  if (owed.openDays > 1) {
    return rng() < rates.payAllArrears
      ? { method, amount: owed.total, kind: 'all-open-days' }
      : { method, amount: owed.dayFee, kind: 'day' };
  }
  if (rng() < rates.advance && owed.dayFee.gt(0)) {
    return { method, amount: owed.total.plus(owed.dayFee.times(int(rng, 2, 6))), kind: 'advance' };
  }
  return { method, amount: owed.total, kind: 'day' };
}

/** Issuer BINs: mostly domestic GPN debit cards, some Mastercard and Visa debit. */
const BINS = [
  ['601900', 5],
  ['603298', 4],
  ['522184', 2],
  ['530795', 1],
  ['409766', 1],
] as const;

/** A trader carries the same card every day of a run: the same stall gives the same masked PAN. */
export function traderCard(seed: number, stallId: string): string {
  const rng = streamFor(seed, 'card', stallId);
  return `${weighted(rng, BINS)}******${digits(rng, 4)}`;
}
