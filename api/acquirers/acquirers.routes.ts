import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createAcquirerSchema, patchAcquirerSchema } from './acquirers.schemas';
import * as acquirers from './acquirers.service';

const regionParams = idParams('regionId');
const acquirerParams = idParams('acquirerId');

export function acquirerRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/regions/:regionId/acquirers', gate.read, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    res.json({ items: await acquirers.listAcquirers(deps, principalOf(req), regionId) });
  });

  r.post('/regions/:regionId/acquirers', gate.write, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const body = parseInput(createAcquirerSchema, req.body);
    res.status(201).json(await acquirers.createAcquirer(deps, principalOf(req), regionId, body));
  });

  r.get('/acquirers/:acquirerId', gate.read, async (req, res) => {
    const { acquirerId } = parseInput(acquirerParams, req.params);
    res.json(await acquirers.getAcquirer(deps, principalOf(req), acquirerId));
  });

  r.patch('/acquirers/:acquirerId', gate.write, async (req, res) => {
    const { acquirerId } = parseInput(acquirerParams, req.params);
    const body = parseInput(patchAcquirerSchema, req.body);
    res.json(await acquirers.patchAcquirer(deps, principalOf(req), acquirerId, body));
  });
  return r;
}
