import { Router } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { retrySafe } from '../http/error-handler';
import { idParams, parseInput } from '../core/schemas';
import { batchSchema, cardPaymentSchema, voidSchema } from './payments.schemas';
import { voidCardPayment } from './void.service';
import { recordCardBatch, recordCardPayment, refuseFullPan } from './payments.service';

export function paymentRoutes(deps: Deps): Router {
  const r = Router();
  // retrySafe: repeating one cannot record anything twice (keyed by clientTxnId), so when the
  // database goes away while it runs the answer is 503, retry (api/http/error-handler.ts).
  r.post('/payments/card', retrySafe, requireAuth(deps, 'terminal'), async (req, res) => {
    refuseFullPan(req.body);
    const input = parseInput(cardPaymentSchema, req.body);
    const result = await recordCardPayment(deps, principalOf(req), input);
    res.status(result.status).json(result.body);
  });
  r.post('/payments/batch', retrySafe, requireAuth(deps, 'terminal'), async (req, res) => {
    refuseFullPan(req.body);
    const { payments } = parseInput(batchSchema, req.body);
    res.json({ results: await recordCardBatch(deps, principalOf(req), payments) });
  });
  r.post('/payments/:paymentId/void', retrySafe, requireAuth(deps, 'terminal'), async (req, res) => {
    const { paymentId } = parseInput(idParams('paymentId'), req.params);
    const result = await voidCardPayment(deps, principalOf(req), paymentId, parseInput(voidSchema, req.body));
    res.status(result.status).json(result.body);
  });
  return r;
}
