import { z } from 'zod';
import { businessDate, id } from '../core/schemas';

/** effectiveTo is the occupant's last day (inclusive); absent means open-ended. */
export const createTenancySchema = z
  .object({ traderId: id, effectiveFrom: businessDate, effectiveTo: businessDate.nullable().optional() })
  .strict()
  .refine((t) => !t.effectiveTo || t.effectiveTo >= t.effectiveFrom, {
    message: 'must not be before effectiveFrom',
    path: ['effectiveTo'],
  });

export const endTenancySchema = z.object({ effectiveTo: businessDate }).strict();

export type CreateTenancy = z.infer<typeof createTenancySchema>;
export type EndTenancy = z.infer<typeof endTenancySchema>;

/** A tenancy to insert (an import's placements, or one officer's). */
export interface NewTenancy {
  regionId: string;
  stallId: string;
  traderId: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
}

export interface Tenancy {
  id: string;
  regionId: string;
  stallId: string;
  traderId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: string;
}
