// GET /receipts/:code, the page the e-karcis QR opens. Public: mounted at the root, outside
// /api/v1, because it is printed on paper. A person gets an Indonesian page (a 404 page for a
// code no receipt has, or that cannot be a code); a client asking for JSON gets the receipt, or
// the API's 404 not-found.
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { parsedOrUndefined } from '../pages/page-errors.middleware';
import { setPageHeaders } from '../http/html-headers';
import { findReceiptView } from './receipts.service';
import { receiptPage, unknownReceiptPage } from './receipt-page';
import { receiptCodeParams } from './receipts.schemas';

export function receiptRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/receipts/:code', async (req, res) => {
    setPageHeaders(res);
    res.setHeader('X-Robots-Tag', 'noindex');
    const code = parsedOrUndefined(receiptCodeParams, req.params)?.code;
    const view = code ? await findReceiptView(deps, code) : undefined;
    if (req.accepts(['html', 'json']) === 'json') {
      if (!view) throw notFound('receipt');
      res.json(view);
      return;
    }
    if (!view) return void res.status(404).type('html').send(unknownReceiptPage());
    res.type('html').send(receiptPage(view));
  });
  return r;
}
