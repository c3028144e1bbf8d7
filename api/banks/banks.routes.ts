import { Router, raw as rawBody } from 'express';
import type { Deps } from '../core/deps';
import { retrySafe } from '../http/error-handler';
import { receiveNotification } from './notification.service';

/** Mounted before the JSON parser: the signature covers the raw bytes. */
export function bankRoutes(deps: Deps): Router {
  const r = Router();
  // retrySafe: a notification repeated is a replay of the same RRN, answered with the first answer.
  r.post(
    '/banks/:acquirer/qris-notifications',
    retrySafe,
    rawBody({ type: () => true, limit: '64kb' }),
    async (req, res) => {
      const answer = await receiveNotification(deps, {
        acquirerCode: String(req.params.acquirer),
        timestamp: req.get('x-timestamp'),
        signature: req.get('x-signature'),
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        remoteAddr: req.ip,
      });
      res.status(answer.status).json(answer.body);
    },
  );
  return r;
}
