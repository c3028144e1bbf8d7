// What GET /api/v1/reports/:kind accepts: the format, the region or market, and the date, month
// or as-of date its kind needs (which ones it needs is the kind's own definition).
import { z } from 'zod';
import { businessDate, id } from '../core/schemas';

export const reportQuery = z
  .object({
    format: z.enum(['pdf', 'csv']).default('pdf'),
    regionId: id.optional(),
    marketId: id.optional(),
    date: businessDate.optional(),
    asOf: businessDate.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
      .optional(),
  })
  .strict();

export type ReportQuery = z.infer<typeof reportQuery>;
