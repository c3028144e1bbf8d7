// The command center's feed (api/feed): a summary to poll and a stream to keep open.
import { FEED_ROLES, feedQuery, feedSummarySchema, paymentEventSchema } from '../../feed/feed.schemas';
import type { Operation } from '../operation';

const scope =
  'A feed account or auditor without a region, and the admin, see every region (or the one asked for); ' +
  'an officer, and a feed account or auditor of a region, see that region only.';

export const feedPaths: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/feed/summary',
    tag: 'feed',
    access: FEED_ROLES,
    query: feedQuery,
    summary:
      "Per market: today's assessed, collected by channel, share of stalls paid; per region: the last 7 days' reconciliation",
    description: `${scope} No personal data.`,
    ok: { 200: { description: 'the summary', schema: feedSummarySchema, name: 'FeedSummary' } },
  },
  {
    method: 'get',
    path: '/api/v1/feed/payments',
    tag: 'feed',
    access: FEED_ROLES,
    query: feedQuery,
    summary: 'Server-Sent Events: each payment as it is recorded',
    description:
      `${scope} Each payment is an \`event: payment\` whose \`id\` is the payment's and whose \`data\` is a PaymentEvent ` +
      '(market, stall code, amount, channel, times; never a trader or a card). A comment line comes every 15 s. ' +
      'The stream opens (": ready") once it is listening: no payment recorded after that is missed while it stays open.',
    ok: {
      200: {
        description: 'text/event-stream of PaymentEvent',
        type: 'text/event-stream',
        schema: paymentEventSchema,
        name: 'PaymentEvent',
      },
    },
  },
];
