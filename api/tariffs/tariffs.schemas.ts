import { positiveMoney } from '../core/money';
import { z } from 'zod';
import { MARKET_CLASSES } from '../markets/markets.schemas';
import { STALL_KINDS } from '../stalls/stalls.schemas';
import { businessDate, optionalText } from '../core/schemas';

export const TARIFF_BASES = ['per_m2_day', 'flat_day'] as const;

// A tariff is never edited: a Perda revision ends the old one and adds a new one, so that every
// assessment can be traced to the rate in force on its day.
export const createTariffSchema = z
  .object({
    stallKind: z.enum(STALL_KINDS),
    marketClass: z.enum(MARKET_CLASSES),
    zone: optionalText(40),
    basis: z.enum(TARIFF_BASES),
    rate: positiveMoney,
    effectiveFrom: businessDate,
    effectiveTo: businessDate.nullable().optional(),
    legalBasis: optionalText(200, 'lines'),
  })
  .strict()
  .refine((t) => !t.effectiveTo || t.effectiveTo >= t.effectiveFrom, {
    message: 'must not be before effectiveFrom',
    path: ['effectiveTo'],
  });

export const endTariffSchema = z.object({ effectiveTo: businessDate }).strict();

export const listTariffsQuery = z
  .object({
    asOf: businessDate.optional(),
    stallKind: z.enum(STALL_KINDS).optional(),
    marketClass: z.enum(MARKET_CLASSES).optional(),
  })
  .strict();

export type CreateTariff = z.infer<typeof createTariffSchema>;
export type EndTariff = z.infer<typeof endTariffSchema>;
export type ListTariffsQuery = z.infer<typeof listTariffsQuery>;

export interface Tariff {
  id: string;
  regionId: string;
  stallKind: (typeof STALL_KINDS)[number];
  marketClass: (typeof MARKET_CLASSES)[number];
  zone: string | null;
  basis: (typeof TARIFF_BASES)[number];
  rate: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  legalBasis: string | null;
  createdAt: string;
}
