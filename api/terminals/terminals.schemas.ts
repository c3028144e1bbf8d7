import { z } from 'zod';
import { text } from '../core/text';
import { id, NOTHING_TO_CHANGE, nonEmpty } from '../core/schemas';

export const terminalId = z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'must be 3-32 of A-Z, a-z, 0-9 and -');
// The secret is what a terminal logs in with; short ones fall to a guessing attack.
const secret = text('secret').min(12).max(200);

export const createTerminalSchema = z
  .object({
    id: terminalId,
    acquirerId: id,
    // As the acquirer printed them on the EDC: the card's TID and MID must match these exactly.
    tid: z.string().regex(/^[0-9A-Za-z]{1,16}$/, 'must be 1-16 letters or digits'),
    mid: z.string().regex(/^[0-9A-Za-z]{1,24}$/, 'must be 1-24 letters or digits'),
    secret,
  })
  .strict();

// A lost or stolen device is switched off (active: false) or given a new secret.
export const patchTerminalSchema = z
  .object({ active: z.boolean(), secret })
  .partial()
  .strict()
  .refine(nonEmpty, NOTHING_TO_CHANGE);

export const terminalParams = z.object({ terminalId });

export type CreateTerminal = z.infer<typeof createTerminalSchema>;
export type PatchTerminal = z.infer<typeof patchTerminalSchema>;

/** Neither the secret nor its hash is ever part of a response. */
export interface Terminal {
  id: string;
  regionId: string;
  marketId: string;
  acquirerId: string;
  tid: string;
  mid: string;
  active: boolean;
  lastReceiptSerial: string;
  createdAt: string;
}
