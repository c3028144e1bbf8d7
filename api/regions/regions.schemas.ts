import { z } from 'zod';
import { text } from '../core/text';
import { NOTHING_TO_CHANGE, name, nonEmpty, regionCode, timeZone } from '../core/schemas';

// Treasury (RKUD) account numbers are digits only in every BPD statement we have seen.
const treasuryAccount = z.string().regex(/^[0-9]{5,30}$/, 'must be 5-30 digits');
const treasuryBank = text().trim().min(2).max(80);
// The order a payment settles what is owed (issue 16): the oldest month's principal, then that
// month's penalty, then the next month; or every penalty first, as a Perda may require.
export const ALLOCATION_ORDERS = ['oldest-month', 'penalty-first'] as const;
const allocationOrder = z.enum(ALLOCATION_ORDERS, { error: 'must be oldest-month or penalty-first' });

export const createRegionSchema = z
  .object({
    code: regionCode,
    name,
    timeZone,
    treasuryBank,
    treasuryAccount,
    allowCash: z.boolean().default(false),
    allocationOrder: allocationOrder.default('oldest-month'),
  })
  .strict();

// code and timeZone are fixed once created: the code names the region in jobs and reports, and
// moving the time zone would shift every business date already assessed and reconciled.
export const patchRegionSchema = z
  .object({
    name,
    treasuryBank,
    treasuryAccount,
    allowCash: z.boolean(),
    allocationOrder,
  })
  .partial()
  .strict()
  .refine(nonEmpty, NOTHING_TO_CHANGE);

export type CreateRegion = z.infer<typeof createRegionSchema>;
export type PatchRegion = z.infer<typeof patchRegionSchema>;

export interface Region {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  treasuryBank: string;
  treasuryAccount: string;
  allowCash: boolean;
  allocationOrder: (typeof ALLOCATION_ORDERS)[number];
  createdAt: string;
}
