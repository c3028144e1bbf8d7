import type express from 'express';
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createTraderSchema, importQuery, listTradersQuery, patchTraderSchema } from './traders.schemas';
import * as traders from './traders.service';
import { importTraders } from './trader-import.service';

const regionParams = idParams('regionId');
const traderParams = idParams('traderId');

export function traderRoutes(deps: Deps, csvBody: express.RequestHandler): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/regions/:regionId/traders', gate.read, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const query = parseInput(listTradersQuery, req.query);
    res.json(await traders.listTraders(deps, principalOf(req), regionId, query));
  });

  r.post('/regions/:regionId/traders', gate.write, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const body = parseInput(createTraderSchema, req.body);
    res.status(201).json(await traders.createTrader(deps, principalOf(req), regionId, body));
  });

  r.post('/regions/:regionId/traders/import', gate.write, csvBody, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const { marketId } = parseInput(importQuery, req.query);
    res.status(201).json(await importTraders(deps, principalOf(req), regionId, marketId, req.body));
  });

  r.get('/traders/:traderId', gate.read, async (req, res) => {
    const { traderId } = parseInput(traderParams, req.params);
    res.json(await traders.getTrader(deps, principalOf(req), traderId));
  });

  r.patch('/traders/:traderId', gate.write, async (req, res) => {
    const { traderId } = parseInput(traderParams, req.params);
    const body = parseInput(patchTraderSchema, req.body);
    res.json(await traders.patchTrader(deps, principalOf(req), traderId, body));
  });
  return r;
}
