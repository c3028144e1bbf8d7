// Arrears as of a date in SQL: per (market, stall, trader), unpaid principal by ageing bucket,
// penalty and credit. The list is computed once into a temp table inside the caller's REPEATABLE
// READ transaction (arrears.service.ts opens it), so a list's rows and its totals (and every batch
// of a streamed report) describe the same ledger even while payments arrive.
import type { Knex } from 'knex';
import type { Db } from '../../db/knex';
import { Decimal } from '../core/money';
import type { ArrearsAmounts, ArrearsQuery, ArrearsRow, MarketSums } from './arrears-sums';
import { debtorsSql, laterAllocationsSql, NEXT_BATCH_SQL, ROW_ORDER, type SqlFilter } from './arrears.sql';

interface DebtorRow {
  market_id: string;
  market_code: string;
  market_name: string;
  stall_id: string;
  stall_code: string;
  stall_kind: string;
  stall_block: string | null;
  trader_id: string;
  trader_name: string;
  b1_30: string;
  b31_60: string;
  b61_90: string;
  b90: string;
  principal: string;
  penalty: string;
  credit: string;
  oldest: string | null;
  max_days: number | null;
}

function fromRow(r: DebtorRow): ArrearsRow {
  return {
    marketId: r.market_id,
    marketCode: r.market_code,
    marketName: r.market_name,
    stallId: r.stall_id,
    stallCode: r.stall_code,
    stallKind: r.stall_kind,
    stallBlock: r.stall_block,
    traderId: r.trader_id,
    traderName: r.trader_name,
    ...amountsOf(r),
    oldestUnpaidDate: r.oldest,
    maxDaysOverdue: r.max_days,
  };
}

const bindings = (q: ArrearsQuery) => ({
  regionId: q.regionId,
  asOf: q.asOf,
  marketId: q.marketId ?? null,
  traderId: q.traderId ?? null,
});

/** The money columns of an arrears row or total, converted once. */
function amountsOf(r: {
  b1_30: string;
  b31_60: string;
  b61_90: string;
  b90: string;
  principal: string;
  penalty: string;
  credit: string;
}): ArrearsAmounts {
  return {
    bucket1to30: new Decimal(r.b1_30),
    bucket31to60: new Decimal(r.b31_60),
    bucket61to90: new Decimal(r.b61_90),
    bucketOver90: new Decimal(r.b90),
    principal: new Decimal(r.principal),
    penalty: new Decimal(r.penalty),
    credit: new Decimal(r.credit),
  };
}

/**
 * Computes the list for q once, set-based, into arrears_list (dropped at commit), indexed in list
 * order: pages, totals and streamed batches are then read from it, all from one snapshot.
 */
export async function prepareList(trx: Knex.Transaction, q: ArrearsQuery): Promise<void> {
  const f: SqlFilter = { marketId: q.marketId, traderId: q.traderId };
  await trx.raw(laterAllocationsSql(f), bindings(q));
  await trx.raw('create index on arrears_later (assessment_id)');
  await trx.raw('analyze arrears_later');
  await trx.raw(`create temp table arrears_list on commit drop as ${debtorsSql(f)}`, bindings(q));
  await trx.raw(`create index on arrears_list (${ROW_ORDER})`);
  await trx.raw('analyze arrears_list');
}

/** One page of the prepared list, in list order. */
export async function listPage(trx: Knex.Transaction, page: { limit: number; offset: number }): Promise<ArrearsRow[]> {
  const { rows } = await trx.raw(`select * from arrears_list order by ${ROW_ORDER} limit ? offset ?`, [
    page.limit,
    page.offset,
  ]);
  return rows.map(fromRow);
}

/** The prepared list's sums per market, by market code. */
export async function marketSums(trx: Knex.Transaction): Promise<MarketSums[]> {
  const { rows } = await trx.raw(`
    select market_id, market_code, market_name, count(*)::int as rows,
           sum(b1_30) as b1_30, sum(b31_60) as b31_60, sum(b61_90) as b61_90, sum(b90) as b90,
           sum(principal) as principal, sum(penalty) as penalty, sum(credit) as credit
      from arrears_list group by market_id, market_code, market_name order by market_code`);
  return rows.map((r: DebtorRow & { rows: number }) => ({
    marketId: r.market_id,
    marketCode: r.market_code,
    marketName: r.market_name,
    rows: r.rows,
    ...amountsOf(r),
  }));
}

/** The prepared list's first batchSize rows, in list order. */
export async function firstBatch(trx: Knex.Transaction, batchSize: number): Promise<ArrearsRow[]> {
  const { rows } = await trx.raw(`select * from arrears_list order by ${ROW_ORDER} limit ?`, [batchSize]);
  return rows.map(fromRow);
}

/** The batchSize rows after `last` (keyset on market code, stall code, trader name, trader id). */
export async function nextBatch(trx: Knex.Transaction, last: ArrearsRow, batchSize: number): Promise<ArrearsRow[]> {
  const { rows } = await trx.raw(NEXT_BATCH_SQL, {
    marketCode: last.marketCode,
    stallCode: last.stallCode,
    traderName: last.traderName,
    traderId: last.traderId,
    batchSize,
  });
  return rows.map(fromRow);
}

/** The region a market is in (undefined when there is no such market). */
export function marketRegion(db: Db, marketId: string): Promise<{ id: string; region_id: string } | undefined> {
  return db('markets').where({ id: marketId }).first('id', 'region_id');
}

export async function traderExists(db: Db, regionId: string, traderId: string): Promise<boolean> {
  return !!(await db('traders').where({ region_id: regionId, id: traderId }).first('id'));
}

/** A region's markets by code (only the one named, when marketId is given). */
export function regionMarkets(
  db: Db,
  regionId: string,
  marketId?: string,
): Promise<{ id: string; code: string; name: string }[]> {
  const q = db('markets').where({ region_id: regionId }).orderBy('code').select('id', 'code', 'name');
  return marketId ? q.where({ id: marketId }) : q;
}
