import { z } from 'zod';
import { id, name, NOTHING_TO_CHANGE, nonEmpty, optionalText, page, text } from '../core/schemas';

// NIK: the 16-digit national identity number (optional: not every trader has given one).
export const nik = z
  .string()
  .trim()
  .regex(/^[0-9]{16}$/, 'must be the 16-digit NIK');
// Indonesian mobile numbers as people write them: 08..., 628... or +628...
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{8,15}$/, 'must be 8-15 digits, optionally with a leading +');

const fields = {
  nik: nik.nullable().optional(),
  name,
  phone: phone.nullable().optional(),
  address: optionalText(200, 'lines'),
};

export const createTraderSchema = z.object(fields).strict();
export const patchTraderSchema = z.object(fields).partial().strict().refine(nonEmpty, NOTHING_TO_CHANGE);
export const listTradersQuery = page.extend({ q: text().trim().min(1).max(120).optional() }).strict();

/** A trader import places traders in one market's stalls when its file has a stall_code column. */
export const importQuery = z.object({ marketId: id.optional() }).strict();

export type CreateTrader = z.infer<typeof createTraderSchema>;
export type PatchTrader = z.infer<typeof patchTraderSchema>;
export type ListTradersQuery = z.infer<typeof listTradersQuery>;

/** A line of a trader import: the trader to insert, and the stall it occupies from when, if any. */
export interface TraderLine {
  line: number;
  trader: CreateTrader & { id: string };
  stallCode?: string;
  effectiveFrom?: string;
}

export interface Trader {
  id: string;
  regionId: string;
  nik: string | null;
  name: string;
  phone: string | null;
  address: string | null;
  createdAt: string;
}
