// What the stall's public page accepts when a trader asks for a QRIS code: which part of the debt,
// and nothing else. The stall is the one of the sticker's code in the URL: a body naming a stall
// (or anything else) is refused like any unknown field.
import { z } from 'zod';
import { id } from '../core/schemas';

/** semua: everything the occupant owes; hari-ini: the amount of today's open fee. */
export const PUBLIC_PARTS = ['semua', 'hari-ini'] as const;
export type PublicPart = (typeof PUBLIC_PARTS)[number];

export const publicIntentForm = z.object({ bagian: z.enum(PUBLIC_PARTS) }).strict();

/** /los/:publicCode?qris=<intentId>: the page again with that code (the form's answer without script). */
export const publicStallQuery = z.object({ qris: id.optional() }).strict();

export const publicIntentParams = z.object({ intentId: id }).strict();
