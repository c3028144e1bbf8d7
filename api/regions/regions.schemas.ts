import { z } from 'zod';
import { text } from '../core/text';
import { NOTHING_TO_CHANGE, name, nonEmpty, regionCode, timeZone } from '../core/schemas';

// Treasury (RKUD) account numbers are digits only in every BPD statement we have seen.
const treasuryAccount = z.string().regex(/^[0-9]{5,30}$/, 'must be 5-30 digits');
const treasuryBank = text().trim().min(2).max(80);

export const createRegionSchema = z
  .object({
    code: regionCode,
    name,
    timeZone,
    treasuryBank,
    treasuryAccount,
    allowCash: z.boolean().default(false),
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
  createdAt: string;
}
