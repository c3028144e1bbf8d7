// What the reconciliation pages accept besides pages.schemas.ts's calendar and decision form:
// the day's notes after an upload or a run, the upload form's fields, the run form, and the
// decision log's period. Blank fields are absent; unknown ones are refused.
import { z } from 'zod';
import { id } from '../core/schemas';
import { text } from '../core/text';
import { isValidDate } from '../core/time';
import { RESOLUTIONS } from '../reconcile/reconcile.schemas';

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());
const date = z.string().refine(isValidDate, 'tanggal harus YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'bulan harus YYYY-MM');
const flag = opt(z.string().max(40));

/** The month calendar, and the note of a file just uploaded. */
export const calendarPageQuery = z
  .object({ regionId: opt(id), month: opt(month), berkas: opt(id), ulang: flag })
  .strict();

/** A day, and what was just done on it: a decision saved, a file uploaded (again), a run. */
export const dayPageQuery = z
  .object({ regionId: opt(id), resolved: flag, berkas: opt(id), ulang: flag, dijalankan: flag })
  .strict();

/** The statement kind is chosen beside the region's banks under this value. */
export const STATEMENT_SOURCE = 'rekening-koran';

export const uploadForm = z
  .object({
    _csrf: z.string(),
    /** an acquirer's code (its settlement file) or STATEMENT_SOURCE */
    sumber: z.string().regex(/^[a-z0-9-]{2,40}$/, 'pilih sumber berkas'),
    /** the day page the form was on, to come back to */
    kembali: opt(date),
  })
  .strict();

export const runForm = z.object({ _csrf: z.string() }).strict();

/** The decision form: the resolve service's own fields (blanks dropped). */
export const decisionForm = z
  .object({
    _csrf: z.string(),
    resolution: z.enum(RESOLUTIONS),
    note: z.string(),
    stallId: opt(z.string()),
    terminalId: opt(z.string()),
    paymentId: opt(z.string()),
    settlementLineId: opt(z.string()),
  })
  .strict();

export const logQuery = z
  .object({
    regionId: opt(id),
    dari: opt(date),
    sampai: opt(date),
    halaman: opt(z.coerce.number().int().min(1).max(10000)),
  })
  .strict();

/** A file name as people read it: its last segment, without control characters, at most 200. */
export const fileName = text().trim().min(1).max(200);
