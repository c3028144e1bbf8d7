import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createRegionSchema, patchRegionSchema } from './regions.schemas';
import { createRegion, getRegion, listRegionsFor, patchRegion } from './regions.service';

const params = idParams('regionId');

export function regionRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/regions', gate.read, async (req, res) => {
    res.json({ items: await listRegionsFor(deps, principalOf(req)) });
  });

  r.post('/regions', gate.admin, async (req, res) => {
    const body = parseInput(createRegionSchema, req.body);
    res.status(201).json(await createRegion(deps, body));
  });

  r.get('/regions/:regionId', gate.read, async (req, res) => {
    const { regionId } = parseInput(params, req.params);
    res.json(await getRegion(deps, principalOf(req), regionId));
  });

  r.patch('/regions/:regionId', gate.write, async (req, res) => {
    const { regionId } = parseInput(params, req.params);
    const body = parseInput(patchRegionSchema, req.body);
    res.json(await patchRegion(deps, principalOf(req), regionId, body));
  });
  return r;
}
