import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { createIntentSchema } from './qris.schemas';
import { createIntent, getIntent } from './qris.service';

const intentParams = z.object({ intentId: z.uuid() });

export function qrisRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/qris', requireAuth(deps, 'terminal'), async (req, res) => {
    res.status(201).json(await createIntent(deps, principalOf(req), createIntentSchema.parse(req.body)));
  });
  r.get('/qris/:intentId', requireAuth(deps), async (req, res) => {
    res.json(await getIntent(deps, principalOf(req), intentParams.parse(req.params).intentId));
  });
  return r;
}
