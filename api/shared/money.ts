// Rupiah amounts: decimal strings on the wire, Decimal in TypeScript, numeric(18,2) in SQL.
import Decimal from 'decimal.js';
import { z } from 'zod';

export { Decimal };

/** A decimal string with at most two places, e.g. "15000" or "15000.50". */
export const moneyString = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be a decimal string like "15000" or "15000.50" (at most 2 decimals)');

export const positiveMoney = moneyString.refine((v) => new Decimal(v).gt(0), 'must be greater than zero');

/** The wire format: two decimals. */
export function formatMoney(v: Decimal.Value): string {
  return new Decimal(v).toFixed(2);
}

export function sumMoney(values: Decimal.Value[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0));
}
