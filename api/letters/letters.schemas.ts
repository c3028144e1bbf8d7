import { z } from 'zod';
import { businessDate, id, idParams } from '../core/schemas';

export const LETTER_KINDS = ['warning', 'strd'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const marketParams = idParams('marketId').strict();
export const letterParams = idParams('letterId').strict();

/** POST /markets/:marketId/letters: the local date the letters are issued as of (default today). */
export const issueBodySchema = z.object({ asOf: businessDate.optional() }).strict();
export type IssueBody = z.infer<typeof issueBodySchema>;

export const listQuerySchema = z
  .object({
    regionId: id.optional(),
    marketId: id.optional(),
    kind: z.enum(LETTER_KINDS).optional(),
    issuedOn: businessDate.optional(),
    traderId: id.optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type ListLettersQuery = z.infer<typeof listQuerySchema>;
