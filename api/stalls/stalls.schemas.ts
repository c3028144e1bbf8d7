import { z } from 'zod';
import { areaM2, NOTHING_TO_CHANGE, nonEmpty, optionalText, page } from '../core/schemas';

export const STALL_KINDS = ['kios', 'los', 'pelataran'] as const;
export const STALL_STATUSES = ['active', 'vacant', 'damaged', 'closed'] as const;

// Codes as painted on the stalls ("A-01", "LOS B/12"); a leading symbol is a spreadsheet artefact.
export const stallCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,31}$/, 'must be 1-32 letters, digits, space, ".", "/" or "-"');

const fields = {
  code: stallCode,
  kind: z.enum(STALL_KINDS),
  areaM2,
  block: optionalText(40),
  zone: optionalText(40),
  status: z.enum(STALL_STATUSES),
  exempt: z.boolean(),
};

export const createStallSchema = z
  .object({ ...fields, status: fields.status.default('active'), exempt: fields.exempt.default(false) })
  .strict();

// The market is fixed: a stall that "moves" is a different stall with its own arrears.
export const patchStallSchema = z.object(fields).partial().strict().refine(nonEmpty, NOTHING_TO_CHANGE);

export const stallRegisterQuery = page.extend({ status: z.enum(STALL_STATUSES).optional() }).strict();

/** The market a stall belongs to, as its rows name it. */
export interface MarketRef {
  region_id: string;
  id: string;
}

export type CreateStall = z.infer<typeof createStallSchema>;
export type PatchStall = z.infer<typeof patchStallSchema>;
export type StallRegisterQuery = z.infer<typeof stallRegisterQuery>;

export interface Stall {
  id: string;
  regionId: string;
  marketId: string;
  code: string;
  kind: (typeof STALL_KINDS)[number];
  areaM2: string;
  block: string | null;
  zone: string | null;
  status: (typeof STALL_STATUSES)[number];
  exempt: boolean;
  createdAt: string;
}
