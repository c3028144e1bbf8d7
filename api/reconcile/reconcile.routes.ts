import { Router } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { parseInput } from '../core/schemas';
import { getException, listExceptions } from './exceptions.service';
import { exceptionParams, listSchema, resolveSchema, runSchema, summaryParams } from './reconcile.schemas';
import { reconciliationOf, runReconciliation } from './reconcile.service';
import { resolveException } from './resolve.service';

export function reconciliationRoutes(deps: Deps): Router {
  const r = Router();
  const read = requireAuth(deps, 'admin', 'officer', 'auditor');
  const decide = requireAuth(deps, 'admin', 'officer');

  // Runs (or re-runs) a region's business date now; the schedule does the same at night.
  r.post('/reconciliations', decide, async (req, res) => {
    res.json(await runReconciliation(deps, principalOf(req), parseInput(runSchema, req.body)));
  });

  r.get('/reconciliations/:regionId/:businessDate', read, async (req, res) => {
    const { regionId, businessDate } = parseInput(summaryParams, req.params);
    res.json(await reconciliationOf(deps, principalOf(req), regionId, businessDate));
  });

  r.get('/reconciliation-exceptions', read, async (req, res) => {
    res.json(await listExceptions(deps, principalOf(req), parseInput(listSchema, req.query)));
  });

  r.get('/reconciliation-exceptions/:id', read, async (req, res) => {
    const { id } = parseInput(exceptionParams, req.params);
    res.json(await getException(deps, principalOf(req), id));
  });

  r.post('/reconciliation-exceptions/:id/resolve', decide, async (req, res) => {
    const { id } = parseInput(exceptionParams, req.params);
    res.json(await resolveException(deps, principalOf(req), id, parseInput(resolveSchema, req.body)));
  });
  return r;
}
