import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { closuresQuery, createClosureSchema, createMarketSchema, patchMarketSchema } from './markets.schemas';
import * as markets from './markets.service';

const regionParams = idParams('regionId');
const marketParams = idParams('marketId');

export function marketRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/regions/:regionId/markets', gate.read, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    res.json({ items: await markets.listMarkets(deps, principalOf(req), regionId) });
  });

  r.post('/regions/:regionId/markets', gate.write, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const body = parseInput(createMarketSchema, req.body);
    res.status(201).json(await markets.createMarket(deps, principalOf(req), regionId, body));
  });

  r.get('/markets/:marketId', gate.read, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    res.json(await markets.getMarket(deps, principalOf(req), marketId));
  });

  r.patch('/markets/:marketId', gate.write, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const body = parseInput(patchMarketSchema, req.body);
    res.json(await markets.patchMarket(deps, principalOf(req), marketId, body));
  });

  r.post('/markets/:marketId/closures', gate.write, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const body = parseInput(createClosureSchema, req.body);
    res.status(201).json(await markets.addClosure(deps, principalOf(req), marketId, body));
  });

  r.get('/markets/:marketId/closures', gate.read, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const range = parseInput(closuresQuery, req.query);
    res.json({ items: await markets.listClosures(deps, principalOf(req), marketId, range) });
  });
  return r;
}
