// What the reconciliation endpoints accept: a run, a summary's address, the exception listing's
// filters, and an officer's decision on an exception. api/openapi describes these same schemas.
import { z } from 'zod';
import { businessDate, id, idParams } from '../core/schemas';
import { text } from '../core/text';
import { EXCEPTION_KINDS } from './exceptions';

export const runSchema = z.object({ regionId: id, businessDate }).strict();
export type RunReconciliation = z.infer<typeof runSchema>;

export const summaryParams = z.object({ regionId: id, businessDate });

// The listing pages further than the shared page (up to 1000 rows, 200 unless asked): an
// officer reads a whole day's exceptions at once.
export const listSchema = z
  .object({
    regionId: id.optional(),
    date: businessDate.optional(),
    from: businessDate.optional(),
    to: businessDate.optional(),
    kind: z.enum(EXCEPTION_KINDS).optional(),
    status: z.enum(['open', 'resolved', 'cleared']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ExceptionQuery = z.infer<typeof listSchema>;

export const exceptionParams = idParams('id');

export const RESOLUTIONS = ['accept-bank', 'reversed', 'write-off', 'link'] as const;

export const resolveSchema = z
  .object({
    resolution: z.enum(RESOLUTIONS),
    note: text('lines').trim().min(3, 'say why, in a few words at least').max(2000),
    stallId: id.optional(),
    terminalId: text().min(3).max(32).optional(),
    paymentId: id.optional(),
    settlementLineId: z
      .string()
      .regex(/^[0-9]{1,18}$/, 'must be a settlement line id')
      .optional(),
  })
  .strict();
export type ResolveInput = z.infer<typeof resolveSchema>;
