import { moneyString } from '../core/money';
import { z } from 'zod';
import { businessDate, name, NOTHING_TO_CHANGE, nonEmpty, optionalText, regionCode, text } from '../core/schemas';

export const MARKET_CLASSES = ['I', 'II', 'III', 'A', 'B', 'C', 'D'] as const;

// ISO weekdays, 1 = Monday .. 7 = Sunday; a repeated day is a typo, not a second opening.
const openDays = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'must not repeat a day');

export const createMarketSchema = z
  .object({
    code: regionCode,
    name,
    class: z.enum(MARKET_CLASSES),
    openDays: openDays.default([1, 2, 3, 4, 5, 6, 7]),
    annualTarget: moneyString.default('0'),
    address: optionalText(200, 'lines'),
    active: z.boolean().default(true),
  })
  .strict();

// The code is fixed: the market's ledger accounts are named after it (1300-CODE, 4100-CODE).
export const patchMarketSchema = z
  .object({
    name,
    class: z.enum(MARKET_CLASSES),
    openDays,
    annualTarget: moneyString,
    address: optionalText(200, 'lines'),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine(nonEmpty, NOTHING_TO_CHANGE);

export const createClosureSchema = z
  .object({ date: businessDate, reason: text('lines').trim().min(1).max(200) })
  .strict();

export const closuresQuery = z.object({ from: businessDate.optional(), to: businessDate.optional() }).strict();

export type CreateMarket = z.infer<typeof createMarketSchema>;
export type PatchMarket = z.infer<typeof patchMarketSchema>;
export type CreateClosure = z.infer<typeof createClosureSchema>;
export type ClosuresQuery = z.infer<typeof closuresQuery>;

export interface Market {
  id: string;
  regionId: string;
  code: string;
  name: string;
  class: (typeof MARKET_CLASSES)[number];
  openDays: number[];
  annualTarget: string;
  address: string | null;
  active: boolean;
  createdAt: string;
}

export interface Closure {
  marketId: string;
  date: string;
  reason: string;
}
