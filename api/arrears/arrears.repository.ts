// Arrears as of a date: per (market, stall, trader), unpaid principal by ageing bucket, penalty
// and credit. Every read runs in one REPEATABLE READ snapshot, so a list's rows and its totals
// (and every batch of a streamed report) describe the same ledger even while payments arrive.
import type { Knex } from 'knex';
import type { Deps } from '../deps';
import { Decimal } from '../shared/money';
import { debtorsSql, laterAllocationsSql, ROW_ORDER, stallPageSql, SqlFilter } from './arrears.sql';

export interface ArrearsQuery {
  regionId: string;
  /** YYYY-MM-DD: past due means business_date < asOf */
  asOf: string;
  marketId?: string;
  traderId?: string;
}

export interface ArrearsRow {
  marketId: string;
  marketCode: string;
  marketName: string;
  stallId: string;
  stallCode: string;
  stallKind: string;
  stallBlock: string | null;
  traderId: string;
  traderName: string;
  bucket1to30: Decimal;
  bucket31to60: Decimal;
  bucket61to90: Decimal;
  bucketOver90: Decimal;
  principal: Decimal;
  penalty: Decimal;
  credit: Decimal;
  /** null when only a penalty is owed */
  oldestUnpaidDate: string | null;
  maxDaysOverdue: number | null;
}

export interface ArrearsSums {
  rows: number;
  bucket1to30: Decimal;
  bucket31to60: Decimal;
  bucket61to90: Decimal;
  bucketOver90: Decimal;
  principal: Decimal;
  penalty: Decimal;
  credit: Decimal;
}

export interface MarketSums extends ArrearsSums {
  marketId: string;
  marketCode: string;
  marketName: string;
}

interface DebtorRow {
  market_id: string; market_code: string; market_name: string;
  stall_id: string; stall_code: string; stall_kind: string; stall_block: string | null;
  trader_id: string; trader_name: string;
  b1_30: string; b31_60: string; b61_90: string; b90: string;
  principal: string; penalty: string; credit: string;
  oldest: string | null; max_days: number | null;
}

function fromRow(r: DebtorRow): ArrearsRow {
  return {
    marketId: r.market_id, marketCode: r.market_code, marketName: r.market_name,
    stallId: r.stall_id, stallCode: r.stall_code, stallKind: r.stall_kind, stallBlock: r.stall_block,
    traderId: r.trader_id, traderName: r.trader_name,
    bucket1to30: new Decimal(r.b1_30), bucket31to60: new Decimal(r.b31_60),
    bucket61to90: new Decimal(r.b61_90), bucketOver90: new Decimal(r.b90),
    principal: new Decimal(r.principal), penalty: new Decimal(r.penalty), credit: new Decimal(r.credit),
    oldestUnpaidDate: r.oldest, maxDaysOverdue: r.max_days,
  };
}

export const emptySums = (): ArrearsSums => ({
  rows: 0, bucket1to30: new Decimal(0), bucket31to60: new Decimal(0), bucket61to90: new Decimal(0),
  bucketOver90: new Decimal(0), principal: new Decimal(0), penalty: new Decimal(0), credit: new Decimal(0),
});

/** Adds a row (or another sum) into a running sum: the report's subtotals use it too. */
export function addTo(sum: ArrearsSums, r: ArrearsRow | ArrearsSums): ArrearsSums {
  return {
    rows: sum.rows + ('rows' in r ? r.rows : 1),
    bucket1to30: sum.bucket1to30.plus(r.bucket1to30),
    bucket31to60: sum.bucket31to60.plus(r.bucket31to60),
    bucket61to90: sum.bucket61to90.plus(r.bucket61to90),
    bucketOver90: sum.bucketOver90.plus(r.bucketOver90),
    principal: sum.principal.plus(r.principal),
    penalty: sum.penalty.plus(r.penalty),
    credit: sum.credit.plus(r.credit),
  };
}

const bindings = (q: ArrearsQuery, extra: Record<string, unknown> = {}) => ({
  regionId: q.regionId, asOf: q.asOf, marketId: q.marketId ?? null, traderId: q.traderId ?? null, ...extra,
});

/** Runs fn in a read snapshot holding arrears_later for q (dropped at commit). */
async function inSnapshot<T>(deps: Deps, q: ArrearsQuery, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return deps.knex.transaction(async (trx) => {
    await prepareSnapshot(trx, q);
    return fn(trx);
  }, { isolationLevel: 'repeatable read' });
}

async function prepareSnapshot(trx: Knex.Transaction, q: ArrearsQuery): Promise<void> {
  const f: SqlFilter = { marketId: q.marketId, traderId: q.traderId };
  await trx.raw(laterAllocationsSql(f), bindings(q));
  await trx.raw('create index on arrears_later (assessment_id)');
  await trx.raw('create index on arrears_later (stall_id)');
  await trx.raw('analyze arrears_later');
}

/**
 * One page of the list (in list order) with the totals of the whole list, overall and per
 * market, from one snapshot: the rows are computed once into a temp table, then paged and summed.
 */
export async function arrearsPage(deps: Deps, q: ArrearsQuery, page: { limit: number; offset: number }):
  Promise<{ rows: ArrearsRow[]; byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
    await trx.raw(`create temp table arrears_list on commit drop as ${debtorsSql({ marketId: q.marketId, traderId: q.traderId })}`, bindings(q));
    const { rows } = await trx.raw(`select * from arrears_list order by ${ROW_ORDER} limit ? offset ?`, [page.limit, page.offset]);
    const byMarket = await marketSums(trx);
    return { rows: rows.map(fromRow), byMarket, totals: byMarket.reduce<ArrearsSums>((s, m) => addTo(s, m), emptySums()) };
  });
}

/** Totals of the list, overall and per market, without its rows. */
export async function arrearsTotals(deps: Deps, q: ArrearsQuery): Promise<{ byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
    await trx.raw(`create temp table arrears_list on commit drop as ${debtorsSql({ marketId: q.marketId, traderId: q.traderId })}`, bindings(q));
    const byMarket = await marketSums(trx);
    return { byMarket, totals: byMarket.reduce<ArrearsSums>((s, m) => addTo(s, m), emptySums()) };
  });
}

async function marketSums(trx: Knex.Transaction): Promise<MarketSums[]> {
  const { rows } = await trx.raw(`
    select market_id, market_code, market_name, count(*)::int as rows,
           sum(b1_30) as b1_30, sum(b31_60) as b31_60, sum(b61_90) as b61_90, sum(b90) as b90,
           sum(principal) as principal, sum(penalty) as penalty, sum(credit) as credit
      from arrears_list group by market_id, market_code, market_name order by market_code`);
  return rows.map((r: DebtorRow & { rows: number }) => ({
    marketId: r.market_id, marketCode: r.market_code, marketName: r.market_name, rows: r.rows,
    bucket1to30: new Decimal(r.b1_30), bucket31to60: new Decimal(r.b31_60),
    bucket61to90: new Decimal(r.b61_90), bucketOver90: new Decimal(r.b90),
    principal: new Decimal(r.principal), penalty: new Decimal(r.penalty), credit: new Decimal(r.credit),
  }));
}

/**
 * The whole list in list order, fetched batchSize stalls at a time (keyset on market code and
 * stall code, so a stall's rows never straddle two batches): a report of 50,000 stalls holds one
 * batch in memory, never the list. All batches come from one snapshot.
 */
export async function* arrearsRows(deps: Deps, q: ArrearsQuery, batchSize = 2000): AsyncGenerator<ArrearsRow> {
  const trx = await deps.knex.transaction({ isolationLevel: 'repeatable read' });
  try {
    await prepareSnapshot(trx, q);
    let after: { market_code: string; stall_code: string } | undefined;
    for (;;) {
      const page = await trx.raw(stallPageSql(q, after !== undefined), bindings(q, {
        batchSize, afterMarket: after?.market_code ?? null, afterStall: after?.stall_code ?? null,
      }));
      if (page.rows.length === 0) break;
      const stallIds = page.rows.map((s: { id: string }) => s.id);
      const { rows } = await trx.raw(`${debtorsSql({ ...q, stallIds })} order by ${ROW_ORDER}`, bindings(q, { stallIds }));
      for (const r of rows) yield fromRow(r);
      if (page.rows.length < batchSize) break;
      after = page.rows[page.rows.length - 1];
    }
    await trx.commit();
  } finally {
    // A consumer that stops early (or fails) ends the snapshot too; nothing was written.
    if (!trx.isCompleted()) await trx.rollback();
  }
}
