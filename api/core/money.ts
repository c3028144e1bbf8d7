// Rupiah amounts: decimal strings on the wire, Decimal in TypeScript, numeric(18,2) in SQL.
import Decimal from 'decimal.js';
import { z } from 'zod';

export { Decimal };

/** A decimal string with at most two places, e.g. "15000" or "15000.50". */
const MONEY = /^\d{1,16}(\.\d{1,2})?$/;

// Money stays a string end to end: a JS number would round 0.1 + 0.2 and silently lose sen.
// abort: a malformed amount gets one message, not a second "must be greater than zero".
export const moneyString = z
  .string()
  .regex(MONEY, { message: 'must be a decimal string like "15000" or "15000.50" (at most 2 decimals)', abort: true });

/** True for a well-formed amount above zero. zod runs refinements even after a failed regex,
 * so every refinement on money checks the form first. */
export function isPositiveMoney(v: string): boolean {
  return MONEY.test(v) && new Decimal(v).gt(0);
}

export const positiveMoney = moneyString.refine(
  (v) => !MONEY.test(v) || isPositiveMoney(v),
  'must be greater than zero',
);

export function moneyAtMost(limit: string) {
  return (v: string) => !MONEY.test(v) || new Decimal(v).lte(limit);
}

/** The wire format: two decimals. */
export function formatMoney(v: string | Decimal): string {
  return new Decimal(v).toFixed(2);
}

export function sumMoney(values: (string | Decimal)[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0));
}
