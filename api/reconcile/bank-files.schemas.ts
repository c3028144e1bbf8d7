// The settlement-files endpoints' query strings. The upload's body is the file itself.
import { z } from 'zod';
import { text } from '../core/text';
import { businessDate, id, page } from '../core/schemas';

const kind = z.enum(['settlement', 'statement']);
const acquirerCode = z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be an acquirer code such as bank-jateng-card');

export const uploadQuery = z
  .object({
    acquirer: acquirerCode.optional(),
    kind: kind.default('settlement'),
    /** The admin's region when the acquirer does not say it (a statement) */
    regionId: id.optional(),
    /** The file's name as received, for people */
    name: text().trim().min(1).max(200).optional(),
  })
  .strict();
export type UploadQuery = z.infer<typeof uploadQuery>;

export const listQuery = page
  .extend({
    regionId: id.optional(),
    kind: kind.optional(),
    acquirer: acquirerCode.optional(),
    /** A settlement file's settlement date, or a statement's closing date */
    date: businessDate.optional(),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

export const fileParams = z.object({ fileId: id });
