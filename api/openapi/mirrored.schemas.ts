// Request schemas that their route files keep to themselves (not exported), written out again
// for the document. Each names its original; exporting that and importing it here is the cure.
// Until then test/api/openapi.test.ts sends each field here a bad value and expects the route to
// refuse it by that field's name, so a field the route no longer knows is caught.
import { z } from 'zod';
import { businessDate, id } from '../master-data/validate';
import { EXCEPTION_KINDS } from '../reconcile/exceptions';

/** api/reconcile/reconcile.routes.ts runSchema */
export const runReconciliationSchema = z.object({ regionId: z.uuid(), businessDate }).strict();

/** api/reconcile/reconcile.routes.ts listSchema */
export const exceptionsQuery = z
  .object({
    regionId: z.uuid().optional(),
    date: businessDate.optional(),
    from: businessDate.optional(),
    to: businessDate.optional(),
    kind: z.enum(EXCEPTION_KINDS).optional(),
    status: z.enum(['open', 'resolved', 'cleared']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** api/reconcile/reconcile.routes.ts, the GET summary's params */
export const reconciliationParams = z.object({ regionId: z.uuid(), businessDate });

/** api/reports/reports.routes.ts querySchema */
export const reportQuery = z
  .object({
    format: z.enum(['pdf', 'csv']).default('pdf'),
    regionId: z.uuid().optional(),
    marketId: z.uuid().optional(),
    date: businessDate.optional(),
    asOf: businessDate.optional(),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM').optional(),
  })
  .strict();

/** api/traders/traders.routes.ts importQuery */
export const traderImportQuery = z.object({ marketId: id.optional() }).strict();
