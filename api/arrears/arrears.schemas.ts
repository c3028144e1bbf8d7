import { z } from 'zod';
import { text } from '../core/text';
import { businessDate, id } from '../core/schemas';

export const arrearsQuerySchema = z
  .object({
    regionId: id.optional(),
    marketId: id.optional(),
    traderId: id.optional(),
    /** default: the region's local today */
    asOf: businessDate.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type ArrearsListInput = z.infer<typeof arrearsQuerySchema>;

// numeric(6,4) with the table's check 0 < rate < 1: "0.01" is 1% a month.
const monthlyRate = z
  .string()
  .regex(/^0\.\d{1,4}$/, {
    message: 'must be a decimal string of at most 4 places below 1, such as "0.01" for 1% a month',
    abort: true,
  })
  .refine((v) => /[1-9]/.test(v), 'must be greater than zero');

export const createPenaltyRuleSchema = z
  .object({
    effectiveFrom: businessDate,
    monthlyRate,
    capMonths: z.number().int().min(1).max(120),
    /** the Perda (or Perkada) that sets the rule, printed with the STRD */
    legalBasis: text('lines').trim().min(1).max(500).nullable().optional(),
  })
  .strict();

export type CreatePenaltyRule = z.infer<typeof createPenaltyRuleSchema>;

export interface PenaltyRule {
  id: string;
  regionId: string;
  effectiveFrom: string;
  monthlyRate: string;
  capMonths: number;
  legalBasis: string | null;
  createdAt: string;
}
