import { Router, raw as rawBody } from 'express';
import type { Request } from 'express';
import type { Deps } from '../core/deps';
import { retrySafe } from '../http/error-handler';
import { receiveSnapNotification } from './notify.service';
import { snapTimestamp } from './signature';
import { issueB2bToken } from './token.service';

const bytes = (req: Request) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

/** SNAP as a bank calls it, one path per acquirer; mounted before the JSON parser: the
 * signatures cover the raw bytes. */
export function snapRoutes(deps: Deps): Router {
  const r = Router();
  const body = rawBody({ type: () => true, limit: '64kb' });

  r.post('/snap/:acquirer/v1.0/access-token/b2b', body, async (req, res) => {
    const answer = await issueB2bToken(deps, {
      acquirerCode: String(req.params.acquirer),
      clientKey: req.get('x-client-key'),
      timestamp: req.get('x-timestamp'),
      signature: req.get('x-signature'),
      rawBody: bytes(req),
    });
    res.set('X-TIMESTAMP', snapTimestamp(deps.clock.now())).status(answer.status).json(answer.body);
  });

  // retrySafe: a notification repeated is answered from its X-EXTERNAL-ID or replayed by the ledger.
  r.post('/snap/:acquirer/v1.0/qr/qr-mpm-notify', retrySafe, body, async (req, res) => {
    const answer = await receiveSnapNotification(deps, {
      acquirerCode: String(req.params.acquirer),
      path: req.originalUrl,
      timestamp: req.get('x-timestamp'),
      signature: req.get('x-signature'),
      authorization: req.get('authorization'),
      externalId: req.get('x-external-id'),
      rawBody: bytes(req),
      remoteAddr: req.ip,
    });
    res.set('X-TIMESTAMP', snapTimestamp(deps.clock.now())).status(answer.status).json(answer.body);
  });
  return r;
}
