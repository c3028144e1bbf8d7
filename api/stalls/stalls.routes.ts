import type express from 'express';
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createStallSchema, patchStallSchema, stallRegisterQuery } from './stalls.schemas';
import * as stalls from './stalls.service';
import { importStalls } from './stall-import.service';

const marketParams = idParams('marketId');
const stallParams = idParams('stallId');

// GET /markets/:marketId/stalls is the collector's list (with today's dues) and is not defined
// here; officers and managers browse the register at /stall-register.
export function stallRoutes(deps: Deps, csvBody: express.RequestHandler): Router {
  const r = Router();
  const gate = gates(deps);

  r.post('/markets/:marketId/stalls', gate.write, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const body = parseInput(createStallSchema, req.body);
    res.status(201).json(await stalls.createStall(deps, principalOf(req), marketId, body));
  });

  r.post('/markets/:marketId/stalls/import', gate.write, csvBody, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    res.status(201).json(await importStalls(deps, principalOf(req), marketId, req.body));
  });

  r.get('/markets/:marketId/stall-register', gate.read, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const query = parseInput(stallRegisterQuery, req.query);
    res.json(await stalls.stallRegister(deps, principalOf(req), marketId, query));
  });

  r.get('/stalls/:stallId', gate.read, async (req, res) => {
    const { stallId } = parseInput(stallParams, req.params);
    res.json(await stalls.getStall(deps, principalOf(req), stallId));
  });

  r.patch('/stalls/:stallId', gate.write, async (req, res) => {
    const { stallId } = parseInput(stallParams, req.params);
    const body = parseInput(patchStallSchema, req.body);
    res.json(await stalls.patchStall(deps, principalOf(req), stallId, body));
  });
  return r;
}
