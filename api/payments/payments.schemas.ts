import { z } from 'zod';
import { text } from '../core/text';
import { moneyAtMost, positiveMoney } from '../core/money';
import { id } from '../core/schemas';

// A masked PAN shows at most the first 6 and last 4 digits (PCI DSS); anything with a longer
// run of digits is refused before it is stored or logged.
const MAX_CARD_PAYMENT = '1000000000';

const MASKED_PAN = /^\d{0,6}[*Xx]{4,}\d{0,4}$/;

export const cardSchema = z
  .object({
    tid: z.string().regex(/^[0-9A-Za-z]{1,16}$/, 'must be the terminal id printed by the EDC (1-16 letters/digits)'),
    mid: z.string().regex(/^[0-9A-Za-z]{1,24}$/, 'must be the merchant id (1-24 letters/digits)'),
    stan: z.string().regex(/^\d{6}$/, 'must be the 6-digit STAN'),
    rrn: z.string().regex(/^[0-9A-Za-z]{12}$/, 'must be the 12-character RRN'),
    approvalCode: z.string().regex(/^[0-9A-Za-z ]{6}$/, 'must be the 6-character approval code'),
    maskedPan: z
      .string()
      .max(19)
      .refine((v) => MASKED_PAN.test(v), 'must be a masked PAN (at most first 6 and last 4 digits shown)'),
    responseCode: z.string().regex(/^[0-9A-Z]{2}$/, 'must be the 2-character ISO 8583 response code'),
    // Optional: the EDC's own batch and invoice (trace) numbers, printed on its slip; a bank that
    // writes the EDC batch (BNI's OB, Mandiri's TIDBATCH) lets reconciliation use it.
    batch: z
      .string()
      .regex(/^[0-9]{1,6}$/, "must be the EDC's batch number (1-6 digits)")
      .optional(),
    invoice: z
      .string()
      .regex(/^[0-9]{1,6}$/, "must be the EDC's invoice (trace) number (1-6 digits)")
      .optional(),
  })
  .strict();

export const cardPaymentSchema = z
  .object({
    clientTxnId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -'),
    stallId: id,
    amount: positiveMoney.refine(moneyAtMost(MAX_CARD_PAYMENT), 'is above the per-payment limit of Rp 1,000,000,000'),
    paidAt: z.iso.datetime({
      offset: true,
      message: 'must be an ISO 8601 instant with a zone, e.g. 2026-11-23T08:15:00+07:00',
    }),
    card: cardSchema,
  })
  .strict();

export type CardPaymentInput = z.infer<typeof cardPaymentSchema>;

export const batchSchema = z.object({ payments: z.array(cardPaymentSchema).min(1).max(500) }).strict();

/** True when the text looks like a full card number (12-19 digits, no mask). */
export function looksLikeFullPan(value: unknown): boolean {
  return typeof value === 'string' && /^\d{12,19}$/.test(value.replace(/[\s-]/g, ''));
}

export const voidSchema = z
  .object({
    // The acquirer's reference for the reversal (its RRN or approval code), for reconciliation.
    voidReference: z
      .string()
      .regex(/^[0-9A-Za-z]{6,32}$/, "must be the acquirer's void reference (6-32 letters/digits)"),
    reason: text('lines').min(1).max(200).optional(),
  })
  .strict();

export type VoidInput = z.infer<typeof voidSchema>;
