import { z } from 'zod';
import { positiveMoney } from '../core/money';
import { id } from '../core/schemas';
import { text } from '../core/text';

export const createIntentSchema = z
  .object({
    stallId: id,
    amount: positiveMoney.optional(),
  })
  .strict();

export type CreateIntentInput = z.infer<typeof createIntentSchema>;

export const notificationSchema = z
  .object({
    reference: z.string().regex(/^[A-Z0-9]{8,25}$/, 'must be the reference label of the QRIS (tag 62/05)'),
    // Zero is no payment (and payments.amount > 0 would refuse it as a 500).
    amount: positiveMoney,
    rrn: z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'must be the issuer/switch RRN'),
    issuer: text().min(1).max(60),
    paidAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with a zone' }),
  })
  .strict();

export type NotificationInput = z.infer<typeof notificationSchema>;
