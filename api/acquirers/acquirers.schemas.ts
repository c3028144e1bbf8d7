import { z } from 'zod';
import { name, NOTHING_TO_CHANGE, nonEmpty, text } from '../core/schemas';

export const CHANNELS = ['card', 'qris'] as const;

// MDR as a fraction of gross, as the bank's contract states it: "0.0015" is 0.15%. The column is
// numeric(7,6) and refuses 10% or more, which no acquirer charges.
const mdrRate = z
  .string()
  .regex(/^0(\.0\d{0,5})?$/, 'must be a fraction below 0.1 with up to 6 decimals, e.g. "0.0015" for 0.15%');
// How the bank computes its MDR (its merchant agreement): on each line (BNI, BRI) or on a group's
// total (Mandiri's SUMMARY GROUP), rounded half up to the sen or to the whole rupiah (BNI, Mandiri).
export const MDR_BASES = ['per-line', 'per-group'] as const;
export const MDR_ROUNDINGS = ['sen', 'rupiah'] as const;
// Rates by MID, card BIN and network as the bank writes it (BNI TYPE V/M/J/P, Mandiri's summary
// DESCRIPTION "Off Us Visa"): the most specific row that fits a line wins, else mdrRate.
const mdrRateRow = z
  .object({
    mid: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{1,24}$/, 'must be the merchant id (1-24 letters/digits)')
      .optional(),
    network: text().trim().min(1).max(60).optional(),
    binPrefix: z
      .string()
      .regex(/^[0-9]{1,8}$/, 'must be 1-8 leading card digits')
      .optional(),
    rate: z
      .string()
      .regex(/^0(\.\d{1,6})?$/, 'must be a fraction below 1 with up to 6 decimals, e.g. "0.013" for 1.3%'),
  })
  .strict();
const mdrRates = z
  .array(mdrRateRow)
  .max(500)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const key = [r.mid ?? '', r.network ?? '', r.binPrefix ?? ''].join('|');
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [i], message: 'a second rate for the same MID, network and BIN prefix' });
      seen.add(key);
    });
  });
export type MdrRateRow = z.infer<typeof mdrRateRow>;
// HMAC-SHA256 keys shorter than this are guessable from captured notifications.
const notificationSecret = text('secret').min(16).max(200);
// EMVCo QRIS limits: merchant name (tag 59) 25 characters, city (tag 60) 15.
const merchantName = text().trim().min(1).max(25);
const merchantCity = text().trim().min(1).max(15);
// National Merchant ID as printed on the QRIS sticker: "ID" and 10-13 digits.
const nmid = z
  .string()
  .trim()
  .regex(/^ID[0-9]{10,13}$/, 'must be "ID" followed by 10-13 digits');

export const createAcquirerSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2-40 of a-z, 0-9 and -'),
    name,
    channel: z.enum(CHANNELS),
    mdrRate: mdrRate.default('0'),
    mdrBasis: z.enum(MDR_BASES).default('per-line'),
    mdrRounding: z.enum(MDR_ROUNDINGS).default('sen'),
    mdrRates: mdrRates.default([]),
    notificationSecret: notificationSecret.optional(),
    merchantName: merchantName.optional(),
    merchantCity: merchantCity.optional(),
    nmid: nmid.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    // A QRIS payload cannot be built without tags 59 and 60.
    if (a.channel !== 'qris') return;
    if (!a.merchantName)
      ctx.addIssue({ code: 'custom', path: ['merchantName'], message: 'required for a qris acquirer' });
    if (!a.merchantCity)
      ctx.addIssue({ code: 'custom', path: ['merchantCity'], message: 'required for a qris acquirer' });
  });

// code and channel are fixed: banks call /banks/:code/..., and the ledger's clearing account
// and every settlement line belong to this channel.
export const patchAcquirerSchema = z
  .object({
    name,
    mdrRate,
    mdrBasis: z.enum(MDR_BASES),
    mdrRounding: z.enum(MDR_ROUNDINGS),
    /** Replaces the acquirer's rate rows */
    mdrRates,
    notificationSecret: notificationSecret.nullable(),
    merchantName: merchantName.nullable(),
    merchantCity: merchantCity.nullable(),
    nmid: nmid.nullable(),
  })
  .partial()
  .strict()
  .refine(nonEmpty, NOTHING_TO_CHANGE);

export type CreateAcquirer = z.infer<typeof createAcquirerSchema>;
export type PatchAcquirer = z.infer<typeof patchAcquirerSchema>;

/** The notification secret itself never leaves the server; clients learn only whether one is set. */
export interface Acquirer {
  id: string;
  regionId: string;
  code: string;
  name: string;
  channel: (typeof CHANNELS)[number];
  mdrRate: string;
  mdrBasis: (typeof MDR_BASES)[number];
  mdrRounding: (typeof MDR_ROUNDINGS)[number];
  mdrRates: MdrRateRow[];
  hasNotificationSecret: boolean;
  merchantName: string | null;
  merchantCity: string | null;
  nmid: string | null;
  createdAt: string;
}
