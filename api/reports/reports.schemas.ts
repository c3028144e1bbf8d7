// What GET /api/v1/reports/:kind accepts: the format, the region or market, and the date, month
// or as-of date its kind needs (which ones it needs is the kind's own definition); or the number
// of a document already issued, which is handed out again as it was.
import { z } from 'zod';
import { businessDate, id } from '../core/schemas';

export const reportQuery = z
  .object({
    format: z
      .enum(['pdf', 'csv', 'xlsx'])
      .default('pdf')
      .describe('pdf: the issued document; csv: its rows (comma, dot decimal); xlsx: the same rows, typed cells'),
    regionId: id.optional(),
    marketId: id.optional(),
    date: businessDate.optional(),
    asOf: businessDate.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
      .optional(),
    number: z
      .string()
      .regex(/^[A-Z0-9-]{2,16}-[A-Z]{2,8}-\d{4}-\d{6,}$/, 'must be a document number such as MGL-LRH-2026-000012')
      .optional()
      .describe('a document of this kind already issued: the same PDF again (same number, same bytes); alone'),
  })
  .strict();

export type ReportQuery = z.infer<typeof reportQuery>;
