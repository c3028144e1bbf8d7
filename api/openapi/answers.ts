// Response shapes the contract (shared/API.md) promises, for the document. The error envelope is
// the one errors.ts writes; the others are what the handlers return.
import { z } from 'zod';
import { STAFF_ROLES } from '../users/users.schemas';

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('a kebab-case machine code, e.g. invalid-input, forbidden, idempotency-conflict'),
    message: z.string(),
    details: z.unknown().optional().describe('for invalid-input: [{ field, message }]; for a 500: { errorId }'),
  }),
});

export const healthSchema = z.object({ status: z.literal('ok') });

export const staffTokenSchema = z.object({
  token: z.string().describe('a JWT for Authorization: Bearer'),
  expiresAt: z.iso.datetime(),
  role: z.enum(STAFF_ROLES),
  regionId: z.uuid().optional(),
  marketId: z.uuid().optional(),
});

export const terminalTokenSchema = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  marketId: z.uuid(),
  regionId: z.uuid(),
});
