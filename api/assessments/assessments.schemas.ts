import { z } from 'zod';
import { businessDate, id } from '../core/schemas';

export const runAssessmentSchema = z
  .object({
    regionId: id,
    businessDate,
  })
  .strict();

export type RunAssessmentInput = z.infer<typeof runAssessmentSchema>;
