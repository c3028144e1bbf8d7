// The command center's wall screen (/pusat-komando): what the feed shows, read through the feed's
// own service and scope, so the page, the API's summary and the payment stream can never differ
// on who sees which region. The feed role, and those the feed lets watch today: the admin,
// officers of their region, auditors of theirs (or of all). Nothing here names a trader or a card.
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { AppError, forbidden } from '../core/errors';
import { id } from '../core/schemas';
import type { Principal } from '../auth/principal';
import { FEED_ROLES, type FeedSummary, type PaymentEvent } from '../feed/feed.schemas';
import { feedRegions, feedSummary, latestPayments } from '../feed/feed.service';

/** How many of today's payments the screen shows when it opens (the stream adds the rest). */
export const LATEST_PAYMENTS = 20;

const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);

/** What the page and its stream accept: one region of those the account may see. */
export const commandCenterQuery = z.object({ regionId: z.preprocess(blankIsAbsent, id.optional()) }).strict();

export interface CommandCenter {
  summary: FeedSummary;
  /** today's latest payments, newest first */
  payments: PaymentEvent[];
  /** the region asked for, when one was */
  regionId?: string;
}

/** The region the screen (and its stream) may show, by the feed's rules; refusals in Indonesian. */
export function commandCenterScope(p: Principal, asked?: string): { regionId?: string } {
  if (!(FEED_ROLES as readonly string[]).includes(p.role)) throw forbidden('halaman ini bukan untuk peran Anda');
  try {
    return feedRegions(p, asked);
  } catch (err) {
    if (err instanceof AppError && err.status === 403) throw forbidden('wilayah ini di luar wewenang Anda');
    throw err;
  }
}

export async function commandCenter(deps: Deps, p: Principal, asked?: string): Promise<CommandCenter> {
  const { regionId } = commandCenterScope(p, asked);
  const [summary, payments] = await Promise.all([
    feedSummary(deps, p, regionId),
    latestPayments(deps, p, regionId, LATEST_PAYMENTS),
  ]);
  if (regionId && !summary.regions.length) throw new AppError(404, 'not-found', 'wilayah tidak ditemukan');
  return { summary, payments, regionId };
}
