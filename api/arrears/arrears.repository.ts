// Arrears as of a date: per (market, stall, trader), unpaid principal by ageing bucket, penalty
// and credit. Every read runs in one REPEATABLE READ snapshot, so a list's rows and its totals
// (and every batch of a streamed report) describe the same ledger even while payments arrive.
import type { Knex } from 'knex';
import type { Deps } from '../core/deps';
import { Decimal } from '../core/money';
import { debtorsSql, laterAllocationsSql, NEXT_BATCH_SQL, ROW_ORDER, type SqlFilter } from './arrears.sql';

export interface ArrearsQuery {
  regionId: string;
  /** YYYY-MM-DD: past due means business_date < asOf */
  asOf: string;
  marketId?: string;
  traderId?: string;
}

/** What is owed, by ageing bucket: the same fields on a row and on any total of rows. */
export interface ArrearsAmounts {
  bucket1to30: Decimal;
  bucket31to60: Decimal;
  bucket61to90: Decimal;
  bucketOver90: Decimal;
  principal: Decimal;
  penalty: Decimal;
  credit: Decimal;
}

export interface ArrearsRow extends ArrearsAmounts {
  marketId: string;
  marketCode: string;
  marketName: string;
  stallId: string;
  stallCode: string;
  stallKind: string;
  stallBlock: string | null;
  traderId: string;
  traderName: string;
  /** null when only a penalty is owed */
  oldestUnpaidDate: string | null;
  maxDaysOverdue: number | null;
}

export interface ArrearsSums extends ArrearsAmounts {
  rows: number;
}

export interface MarketSums extends ArrearsSums {
  marketId: string;
  marketCode: string;
  marketName: string;
}

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
    bucket1to30: new Decimal(r.b1_30),
    bucket31to60: new Decimal(r.b31_60),
    bucket61to90: new Decimal(r.b61_90),
    bucketOver90: new Decimal(r.b90),
    principal: new Decimal(r.principal),
    penalty: new Decimal(r.penalty),
    credit: new Decimal(r.credit),
    oldestUnpaidDate: r.oldest,
    maxDaysOverdue: r.max_days,
  };
}

export const emptySums = (): ArrearsSums => ({
  rows: 0,
  bucket1to30: new Decimal(0),
  bucket31to60: new Decimal(0),
  bucket61to90: new Decimal(0),
  bucketOver90: new Decimal(0),
  principal: new Decimal(0),
  penalty: new Decimal(0),
  credit: new Decimal(0),
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

const bindings = (q: ArrearsQuery) => ({
  regionId: q.regionId,
  asOf: q.asOf,
  marketId: q.marketId ?? null,
  traderId: q.traderId ?? null,
});

/**
 * Computes the list for q once, set-based, into arrears_list (dropped at commit), indexed in list
 * order: pages, totals and streamed batches are then read from it, all from one snapshot.
 */
async function prepareList(trx: Knex.Transaction, q: ArrearsQuery): Promise<void> {
  const f: SqlFilter = { marketId: q.marketId, traderId: q.traderId };
  await trx.raw(laterAllocationsSql(f), bindings(q));
  await trx.raw('create index on arrears_later (assessment_id)');
  await trx.raw('analyze arrears_later');
  await trx.raw(`create temp table arrears_list on commit drop as ${debtorsSql(f)}`, bindings(q));
  await trx.raw(`create index on arrears_list (${ROW_ORDER})`);
  await trx.raw('analyze arrears_list');
}

function inSnapshot<T>(deps: Deps, q: ArrearsQuery, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return deps.knex.transaction(
    async (trx) => {
      await prepareList(trx, q);
      return fn(trx);
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** One page of the list (in list order) with the totals of the whole list, overall and per market. */
export async function arrearsPage(
  deps: Deps,
  q: ArrearsQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: ArrearsRow[]; byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
    const { rows } = await trx.raw(`select * from arrears_list order by ${ROW_ORDER} limit ? offset ?`, [
      page.limit,
      page.offset,
    ]);
    const byMarket = await marketSums(trx);
    return {
      rows: rows.map(fromRow),
      byMarket,
      totals: byMarket.reduce<ArrearsSums>((s, m) => addTo(s, m), emptySums()),
    };
  });
}

/** Totals of the list, overall and per market, without its rows. */
export async function arrearsTotals(
  deps: Deps,
  q: ArrearsQuery,
): Promise<{ byMarket: MarketSums[]; totals: ArrearsSums }> {
  return inSnapshot(deps, q, async (trx) => {
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
    marketId: r.market_id,
    marketCode: r.market_code,
    marketName: r.market_name,
    rows: r.rows,
    bucket1to30: new Decimal(r.b1_30),
    bucket31to60: new Decimal(r.b31_60),
    bucket61to90: new Decimal(r.b61_90),
    bucketOver90: new Decimal(r.b90),
    principal: new Decimal(r.principal),
    penalty: new Decimal(r.penalty),
    credit: new Decimal(r.credit),
  }));
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
    await prepareList(trx, q);
    const byMarket = await marketSums(trx);
    const totals = byMarket.reduce<ArrearsSums>((sum, m) => addTo(sum, m), emptySums());
    return { byMarket, totals, close, rows: (batchSize = 2000) => readRows(trx, batchSize, idle, close) };
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
    let { rows } = await trx.raw(`select * from arrears_list order by ${ROW_ORDER} limit ?`, [batchSize]);
    while (rows.length > 0) {
      for (const r of rows) yield fromRow(r);
      if (rows.length < batchSize) break;
      const last: DebtorRow = rows[rows.length - 1];
      ({ rows } = await trx.raw(NEXT_BATCH_SQL, {
        marketCode: last.market_code,
        stallCode: last.stall_code,
        traderName: last.trader_name,
        traderId: last.trader_id,
        batchSize,
      }));
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
