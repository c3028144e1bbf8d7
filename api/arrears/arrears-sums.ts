// What arrears are made of: a row per (market, stall, trader) with its unpaid principal by ageing
// bucket, penalty and credit, and sums of rows that add the same way (the API's totals, the
// pages' filtered totals and the report's subtotals all use addTo).
import { Decimal } from '../core/money';

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
