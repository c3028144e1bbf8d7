import { createPrivateKey, createPublicKey } from 'node:crypto';
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

// SNAP (Bank Indonesia's Open API, ../shared/conformance/SNAP_QRIS.md): what the bank and we agreed
// at registration. The two secrets are write-only: clientSecret (HMAC-SHA512 key, §2.1) and our RSA
// private key (§1.4, §2.2); without one at creation the product makes an RSA-2048 key pair and
// shows the public half (ourPublicKey) for the region to register with the bank.
export const PROTOCOLS = ['simple-hmac', 'snap'] as const;
export const NOTIFY_SCHEMES = ['asymmetric', 'symmetric-token', 'client-timestamp'] as const;
// A PEM key is checked by parsing it: a pasted key cut short is refused here, not at the first call.
const pem = (kind: 'public' | 'private') =>
  z
    .string()
    .max(8000)
    .refine((v) => {
      try {
        const key = kind === 'public' ? createPublicKey(v) : createPrivateKey(v);
        return key.asymmetricKeyType === 'rsa';
      } catch {
        return false;
      }
    }, `must be an RSA ${kind} key in PEM`);
const snapId = (max: number) =>
  z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1-${max} printable characters without spaces`);
const snapFields = {
  clientId: snapId(100),
  partnerId: snapId(36),
  channelId: snapId(5),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "must be the bank's http(s) origin" })
    .max(300)
    .optional(),
  // Put in front of /v1.0/... and signed as part of the path (BRI and Paydia: "/snap").
  pathPrefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be "" or a path such as "/snap"')
    .max(100)
    .default(''),
  signatureEncoding: z.enum(['base64', 'hex']).default('base64'),
  notifyScheme: z.enum(NOTIFY_SCHEMES),
  transactionScheme: z.enum(['symmetric', 'asymmetric']).default('symmetric'),
  generates: z.enum(['acquirer', 'merchant']),
  merchantId: snapId(64).optional(),
  storeId: snapId(64).optional(),
  // The serviceCode a qr-mpm-query names: "47" as ASPI says, "17" for BRI.
  queryServiceCode: z
    .string()
    .regex(/^[0-9]{2}$/, 'must be 2 digits')
    .default('47'),
  bankPublicKey: pem('public'),
  clientSecret: text('secret').min(16).max(500).optional(),
  privateKey: pem('private').optional(),
};
export const snapSettingsInput = z
  .object(snapFields)
  .strict()
  .superRefine((s, ctx) => {
    if (s.generates === 'acquirer' && !s.baseUrl)
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'required when the acquirer generates the code' });
  });
export type SnapSettingsInput = z.infer<typeof snapSettingsInput>;

/** The non-secret settings as stored in acquirers.snap (and shown), with our public key. */
export type SnapSettings = Omit<SnapSettingsInput, 'clientSecret' | 'privateKey'> & { ourPublicKey: string };
/** For the server's own calls and checks: the settings with both secrets. Never sent to a client. */
export interface SnapCredentials {
  acquirerId: string;
  regionId: string;
  code: string;
  settings: SnapSettings;
  clientSecret: string | null;
  privateKey: string;
}

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
    protocol: z.enum(PROTOCOLS).default('simple-hmac'),
    snap: snapSettingsInput.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.protocol === 'snap' && a.channel !== 'qris')
      ctx.addIssue({ code: 'custom', path: ['protocol'], message: 'snap is for qris acquirers' });
    if (a.protocol === 'snap' && !a.snap)
      ctx.addIssue({ code: 'custom', path: ['snap'], message: 'required when protocol is snap' });
    if (a.protocol !== 'snap' && a.snap)
      ctx.addIssue({ code: 'custom', path: ['snap'], message: 'only for protocol snap' });
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
    protocol: z.enum(PROTOCOLS),
    /** Replaces the SNAP settings; a secret left out keeps its stored value. */
    snap: snapSettingsInput,
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
  protocol: (typeof PROTOCOLS)[number];
  snap: SnapSettings | null;
  hasClientSecret: boolean;
  createdAt: string;
}
