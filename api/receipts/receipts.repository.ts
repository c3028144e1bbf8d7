// The reads behind the public receipt check: the receipt with its payment, where it was paid and
// by whom, whether it was voided, and what the payment settled: days of retribusi (allocations)
// and months of penalty on them (penalty_allocations), as they were settled (rows above zero; a
// void adds negative rows and leaves these as they were).
import type { Db } from '../../db/knex';

export interface ReceiptRow {
  code: string;
  serial: string | number;
  terminal_id: string | null;
  issued_at: Date;
  payment_id: string;
  region_id: string;
  paid_at: Date;
  business_date: string;
  channel: string;
  amount: string;
  allocated_amount: string;
  penalty_amount: string;
  credit_amount: string;
  masked_pan: string | null;
  rrn: string | null;
  journal_entry_id: string;
  region: string;
  time_zone: string;
  market: string;
  stall_code: string;
  trader: string;
  /** set when the payment was voided (payment_voids) */
  voided_at: Date | null;
}

export function findReceipt(db: Db, code: string): Promise<ReceiptRow | undefined> {
  return db('receipts as rc')
    .join('payments as p', function () {
      this.on('p.region_id', 'rc.region_id').andOn('p.id', 'rc.payment_id');
    })
    .join('regions as r', 'r.id', 'rc.region_id')
    .join('markets as m', function () {
      this.on('m.region_id', 'p.region_id').andOn('m.id', 'p.market_id');
    })
    .join('stalls as s', function () {
      this.on('s.region_id', 'p.region_id').andOn('s.id', 'p.stall_id');
    })
    .join('traders as t', function () {
      this.on('t.region_id', 'p.region_id').andOn('t.id', 'p.trader_id');
    })
    .leftJoin('payment_voids as v', function () {
      this.on('v.region_id', 'p.region_id').andOn('v.payment_id', 'p.id');
    })
    .where('rc.code', code)
    .first(
      'rc.code',
      'rc.serial',
      'rc.terminal_id',
      'rc.issued_at',
      'p.id as payment_id',
      'p.region_id',
      'p.paid_at',
      'p.business_date',
      'p.channel',
      'p.amount',
      'p.allocated_amount',
      'p.penalty_amount',
      'p.credit_amount',
      'p.masked_pan',
      'p.rrn',
      'p.journal_entry_id',
      'r.name as region',
      'r.time_zone',
      'm.name as market',
      's.code as stall_code',
      't.name as trader',
      'v.voided_at',
    );
}

/** The days a payment settled (allocations above zero), oldest first. */
export function settledDays(
  db: Db,
  regionId: string,
  paymentId: string,
): Promise<{ business_date: string; amount: string }[]> {
  return db('allocations as al')
    .join('assessments as a', function () {
      this.on('a.region_id', 'al.region_id').andOn('a.id', 'al.assessment_id');
    })
    .where({ 'al.region_id': regionId, 'al.payment_id': paymentId })
    .where('al.amount', '>', 0)
    .orderBy('a.business_date')
    .select('a.business_date', 'al.amount');
}

/** The penalty months a payment settled (penalty_allocations above zero): the day whose
 * retribusi bore the penalty and the month of it, oldest day first. */
export function settledPenalties(
  db: Db,
  regionId: string,
  paymentId: string,
): Promise<{ business_date: string; month_no: number; amount: string }[]> {
  return db('penalty_allocations as pa')
    .join('penalty_charges as c', function () {
      this.on('c.region_id', 'pa.region_id').andOn('c.id', 'pa.penalty_charge_id');
    })
    .join('assessments as a', function () {
      this.on('a.region_id', 'pa.region_id').andOn('a.id', 'pa.assessment_id');
    })
    .where({ 'pa.region_id': regionId, 'pa.payment_id': paymentId })
    .where('pa.amount', '>', 0)
    .orderBy([{ column: 'a.business_date' }, { column: 'c.month_no' }, { column: 'pa.id' }])
    .select('a.business_date', 'c.month_no', 'pa.amount');
}
