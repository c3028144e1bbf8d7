// What the search page accepts: the text typed (one line, at most 80 characters, spaces
// collapsed), which kind of result to list alone, and the page of that list.
import { z } from 'zod';
import { text } from '../core/text';

export const SEARCH_KINDS = ['los', 'pedagang', 'surat'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SEARCH_MAX = 80;

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());

export const searchQuery = z
  .object({
    q: z.preprocess(
      blankIsAbsent,
      text()
        .max(SEARCH_MAX, `paling banyak ${SEARCH_MAX} huruf`)
        .transform((v) => v.replace(/\s+/g, ' ').trim())
        .optional(),
    ),
    jenis: opt(z.enum(SEARCH_KINDS)),
    page: opt(z.coerce.number().int().min(1).max(10000)),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuery>;
