// Which report a request asks for, and for what: the kind, the region and market checked against
// the caller's scope, and the dates the kind needs (an as-of date defaults to the region's today).
// And the documents already issued: a region's (or a market's) of one day, and one of them again
// by its number, as it was issued.
import type { Deps } from '../core/deps';
import { assertReadMarket, assertReadRegion, type Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { businessDate } from '../core/time';
import type { ReportDefinition, ReportRequest } from '../../reports/definition';
import { issuedFile, issuedOnDay, type IssuedRow } from '../../reports/document';
import { reportDefinition, REPORT_KINDS } from '../../reports/registry';
import { regionOfMarket } from '../master-data/access';
import { findRegionIn } from '../regions/regions.service';
import type { ReportQuery } from './reports.schemas';

/** The report kind, or 404 naming the kinds there are. */
export function reportKind(kind: string): ReportDefinition {
  const def = reportDefinition(kind);
  if (!def) throw notFound('report kind', { kind, kinds: REPORT_KINDS() });
  return def;
}

/** The region and market asked for, checked against the caller's scope. */
async function scopeOf(deps: Deps, p: Principal, def: ReportDefinition, q: ReportQuery): Promise<ReportRequest> {
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
    // Not checked here: a region the admin names that does not exist fails as it always has.
    const region = await findRegionIn(deps.knex, req.regionId);
    req.asOf = businessDate(deps.clock.now(), (region as { time_zone: string }).time_zone);
  }
  for (const need of def.needs) {
    if (!req[need])
      throw badRequest('missing-parameter', `${need} is required for the ${def.kind} report`, { field: need });
  }
  return req;
}

/** What a report of this kind covers for this caller: scope checked, defaults filled in. */
export async function reportRequest(
  deps: Deps,
  p: Principal,
  def: ReportDefinition,
  q: ReportQuery,
): Promise<ReportRequest> {
  return withDefaults(deps, def, await scopeOf(deps, p, def, q));
}

/** The file name without its extension: the kind and the date, month or as-of date it covers. */
export function fileStem(def: ReportDefinition, req: ReportRequest): string {
  return [def.kind, req.date ?? req.month ?? req.asOf].filter(Boolean).join('-');
}

/** The PDF of a document already issued, to hand out again: the same number and bytes. The
 * number must be of this kind, and what it covers within the caller's scope (its market's
 * manager for a market's document; else the region's readers). */
export async function issuedDocument(
  deps: Deps,
  p: Principal,
  def: ReportDefinition,
  q: ReportQuery,
): Promise<{ number: string; bytes: Buffer }> {
  const others = (Object.keys(q) as (keyof ReportQuery)[]).filter(
    (k) => k !== 'number' && k !== 'format' && q[k] !== undefined,
  );
  if (q.format !== 'pdf' || others.length > 0)
    throw badRequest('number-alone', 'a document number names its issued PDF: give no other parameter', {
      field: others[0] ?? 'format',
    });
  const doc = await issuedFile(deps, q.number as string);
  if (!doc || doc.kind !== def.kind) throw notFound('document of this kind', { number: q.number, kind: def.kind });
  const marketId = typeof doc.covers.marketId === 'string' ? doc.covers.marketId : undefined;
  if (marketId) assertReadMarket(p, doc.region_id, marketId);
  else assertReadRegion(p, doc.region_id);
  if (!doc.content) throw notFound('file of this document (issued before documents were kept)', { number: q.number });
  return { number: doc.number, bytes: doc.content };
}

/** What a region (or one of its markets) issued on one of its local days, for a caller who may
 * read it: a market's documents for its manager, every one of the region's for its readers. */
export async function issuedReports(
  deps: Deps,
  p: Principal,
  scope: { regionId: string; timeZone: string; marketId?: string },
  date: string,
): Promise<{ rows: IssuedRow[]; more: boolean }> {
  if (scope.marketId) assertReadMarket(p, scope.regionId, scope.marketId);
  else assertReadRegion(p, scope.regionId);
  return issuedOnDay(deps, { ...scope, date });
}
