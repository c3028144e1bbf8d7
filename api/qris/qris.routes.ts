import { Router } from 'express';
import type { Deps } from '../core/deps';
import { idParams, parseInput } from '../core/schemas';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { createIntentSchema } from './qris.schemas';
import { createIntent, getIntent } from './qris.service';

const intentParams = idParams('intentId');

export function qrisRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/qris', requireAuth(deps, 'terminal'), async (req, res) => {
    res.status(201).json(await createIntent(deps, principalOf(req), parseInput(createIntentSchema, req.body)));
  });
  r.get('/qris/:intentId', requireAuth(deps), async (req, res) => {
    res.json(await getIntent(deps, principalOf(req), parseInput(intentParams, req.params).intentId));
  });
  return r;
}
