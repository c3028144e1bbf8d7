import { Router } from 'express';
import type { Deps } from '../core/deps';
import { idParams, parseInput } from '../core/schemas';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { listMarketStalls, stallOutstanding } from './collection.service';

const marketParams = idParams('marketId');
const stallParams = idParams('stallId');

export function collectionRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/markets/:marketId/stalls', requireAuth(deps), async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    res.json(await listMarketStalls(deps, principalOf(req), marketId));
  });
  r.get('/stalls/:stallId/outstanding', requireAuth(deps), async (req, res) => {
    const { stallId } = parseInput(stallParams, req.params);
    res.json(await stallOutstanding(deps, principalOf(req), stallId));
  });
  return r;
}
