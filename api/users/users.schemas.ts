import { z } from 'zod';
import { id, name, NOTHING_TO_CHANGE, nonEmpty, page, text } from '../core/schemas';

export const STAFF_ROLES = ['admin', 'officer', 'manager', 'collector', 'auditor', 'feed'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];

// Login lowercases the username, so one is stored lowercased too.
const username = text()
  .trim()
  .toLowerCase()
  .pipe(z.string().regex(/^[a-z0-9._-]{3,40}$/, 'must be 3-40 of a-z, 0-9, ".", "_" and "-"'));
const password = text('secret').min(10, 'must be at least 10 characters').max(200);

/** The scope each role needs (the database checks the same): which of regionId and marketId. */
const SCOPE: Record<StaffRole, { region: 'required' | 'optional' | 'forbidden'; market: 'required' | 'forbidden' }> = {
  admin: { region: 'forbidden', market: 'forbidden' },
  officer: { region: 'required', market: 'forbidden' },
  manager: { region: 'required', market: 'required' },
  collector: { region: 'required', market: 'required' },
  auditor: { region: 'optional', market: 'forbidden' },
  // A command center's feed: one region, or every region when none is given.
  feed: { region: 'optional', market: 'forbidden' },
};

export const createUserSchema = z
  .object({
    username,
    password,
    role: z.enum(STAFF_ROLES),
    regionId: id.nullable().optional(),
    marketId: id.nullable().optional(),
    displayName: name,
  })
  .strict()
  .superRefine((u, ctx) => {
    const scope = SCOPE[u.role];
    const check = (field: 'regionId' | 'marketId', rule: string) => {
      if (rule === 'required' && !u[field])
        ctx.addIssue({ code: 'custom', path: [field], message: `required for the ${u.role} role` });
      if (rule === 'forbidden' && u[field])
        ctx.addIssue({ code: 'custom', path: [field], message: `not allowed for the ${u.role} role` });
    };
    check('regionId', scope.region);
    check('marketId', scope.market);
  });

export const patchUserSchema = z
  .object({ active: z.boolean(), password, displayName: name })
  .partial()
  .strict()
  .refine(nonEmpty, NOTHING_TO_CHANGE);

export const listUsersQuery = page
  .extend({ role: z.enum(STAFF_ROLES).optional(), regionId: id.optional(), marketId: id.optional() })
  .strict();

/** A user changing their own password: the one they have now, and a new one by the same rule as
 * an account's first password. */
export const changeOwnPasswordSchema = z
  .object({ currentPassword: text('secret').min(1).max(200), newPassword: password })
  .strict();

export type CreateUser = z.infer<typeof createUserSchema>;
export type ChangeOwnPassword = z.infer<typeof changeOwnPasswordSchema>;
export type PatchUser = z.infer<typeof patchUserSchema>;
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

/** The password hash is never part of a response. */
export interface User {
  id: string;
  username: string;
  role: StaffRole;
  regionId: string | null;
  marketId: string | null;
  displayName: string;
  active: boolean;
  createdAt: string;
}
