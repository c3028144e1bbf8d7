import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { parseInput } from '../core/schemas';
import { marketParams, putTargetSchema, targetParams } from './targets.schemas';
import * as targets from './targets.service';

export function targetRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  // PUT: setting the same year again replaces its amount (201 the first time, 200 after).
  r.put('/markets/:marketId/targets/:year', gate.write, async (req, res) => {
    const { marketId, year } = parseInput(targetParams, req.params);
    const body = parseInput(putTargetSchema, req.body);
    const { target, created } = await targets.putTarget(deps, principalOf(req), marketId, year, body);
    res.status(created ? 201 : 200).json(target);
  });

  r.get('/markets/:marketId/targets', gate.read, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    res.json(await targets.listTargets(deps, principalOf(req), marketId));
  });
  return r;
}
