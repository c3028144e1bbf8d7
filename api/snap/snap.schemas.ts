// What banks send us in SNAP (SNAP_QRIS.md §1.3, §4.3). The notification is the bank's schema,
// which ASPI lets acquirers extend: the top level is ASPI's fields and nothing else (an unknown
// field is refused naming it, so a bank's change is seen, not ignored), while additionalInfo,
// where every bank puts its own RRN, issuer and times, takes anything.
import { z } from 'zod';

const upTo = (max: number) => z.string().max(max);

export const snapAmount = z
  .object({
    value: z
      .string()
      .regex(/^\d{1,16}\.\d{2}$/, 'must be rupiah with two decimals, e.g. "15000.00"')
      .refine((v) => Number(v) > 0, 'must be more than zero'),
    currency: z.literal('IDR'),
  })
  .strict();

export const snapNotifySchema = z
  .object({
    originalReferenceNo: z.string().min(1).max(64),
    originalPartnerReferenceNo: upTo(64).optional(),
    latestTransactionStatus: z.string().regex(/^\d{2}$/),
    transactionStatusDesc: upTo(50).optional(),
    customerNumber: upTo(64).optional(),
    accountType: upTo(25).optional(),
    destinationNumber: upTo(25).optional(),
    destinationAccountName: upTo(25).optional(),
    amount: snapAmount.optional(),
    sessionId: upTo(25).optional(),
    bankCode: upTo(11).optional(),
    externalStoreId: upTo(64).optional(),
    additionalInfo: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type SnapNotify = z.infer<typeof snapNotifySchema>;

// grantType as ASPI writes it since v1.0.2; grant_type as Midtrans sends it (§1.3).
export const snapTokenRequestSchema = z.union([
  z.object({ grantType: z.literal('client_credentials'), additionalInfo: z.unknown().optional() }).strict(),
  z.object({ grant_type: z.literal('client_credentials'), additionalInfo: z.unknown().optional() }).strict(),
]);

/** A notification as it arrived: the headers that matter and the raw bytes. */
export interface SnapNotification {
  acquirerCode: string;
  /** the path and query the bank called (req.originalUrl): what it signed */
  path: string;
  timestamp?: string;
  signature?: string;
  authorization?: string;
  externalId?: string;
  rawBody: Buffer;
  remoteAddr?: string;
}
