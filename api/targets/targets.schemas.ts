import { moneyString } from '../core/money';
import { z } from 'zod';
import { idParams } from '../core/schemas';

// The table allows 2000-2200: a target for the year 20026 is a typo, not a plan.
const year = z
  .string()
  .regex(/^\d{4}$/, { message: 'must be a year such as 2026', abort: true })
  .transform(Number)
  .refine((y) => y >= 2000 && y <= 2200, 'must be between 2000 and 2200');

export const targetParams = idParams('marketId').extend({ year });
export const marketParams = idParams('marketId');

/** A target of 0 is allowed: the realisation report then shows no percentage instead of failing. */
export const putTargetSchema = z.object({ amount: moneyString }).strict();

export type PutTarget = z.infer<typeof putTargetSchema>;

export interface MarketTarget {
  marketId: string;
  year: number;
  amount: string;
  setBy: string | null;
  setAt: string;
}

export interface MarketTargets {
  marketId: string;
  /** The standing target kept on the market: the realisation report uses it for a year without its own. */
  annualTarget: string;
  items: MarketTarget[];
}
