import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { requireAuth, principalOf } from '../auth/auth.middleware';
import { assertReadRegion, canManageRegion, type Principal } from '../auth/principal';
import { forbidden, notFound } from '../core/errors';
import { isValidDate } from '../core/time';
import { lastReconciliation, reconcileDay } from './reconcile.service';
import { EXCEPTION_KINDS } from './exceptions';
import { exceptionView, resolveException, resolveSchema, toView } from './resolve.service';

const businessDate = z.string().refine(isValidDate, 'must be a date YYYY-MM-DD');
export const runSchema = z.object({ regionId: z.string().uuid(), businessDate }).strict();
export const summaryParams = z.object({ regionId: z.string().uuid(), businessDate });
export const listSchema = z
  .object({
    regionId: z.string().uuid().optional(),
    date: businessDate.optional(),
    from: businessDate.optional(),
    to: businessDate.optional(),
    kind: z.enum(EXCEPTION_KINDS).optional(),
    status: z.enum(['open', 'resolved', 'cleared']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

function assertRunRegion(p: Principal, regionId: string): void {
  if (!canManageRegion(p, regionId)) throw forbidden('this region is outside your scope');
}

export function reconciliationRoutes(deps: Deps): Router {
  const r = Router();

  // Runs (or re-runs) a region's business date now; the schedule does the same at night.
  r.post('/reconciliations', requireAuth(deps, 'admin', 'officer'), async (req, res) => {
    const body = runSchema.parse(req.body);
    assertRunRegion(principalOf(req), body.regionId);
    res.json(await reconcileDay(deps, body.regionId, body.businessDate));
  });

  r.get(
    '/reconciliations/:regionId/:businessDate',
    requireAuth(deps, 'admin', 'officer', 'auditor'),
    async (req, res) => {
      const { regionId, businessDate: date } = summaryParams.parse(req.params);
      assertReadRegion(principalOf(req), regionId);
      const last = await lastReconciliation(deps, regionId, date);
      if (!last) throw notFound('reconciliation of this region and date', { regionId, businessDate: date });
      res.json({ ...last.summary, runs: last.runs, firstRunAt: last.firstRunAt, lastRunAt: last.lastRunAt });
    },
  );

  r.get('/reconciliation-exceptions', requireAuth(deps, 'admin', 'officer', 'auditor'), async (req, res) => {
    const p = principalOf(req);
    const q = listSchema.parse(req.query);
    const regionId = q.regionId ?? p.regionId;
    if (regionId) assertReadRegion(p, regionId);
    else if (p.role !== 'admin' && p.role !== 'auditor') throw forbidden('this region is outside your scope');
    const query = deps
      .knex('reconciliation_exceptions as e')
      .leftJoin('acquirers as a', function () {
        this.on('a.region_id', 'e.region_id').andOn('a.id', 'e.acquirer_id');
      })
      .select(
        'e.*',
        deps.knex.raw('e.business_date::text as business_date'),
        deps.knex.raw('e.settlement_line_id::text as settlement_line_id'),
        deps.knex.raw('e.statement_entry_id::text as statement_entry_id'),
        'a.code as acquirer_code',
      )
      .orderBy([{ column: 'e.business_date' }, { column: 'e.kind' }, { column: 'e.subject' }])
      .limit(q.limit)
      .offset(q.offset);
    if (regionId) query.where('e.region_id', regionId);
    if (q.date) query.where('e.business_date', q.date);
    if (q.from) query.where('e.business_date', '>=', q.from);
    if (q.to) query.where('e.business_date', '<=', q.to);
    if (q.kind) query.where('e.kind', q.kind);
    if (q.status) query.where('e.status', q.status);
    const rows = await query;
    res.json({ exceptions: rows.map(toView), limit: q.limit, offset: q.offset });
  });

  r.get('/reconciliation-exceptions/:id', requireAuth(deps, 'admin', 'officer', 'auditor'), async (req, res) => {
    const { id } = z.object({ id: z.string().uuid() }).parse(req.params);
    const row = await deps.knex('reconciliation_exceptions').where({ id }).first('region_id');
    if (!row) throw notFound('reconciliation exception');
    assertReadRegion(principalOf(req), row.region_id);
    res.json(await exceptionView(deps.knex, id));
  });

  r.post('/reconciliation-exceptions/:id/resolve', requireAuth(deps, 'admin', 'officer'), async (req, res) => {
    const { id } = z.object({ id: z.string().uuid() }).parse(req.params);
    res.json(await resolveException(deps, principalOf(req), id, resolveSchema.parse(req.body)));
  });
  return r;
}
