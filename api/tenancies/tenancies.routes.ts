import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createTenancySchema, endTenancySchema } from './tenancies.schemas';
import * as tenancies from './tenancies.service';

const stallParams = idParams('stallId');
const tenancyParams = idParams('tenancyId');

export function tenancyRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.post('/stalls/:stallId/tenancies', gate.write, async (req, res) => {
    const { stallId } = parseInput(stallParams, req.params);
    const body = parseInput(createTenancySchema, req.body);
    res.status(201).json(await tenancies.createTenancy(deps, principalOf(req), stallId, body));
  });

  r.get('/stalls/:stallId/tenancies', gate.read, async (req, res) => {
    const { stallId } = parseInput(stallParams, req.params);
    res.json({ items: await tenancies.listTenancies(deps, principalOf(req), stallId) });
  });

  r.post('/tenancies/:tenancyId/end', gate.write, async (req, res) => {
    const { tenancyId } = parseInput(tenancyParams, req.params);
    const body = parseInput(endTenancySchema, req.body);
    res.json(await tenancies.endTenancy(deps, principalOf(req), tenancyId, body));
  });
  return r;
}
