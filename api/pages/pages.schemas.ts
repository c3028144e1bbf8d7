// What the pages accept in their query strings and forms. An empty form field means "not given";
// unknown fields are refused like the API's, so a typo in a link shows as an error, not as a
// silently wider list.
import { z } from 'zod';
import { id } from '../core/schemas';
import { isValidDate } from '../core/time';
import { text } from '../core/text';
import { ARREARS_SORTS, BUCKETS, TODAY_FILTERS, TODAY_SORTS } from './market.service';

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());
// The pages' own date and month, whose messages a page shows in Indonesian.
const date = z.string().refine(isValidDate, 'tanggal harus YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'bulan harus YYYY-MM');
const block = text().max(40);
/** A page of a long list (50 rows a page). */
const listPage = z.coerce.number().int().min(1).max(100000);

export const marketQuery = z.object({ marketId: opt(id) }).strict();

export const todayQuery = z
  .object({
    marketId: opt(id),
    status: opt(z.enum(Object.keys(TODAY_FILTERS) as [keyof typeof TODAY_FILTERS])),
    block: opt(block),
    sort: opt(z.enum(TODAY_SORTS)),
    page: opt(listPage),
  })
  .strict();

export const arrearsQuery = z
  .object({
    marketId: opt(id),
    bucket: opt(z.enum(Object.keys(BUCKETS) as [keyof typeof BUCKETS])),
    block: opt(block),
    sort: opt(z.enum(ARREARS_SORTS)),
    page: opt(listPage),
  })
  .strict();

/** The sticker sheet: a whole market, one block of it, or one stall (by its code). */
export const stickerQuery = z
  .object({ marketId: opt(id), block: opt(block), code: opt(text().trim().min(1).max(32)) })
  .strict();

export const lettersQuery = z
  .object({
    marketId: opt(id),
    warning: opt(z.coerce.number().int().min(0)),
    strd: opt(z.coerce.number().int().min(0)),
  })
  .strict();

export const dayParams = z.object({ date }).strict();
export const exceptionParams = z.object({ id }).strict();
export const letterParams = z.object({ letterId: id }).strict();

export const targetsQuery = z
  .object({
    regionId: opt(id),
    year: opt(z.coerce.number().int().min(2000).max(2200)),
    saved: opt(z.string().max(20)),
  })
  .strict();

/** "150.000.000" or "150000000,50" as people type rupiah; the service checks the amount itself. */
const rupiahInput = z.string().transform((v) => v.replace(/[\s.]/g, '').replace(/^Rp/i, '').replace(',', '.'));

export const targetForm = z
  .object({ _csrf: z.string(), marketId: id, year: z.coerce.number().int().min(2000).max(2200), amount: rupiahInput })
  .strict();

export const issueForm = z.object({ _csrf: z.string(), marketId: opt(id) }).strict();

export const publicCodeParams = z.object({ publicCode: z.string().regex(/^[0-9a-f]{16}$/) }).strict();

export const regionQuery = z.object({ regionId: opt(id) }).strict();
export { date as dateSchema, month as monthSchema };
