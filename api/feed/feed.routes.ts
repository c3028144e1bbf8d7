// The command center's feed: a summary to poll and a stream of payments as they happen. For the
// feed role, and for the admin, officers (their region) and auditors, who watch the same.
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf, requireAuth } from '../auth/auth.middleware';
import { parseInput } from '../core/schemas';
import { FEED_ROLES, feedQuery } from './feed.schemas';
import { feedRegions, feedSummary } from './feed.service';
import { paymentStreamOf } from './payment-stream';
import { HEARTBEAT_MS, streamPayments } from './sse';

export function feedRoutes(deps: Deps, o: { heartbeatMs?: number } = {}): Router {
  const r = Router();
  const gate = requireAuth(deps, ...FEED_ROLES);
  // One per app (shared with the command-center page), so one LISTEN connection per process
  // (and none while nobody watches).
  const stream = paymentStreamOf(deps);

  r.get('/feed/summary', gate, async (req, res) => {
    const { regionId } = parseInput(feedQuery, req.query);
    res.json(await feedSummary(deps, principalOf(req), regionId));
  });

  r.get('/feed/payments', gate, async (req, res) => {
    const { regionId } = parseInput(feedQuery, req.query);
    const scope = feedRegions(principalOf(req), regionId);
    await streamPayments(stream, scope.regionId, res, o.heartbeatMs ?? HEARTBEAT_MS);
  });
  return r;
}
