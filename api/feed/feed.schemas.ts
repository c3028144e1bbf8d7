// The command center's feed: what it may ask, and the shapes it gets back. The response types are
// inferred from these schemas, so the service, the OpenAPI document and the tests share one
// definition. Nothing here names a trader, a card or a person: markets, stalls, counts and sums.
import { z } from 'zod';
import { id } from '../core/schemas';

/** Who may watch the feed: the feed role, and the admin, officers (their region) and auditors. */
export const FEED_ROLES = ['feed', 'admin', 'officer', 'auditor'] as const;

export const feedQuery = z
  .object({
    /** One region of those the token may see; without it, all of them. */
    regionId: id.optional(),
  })
  .strict();
export type FeedQuery = z.infer<typeof feedQuery>;

export const PAYMENT_CHANNELS = ['card', 'qris', 'cash'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

const money = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .describe('rupiah, a decimal string with two places');
const count = z.number().int().min(0);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('business date YYYY-MM-DD, local to the region');
const countSum = z.object({ count, amount: money });

export const collectionSchema = z.object({
  assessed: z.object({ stalls: count, amount: money }).describe("today's assessments (one per stall)"),
  paidStalls: count.describe('stalls whose assessment of today is fully paid'),
  partlyPaidStalls: count,
  sharePaid: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('paidStalls / assessed.stalls, 4 places; null when nothing was assessed'),
  collected: countSum
    .extend({ byChannel: z.object({ card: countSum, qris: countSum, cash: countSum }) })
    .describe("payments of today's business date, voided ones left out"),
});
export type Collection = z.infer<typeof collectionSchema>;

export const marketSummarySchema = collectionSchema.extend({ marketId: z.uuid(), code: z.string(), name: z.string() });

export const RECONCILIATION_STATES = ['clean', 'awaiting', 'exceptions', 'never'] as const;
export type ReconciliationState = (typeof RECONCILIATION_STATES)[number];

export const regionSummarySchema = z.object({
  regionId: z.uuid(),
  code: z.string(),
  name: z.string(),
  timeZone: z.string(),
  businessDate: day.describe("the region's business date now"),
  totals: collectionSchema,
  markets: z.array(marketSummarySchema),
  reconciliation: z
    .array(z.object({ businessDate: day, status: z.enum(RECONCILIATION_STATES) }))
    .describe(
      'the 7 days before today, newest first: clean, awaiting settlement, exceptions open, or never reconciled',
    ),
});
export type RegionSummary = z.infer<typeof regionSummarySchema>;

export const feedSummarySchema = z.object({
  generatedAt: z.iso.datetime(),
  regions: z.array(regionSummarySchema),
});
export type FeedSummary = z.infer<typeof feedSummarySchema>;

/** One `event: payment` of the stream; its SSE id is the paymentId. */
export const paymentEventSchema = z.object({
  paymentId: z.uuid(),
  regionId: z.uuid(),
  regionCode: z.string(),
  marketId: z.uuid(),
  marketCode: z.string(),
  marketName: z.string(),
  stallCode: z.string(),
  amount: money,
  channel: z.enum(PAYMENT_CHANNELS),
  businessDate: day,
  paidAt: z.iso.datetime().describe('when the card was read or the QRIS paid'),
  recordedAt: z.iso.datetime().describe('when the payment was recorded'),
});
export type PaymentEvent = z.infer<typeof paymentEventSchema>;
