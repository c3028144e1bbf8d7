// Who owes what and since when, as of a date. Managers see their own market, officers their
// region, admins and auditors read. The list is in market, stall, trader order; totals (overall
// and per market) cover the whole list, not just the page.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertReadMarket, assertReadRegion } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { formatMoney } from '../core/money';
import { businessDate } from '../core/time';
import type { ArrearsListInput } from './arrears.schemas';
import {
  arrearsPage,
  type ArrearsQuery,
  type ArrearsRow,
  type ArrearsSums,
  type MarketSums,
} from './arrears.repository';

interface Scope {
  regionId: string;
  marketId?: string;
}

/** The region (and market) a caller asks about, checked against their scope. */
async function resolveScope(deps: Deps, p: Principal, input: ArrearsListInput): Promise<Scope> {
  if (input.marketId) {
    const market = await deps.knex('markets').where({ id: input.marketId }).first('id', 'region_id');
    if (!market || (input.regionId && input.regionId !== market.region_id))
      throw notFound('market', { field: 'marketId' });
    assertReadMarket(p, market.region_id, market.id);
    return { regionId: market.region_id, marketId: market.id };
  }
  if (p.role === 'manager') {
    // A manager's list is their own market's.
    if (!p.regionId || !p.marketId || (input.regionId && input.regionId !== p.regionId))
      throw forbidden('this region is outside your scope');
    return { regionId: p.regionId, marketId: p.marketId };
  }
  const regionId = input.regionId ?? p.regionId;
  if (!regionId)
    throw badRequest('invalid-input', 'invalid regionId: required', [{ field: 'regionId', message: 'required' }]);
  assertReadRegion(p, regionId);
  return { regionId };
}

export async function listArrears(deps: Deps, p: Principal, input: ArrearsListInput) {
  const scope = await resolveScope(deps, p, input);
  const region = await deps.knex('regions').where({ id: scope.regionId }).first('id', 'time_zone');
  if (!region) throw notFound('region', { field: 'regionId' });
  if (input.traderId && !(await deps.knex('traders').where({ region_id: region.id, id: input.traderId }).first('id'))) {
    throw notFound('trader', { field: 'traderId' });
  }
  const q: ArrearsQuery = {
    ...scope,
    traderId: input.traderId,
    asOf: input.asOf ?? businessDate(deps.clock.now(), region.time_zone),
  };
  const page = await arrearsPage(deps, q, { limit: input.limit, offset: input.offset });
  return {
    asOf: q.asOf,
    regionId: q.regionId,
    marketId: q.marketId ?? null,
    traderId: q.traderId ?? null,
    rows: page.rows.map(rowView),
    totals: sumsView(page.totals),
    byMarket: page.byMarket.map(marketView),
    limit: input.limit,
    offset: input.offset,
  };
}

function rowView(r: ArrearsRow) {
  return {
    marketId: r.marketId,
    marketCode: r.marketCode,
    marketName: r.marketName,
    stallId: r.stallId,
    stallCode: r.stallCode,
    stallKind: r.stallKind,
    stallBlock: r.stallBlock,
    traderId: r.traderId,
    traderName: r.traderName,
    ...money(r),
    oldestUnpaidDate: r.oldestUnpaidDate,
    maxDaysOverdue: r.maxDaysOverdue,
  };
}

function money(s: Omit<ArrearsSums, 'rows'>) {
  return {
    bucket1to30: formatMoney(s.bucket1to30),
    bucket31to60: formatMoney(s.bucket31to60),
    bucket61to90: formatMoney(s.bucket61to90),
    bucketOver90: formatMoney(s.bucketOver90),
    principal: formatMoney(s.principal),
    penalty: formatMoney(s.penalty),
    credit: formatMoney(s.credit),
    /** what is owed: principal + penalty (credit is shown apart: it settles future days) */
    total: formatMoney(s.principal.plus(s.penalty)),
  };
}

const sumsView = (s: ArrearsSums) => ({ rows: s.rows, ...money(s) });
const marketView = (m: MarketSums) => ({
  marketId: m.marketId,
  marketCode: m.marketCode,
  marketName: m.marketName,
  ...sumsView(m),
});
