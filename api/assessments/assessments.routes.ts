import { Router } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { runAssessmentSchema } from './assessments.schemas';
import { runAssessment } from './assessment.service';

export function assessmentRoutes(deps: Deps): Router {
  const r = Router();
  // Runs (or re-runs: it creates nothing twice) a region's assessment for a business date, as the
  // schedule does at local midnight; for catching up a day, and for the terminal simulator.
  r.post('/assessments', requireAuth(deps, 'admin', 'officer'), async (req, res) => {
    res.json(await runAssessment(deps, principalOf(req), parseInput(runAssessmentSchema, req.body)));
  });
  return r;
}
