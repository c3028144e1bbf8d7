import { z } from 'zod';
import { isValidDate } from '../core/time';

export const runAssessmentSchema = z
  .object({
    regionId: z.uuid(),
    businessDate: z.string().refine(isValidDate, 'must be a date YYYY-MM-DD'),
  })
  .strict();

export type RunAssessmentInput = z.infer<typeof runAssessmentSchema>;
