// The counts and sums a reconciliation summary is made of (summary.ts puts them together), one
// statement each, per acquirer.
import type { Db } from '../../db/knex';
import type { ExceptionKind } from './exceptions';
import { SETTLEABLE } from './match-payments.sql';

export interface PaymentTotalsRow {
  acquirer_id: string;
  matched: boolean;
  count: string;
  amount: string;
}

export interface LineTotalsRow {
  acquirer_id: string;
  lines: string;
  gross: string;
  mdr: string;
  net: string;
}

export interface BatchTotalsRow {
  acquirer_id: string;
  batches: string;
  credited: string;
  awaiting: string;
  credited_amount: string | null;
}

export interface ExceptionCountsRow {
  kind: ExceptionKind;
  status: string;
  count: string;
  amount: string | null;
}

/** The date's settleable payments, matched and not. */
export async function paymentTotals(db: Db, regionId: string, date: string): Promise<PaymentTotalsRow[]> {
  return (
    await db.raw(
      `select p.acquirer_id, (m.payment_id is not null) as matched, count(*) as count, sum(p.amount)::text as amount
         from payments p
         left join settlement_matches m on m.region_id = p.region_id and m.payment_id = p.id
        where p.region_id = :region and p.business_date = cast(:date as date) and ${SETTLEABLE}
        group by 1, 2`,
      { region: regionId, date },
    )
  ).rows;
}

/** The date's settlement lines: gross, fees and net. */
export async function lineTotals(db: Db, regionId: string, date: string): Promise<LineTotalsRow[]> {
  return (
    await db.raw(
      `select acquirer_id, count(*) as lines, sum(gross)::text as gross, sum(mdr + other_fees)::text as mdr, sum(net)::text as net
         from settlement_lines where region_id = :region and transaction_date = cast(:date as date) group by 1`,
      { region: regionId, date },
    )
  ).rows;
}

/** Batches first seen on this date: credited, and awaiting a statement. */
export async function batchTotals(db: Db, regionId: string, date: string): Promise<BatchTotalsRow[]> {
  return (
    await db.raw(
      `with mine as (
         select sl.acquirer_id, sl.batch, max(sl.settlement_date) as settlement_date
           from settlement_lines sl
          where sl.region_id = :region and sl.batch is not null
            and (sl.acquirer_id, sl.batch) in (select acquirer_id, batch from settlement_lines
                                                where region_id = :region and transaction_date = cast(:date as date) and batch is not null)
          group by 1, 2 having min(sl.transaction_date) = cast(:date as date))
       select mine.acquirer_id, count(*) as batches, count(sp.batch) as credited, sum(sp.credited)::text as credited_amount,
              count(*) filter (where sp.batch is null and not exists (
                select 1 from bank_statements s where s.region_id = :region and s.closing_date >= mine.settlement_date))
                as awaiting
         from mine left join settlement_postings sp on sp.region_id = :region and sp.acquirer_id = mine.acquirer_id and sp.batch = mine.batch
        group by 1`,
      { region: regionId, date },
    )
  ).rows;
}

/** The date's exceptions by kind and status, with the amounts they are about. */
export async function exceptionCounts(db: Db, regionId: string, date: string): Promise<ExceptionCountsRow[]> {
  return (
    await db.raw(
      `select kind, status, count(*) as count, sum(abs(coalesce(difference, bank_amount, ledger_amount)))::text as amount
         from reconciliation_exceptions where region_id = :region and business_date = cast(:date as date) group by 1, 2`,
      { region: regionId, date },
    )
  ).rows;
}
