// GET /api/v1/reports/:kind?format=pdf|csv — the documents a revenue agency files. Who may ask:
// officers (their region), auditors and the admin (read), and a market manager for the reports
// of their own market. A PDF is issued: numbered, registered with its SHA-256, verifiable.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../core/deps';
import { principalOf, requireAuth } from '../auth/auth.middleware';
import { assertReadMarket, assertReadRegion, type Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { businessDate, isValidDate } from '../core/time';
import type { ReportDefinition, ReportRequest } from '../../reports/definition';
import { issuePdf, issuePdfBuffer, writeCsv } from '../../reports/document';
import { reportDefinition, REPORT_KINDS } from '../../reports/registry';
import { regionOfMarket } from '../master-data/access';

const date = z.string().refine(isValidDate, 'must be a date YYYY-MM-DD');
export const querySchema = z
  .object({
    format: z.enum(['pdf', 'csv']).default('pdf'),
    regionId: z.string().uuid().optional(),
    marketId: z.string().uuid().optional(),
    date: date.optional(),
    asOf: date.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
      .optional(),
  })
  .strict();

/** The region and market asked for, checked against the caller's scope. */
async function scopeOf(
  deps: Deps,
  p: Principal,
  def: ReportDefinition,
  q: z.infer<typeof querySchema>,
): Promise<ReportRequest> {
  let regionId = q.regionId;
  let marketId = q.marketId;
  if (!marketId && p.role === 'manager' && def.scope === 'market') marketId = p.marketId;
  if (marketId) regionId = await regionOfMarket(deps, marketId, regionId);
  regionId ??= p.regionId;
  if (!regionId) throw badRequest('region-required', 'regionId is required', { field: 'regionId' });
  if (def.scope === 'market' && marketId) assertReadMarket(p, regionId, marketId);
  else if (p.role === 'manager')
    throw forbidden(
      def.scope === 'market'
        ? 'a manager reports on their own market: give marketId'
        : 'this report covers a whole region',
    );
  else assertReadRegion(p, regionId);
  return { regionId, marketId, date: q.date, month: q.month, asOf: q.asOf };
}

async function withDefaults(deps: Deps, def: ReportDefinition, req: ReportRequest): Promise<ReportRequest> {
  if (def.needs.includes('asOf') && !req.asOf) {
    const region = await deps.knex('regions').where({ id: req.regionId }).first('time_zone');
    req.asOf = businessDate(deps.clock.now(), region.time_zone);
  }
  for (const need of def.needs) {
    if (!req[need])
      throw badRequest('missing-parameter', `${need} is required for the ${def.kind} report`, { field: need });
  }
  return req;
}

function fileStem(def: ReportDefinition, req: ReportRequest): string {
  return [def.kind, req.date ?? req.month ?? req.asOf].filter(Boolean).join('-');
}

export function reportRoutes(deps: Deps): Router {
  const r = Router();
  r.get(
    '/reports/:kind',
    requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'),
    async (req: Request, res: Response) => {
      const def = reportDefinition(req.params.kind as string);
      if (!def) throw notFound('report kind', { kind: req.params.kind, kinds: REPORT_KINDS() });
      const q = querySchema.parse(req.query);
      const p = principalOf(req);
      const rr = await withDefaults(deps, def, await scopeOf(deps, p, def, q));
      if (q.format === 'csv') {
        res.type('text/csv; charset=utf-8').attachment(`${fileStem(def, rr)}.csv`);
        await writeCsv(deps, def, rr, res);
        return;
      }
      if (def.streamed) {
        await issuePdf(deps, def, rr, res, p.sub, (number) => {
          res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${number}.pdf"`);
          res.setHeader('X-Document-Number', number);
        });
        return;
      }
      const { doc, bytes } = await issuePdfBuffer(deps, def, rr, p.sub);
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${doc.number}.pdf"`);
      res.setHeader('X-Document-Number', doc.number);
      res.send(bytes);
    },
  );
  return r;
}
