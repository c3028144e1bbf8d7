import { z } from 'zod';
import { isValidDate } from '../core/time';

const localDate = z.string().refine(isValidDate, 'must be a date YYYY-MM-DD');

export const LETTER_KINDS = ['warning', 'strd'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const marketParams = z.object({ marketId: z.uuid() }).strict();
export const letterParams = z.object({ letterId: z.uuid() }).strict();

/** POST /markets/:marketId/letters: the local date the letters are issued as of (default today). */
export const issueBodySchema = z.object({ asOf: localDate.optional() }).strict();

export const listQuerySchema = z
  .object({
    regionId: z.uuid().optional(),
    marketId: z.uuid().optional(),
    kind: z.enum(LETTER_KINDS).optional(),
    issuedOn: localDate.optional(),
    traderId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type ListLettersQuery = z.infer<typeof listQuerySchema>;
