import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { listMarketStalls, stallOutstanding } from './collection.service';

const marketParams = z.object({ marketId: z.uuid() });
const stallParams = z.object({ stallId: z.uuid() });

export function collectionRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/markets/:marketId/stalls', requireAuth(deps), async (req, res) => {
    const { marketId } = marketParams.parse(req.params);
    res.json(await listMarketStalls(deps, principalOf(req), marketId));
  });
  r.get('/stalls/:stallId/outstanding', requireAuth(deps), async (req, res) => {
    const { stallId } = stallParams.parse(req.params);
    res.json(await stallOutstanding(deps, principalOf(req), stallId));
  });
  return r;
}
