// What /laporan accepts: the region (for an account of no one region) and the day whose issued
// documents it lists. An empty field means "not given".
import { z } from 'zod';
import { id } from '../core/schemas';
import { dateSchema } from './pages.schemas';

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankIsAbsent, t.optional());

export const reportsPageQuery = z.object({ regionId: opt(id), terbit: opt(dateSchema) }).strict();
