import { Router } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { parseInput } from '../core/schemas';
import { issueBodySchema, letterParams, listQuerySchema, marketParams } from './letters.schemas';
import { issueMarketLetters, letterFor, lettersFor } from './letters.service';

export function letterRoutes(deps: Deps): Router {
  const r = Router();

  // Issues every warning and STRD due in the market as of asOf (default: the region's today).
  r.post('/markets/:marketId/letters', requireAuth(deps, 'admin', 'officer', 'manager'), async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const body = parseInput(issueBodySchema, req.body);
    const result = await issueMarketLetters(deps, principalOf(req), marketId, body);
    // 201 when letters went out; a repeat that finds nothing new due is 200 with an empty list.
    res.status(result.letters.length ? 201 : 200).json(result);
  });

  // A manager's list is their market's, whether or not they name it.
  r.get('/letters', requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'), async (req, res) => {
    const q = parseInput(listQuerySchema, req.query);
    const letters = await lettersFor(deps, principalOf(req), q);
    res.json({ letters, limit: q.limit, offset: q.offset });
  });

  r.get('/letters/:letterId', requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'), async (req, res) => {
    const { letterId } = parseInput(letterParams, req.params);
    res.json(await letterFor(deps, principalOf(req), letterId));
  });
  return r;
}
