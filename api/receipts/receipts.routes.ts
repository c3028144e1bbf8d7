import { Router } from 'express';
import type { Deps } from '../core/deps';
import { verifyReceipt } from './receipts.service';
import { RECEIPT_CSP, receiptPage } from './receipt-page';
import { setPageHeaders } from '../http/html-headers';

/** Public: mounted at the root, outside /api/v1, because it is printed on paper. */
export function receiptRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/receipts/:code', async (req, res) => {
    setPageHeaders(res, { csp: RECEIPT_CSP });
    const view = await verifyReceipt(deps, req.params.code);
    if (req.accepts(['html', 'json']) === 'json') res.json(view);
    else res.type('html').send(receiptPage(view));
  });
  return r;
}
