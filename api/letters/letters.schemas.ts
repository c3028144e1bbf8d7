import { z } from 'zod';
import { businessDate, id, idParams } from '../core/schemas';

export const LETTER_KINDS = ['warning', 'strd'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** Whether what a letter bills is paid: nothing of it (open), some (partly-paid) or all (paid). */
export const LETTER_STATUSES = ['open', 'partly-paid', 'paid'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

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

// ---- the answers (GET /letters, GET /letters/:letterId); the views are inferred from these ----

const money = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .describe('rupiah, a decimal string with two places');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('business date YYYY-MM-DD, local to the region');

/** What of a letter's bill is settled now. */
const settlement = {
  status: z
    .enum(LETTER_STATUSES)
    .describe(
      'paid when every billed day is settled: its principal (the assessment, up to what the letter billed) ' +
        "and, for an STRD, the penalty it billed (the day's penalty charged on or before the letter's date); " +
        'partly-paid when some of it is; open when none is',
    ),
  paid: money.describe('what of the billed amount is settled now'),
  outstanding: money.describe('what of the billed amount is still owed now (total = paid + outstanding)'),
};

export const letterSchema = z.object({
  id,
  regionId: id,
  kind: z.enum(LETTER_KINDS),
  number: z.string(),
  year: z.number().int(),
  seq: z.number().int(),
  market: z.object({ id, code: z.string(), name: z.string() }),
  trader: z.object({ id, name: z.string(), address: z.string().nullable() }),
  issuedOn: day,
  issuedAt: z.iso.datetime(),
  dueOn: day,
  principal: money,
  penalty: money,
  total: money,
  ...settlement,
  follows: z.object({ id, number: z.string(), issuedOn: day }).nullable(),
  issuedBy: z.string().nullable(),
  items: z.number().int(),
  stalls: z.array(z.string()),
});
export type LetterView = z.infer<typeof letterSchema>;

export const letterListSchema = z.object({
  letters: z.array(letterSchema),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const letterDetailSchema = letterSchema.extend({
  lines: z.array(
    z.object({
      assessmentId: id,
      stallId: id,
      stallCode: z.string(),
      businessDate: day,
      principal: money,
      penalty: money,
      paid: money.describe('what of the principal and penalty billed for this day is settled now'),
      outstanding: money,
    }),
  ),
});
export type LetterDetail = z.infer<typeof letterDetailSchema>;
