import { Router } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { idParams, parseInput } from '../core/schemas';
import { arrearsQuerySchema, createPenaltyRuleSchema } from './arrears.schemas';
import { listArrears } from './arrears.service';
import { addPenaltyRule, getPenaltyRules } from './penalty-rules.service';

const regionParams = idParams('regionId');

export function arrearsRoutes(deps: Deps): Router {
  const r = Router();

  // Arrears as of a date (default: the region's local today), per stall and trader with ageing.
  r.get('/arrears', requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'), async (req, res) => {
    res.json(await listArrears(deps, principalOf(req), parseInput(arrearsQuerySchema, req.query)));
  });

  r.get('/regions/:regionId/penalty-rules', requireAuth(deps, 'admin', 'officer', 'auditor'), async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    res.json({ items: await getPenaltyRules(deps, principalOf(req), regionId) });
  });

  r.post('/regions/:regionId/penalty-rules', requireAuth(deps, 'admin', 'officer'), async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const body = parseInput(createPenaltyRuleSchema, req.body);
    res.status(201).json(await addPenaltyRule(deps, principalOf(req), regionId, body));
  });
  return r;
}
