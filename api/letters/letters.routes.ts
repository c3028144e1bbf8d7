import { Router } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { assertReadMarket, assertReadRegion, canManageRegion, type Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { businessDate } from '../core/time';
import { findMarket } from './letters.repository';
import { regionOfMarket } from '../master-data/access';
import { issueBodySchema, letterParams, listQuerySchema, marketParams } from './letters.schemas';
import { issueLetters, letterDetail, listLetters } from './letters.service';

/** Letters go out for a market: its manager, an officer of its region, or the admin. */
function assertIssueScope(p: Principal, regionId: string, marketId: string): void {
  const ownMarket = p.role === 'manager' && p.regionId === regionId && p.marketId === marketId;
  if (!ownMarket && !canManageRegion(p, regionId)) throw forbidden('this market is outside your scope');
}

export function letterRoutes(deps: Deps): Router {
  const r = Router();

  // Issues every warning and STRD due in the market as of asOf (default: the region's today).
  r.post('/markets/:marketId/letters', requireAuth(deps, 'admin', 'officer', 'manager'), async (req, res) => {
    const { marketId } = marketParams.parse(req.params);
    const body = issueBodySchema.parse(req.body ?? {});
    const p = principalOf(req);
    const market = await findMarket(deps.knex, marketId);
    if (!market) throw notFound('market', { field: 'marketId' });
    assertIssueScope(p, market.region_id, market.id);
    const asOf = body.asOf ?? businessDate(deps.clock.now(), market.time_zone);
    const result = await issueLetters(deps, { regionId: market.region_id, marketId, asOf, issuedBy: p.sub });
    // 201 when letters went out; a repeat that finds nothing new due is 200 with an empty list.
    res.status(result.letters.length ? 201 : 200).json(result);
  });

  r.get('/letters', requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'), async (req, res) => {
    const q = listQuerySchema.parse(req.query);
    const p = principalOf(req);
    // A manager's list is their market's, whether or not they name it.
    const marketId = q.marketId ?? (p.role === 'manager' ? p.marketId : undefined);
    let regionId = q.regionId;
    if (marketId) {
      // The market says which region it is in: scope is checked against that, never the caller's.
      regionId = await regionOfMarket(deps, marketId, regionId);
      assertReadMarket(p, regionId, marketId);
    } else {
      regionId ??= p.regionId;
      if (!regionId) throw badRequest('region-required', 'regionId is required', { field: 'regionId' });
      assertReadRegion(p, regionId);
    }
    const letters = await listLetters(deps, { ...q, regionId, marketId });
    res.json({ letters, limit: q.limit, offset: q.offset });
  });

  r.get('/letters/:letterId', requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'), async (req, res) => {
    const { letterId } = letterParams.parse(req.params);
    const letter = await letterDetail(deps, letterId);
    if (!letter) throw notFound('letter', { field: 'letterId' });
    assertReadMarket(principalOf(req), letter.regionId, letter.market.id);
    res.json(letter);
  });
  return r;
}
