// Who owes what and since when, as of a date. Managers see their own market, officers their
// region, admins and auditors read. The list is in market, stall, trader order; totals (overall
// and per market) cover the whole list, not just the page.
//
// Every read runs in one REPEATABLE READ snapshot: the list is computed once into a temp table
// (arrears.repository.ts) and its pages, totals and batches are read from there.
import type { Knex } from 'knex';
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertReadMarket, assertReadRegion } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { formatMoney } from '../core/money';
import { businessDate } from '../core/time';
import { findRegionIn } from '../regions/regions.service';
import type { ArrearsListInput } from './arrears.schemas';
import {
  addTo,
  emptySums,
  type ArrearsQuery,
  type ArrearsRow,
  type ArrearsSums,
  type MarketSums,
} from './arrears-sums';
import * as repo from './arrears.repository';

export type { ArrearsQuery, ArrearsRow, ArrearsSums, MarketSums } from './arrears-sums';
export { addTo, emptySums } from './arrears-sums';

interface Scope {
  regionId: string;
  marketId?: string;
}

/** The region (and market) a caller asks about, checked against their scope. */
async function resolveScope(deps: Deps, p: Principal, input: ArrearsListInput): Promise<Scope> {
  if (input.marketId) {
    const market = await repo.marketRegion(deps.knex, input.marketId);
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
  const region = await findRegionIn(deps.knex, scope.regionId);
  if (!region) throw notFound('region', { field: 'regionId' });
  if (input.traderId && !(await repo.traderExists(deps.knex, region.id, input.traderId))) {
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

// ---- the snapshot ----

function inSnapshot<T>(deps: Deps, q: ArrearsQuery, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return deps.knex.transaction(
    async (trx) => {
      await repo.prepareList(trx, q);
      return fn(trx);
    },
    { isolationLevel: 'repeatable read' },
  );
}

const totalOf = (byMarket: MarketSums[]) => byMarket.reduce<ArrearsSums>((s, m) => addTo(s, m), emptySums());

/** One page of the list (in list order) with the totals of the whole list, overall and per market. */
export async function arrearsPage(
  deps: Deps,
  q: ArrearsQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: ArrearsRow[]; byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
    const rows = await repo.listPage(trx, page);
    const byMarket = await repo.marketSums(trx);
    return { rows, byMarket, totals: totalOf(byMarket) };
  });
}

/** Totals of the list, overall and per market, without its rows. */
export async function arrearsTotals(
  deps: Deps,
  q: ArrearsQuery,
): Promise<{ byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
    const byMarket = await repo.marketSums(trx);
    return { byMarket, totals: totalOf(byMarket) };
  });
}

export interface ArrearsSnapshot {
  byMarket: MarketSums[];
  totals: ArrearsSums;
  /** The list in list order, read batchSize rows at a time; ends the snapshot when done. */
  rows(batchSize?: number): AsyncGenerator<ArrearsRow>;
  /** Ends the snapshot without reading the rows (idempotent). */
  close(): Promise<void>;
}

/** An open snapshot is given back after this long unread, so a caller that never reads its rows
 * (a report that failed before drawing) does not hold a connection for ever. */
const IDLE_MS = 120_000;

/**
 * The list and its totals from one snapshot, for a report that prints the totals first and then
 * streams the rows (keyset on market code, stall code, trader name, trader id): the list is
 * computed once in Postgres, and a report of 50,000 stalls holds one batch in memory at a time.
 */
export async function openArrears(deps: Deps, q: ArrearsQuery): Promise<ArrearsSnapshot> {
  const trx = await deps.knex.transaction({ isolationLevel: 'repeatable read' });
  const close = async () => {
    clearTimeout(idle);
    if (!trx.isCompleted()) await trx.rollback();
  };
  const idle = setTimeout(() => void close(), IDLE_MS);
  idle.unref();
  try {
    await repo.prepareList(trx, q);
    const byMarket = await repo.marketSums(trx);
    return {
      byMarket,
      totals: totalOf(byMarket),
      close,
      rows: (batchSize = 2000) => readRows(trx, batchSize, idle, close),
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function* readRows(
  trx: Knex.Transaction,
  batchSize: number,
  idle: NodeJS.Timeout,
  close: () => Promise<void>,
): AsyncGenerator<ArrearsRow> {
  clearTimeout(idle);
  try {
    let rows = await repo.firstBatch(trx, batchSize);
    while (rows.length > 0) {
      yield* rows;
      if (rows.length < batchSize) break;
      rows = await repo.nextBatch(trx, rows[rows.length - 1], batchSize);
    }
  } finally {
    // Read-only: ending it early (a consumer that stops or fails) loses nothing.
    await close();
  }
}

/** The whole list in list order, batchSize rows at a time, from one snapshot. */
export async function* arrearsRows(deps: Deps, q: ArrearsQuery, batchSize = 2000): AsyncGenerator<ArrearsRow> {
  const snapshot = await openArrears(deps, q);
  yield* snapshot.rows(batchSize);
}

/** Every market a report covers, in list order, with or without arrears; 404 for a market not in
 * the region. */
export async function reportMarkets(
  deps: Deps,
  regionId: string,
  marketId?: string,
): Promise<{ id: string; code: string; name: string }[]> {
  const markets = await repo.regionMarkets(deps.knex, regionId, marketId);
  if (marketId && markets.length === 0) throw notFound('market', { field: 'marketId' });
  return markets;
}
