import { z } from 'zod';
import { businessDate, id, idParams } from '../core/schemas';

/** effectiveTo is the collector's last day with the terminal (inclusive); absent means open-ended. */
export const createAssignmentSchema = z
  .object({ collectorId: id, effectiveFrom: businessDate, effectiveTo: businessDate.nullable().optional() })
  .strict()
  .refine((a) => !a.effectiveTo || a.effectiveTo >= a.effectiveFrom, {
    message: 'must not be before effectiveFrom',
    path: ['effectiveTo'],
  });

export const endAssignmentSchema = z.object({ effectiveTo: businessDate }).strict();

export const assignmentParams = idParams('assignmentId');

export type CreateAssignment = z.infer<typeof createAssignmentSchema>;
export type EndAssignment = z.infer<typeof endAssignmentSchema>;

export interface TerminalAssignment {
  id: string;
  regionId: string;
  terminalId: string;
  collectorId: string;
  collectorName: string;
  collectorUsername: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: string;
}
