// An officer's decision on an exception, in SQL: the exception locked while it is decided, the
// decision kept, a pair linked by hand, and what a payment created from a bank's line needs to
// know (the line, the stall, its occupant that day, the terminal). resolve.service.ts holds the rules.
import type { Knex } from 'knex';

/** The exception as the decision needs it, locked until the decision commits (exceptions are
 * never deleted: the caller has just seen its id). */
export interface DecidedExceptionRow {
  region_id: string;
  id: string;
  business_date: string;
  kind: string;
  status: string;
  payment_id: string | null;
  settlement_line_id: string | null;
  acquirer_id: string | null;
  details: { payments?: { paymentId: string }[]; lines?: { settlementLineId: string }[] };
}

export async function lockException(trx: Knex.Transaction, regionId: string, id: string): Promise<DecidedExceptionRow> {
  return (
    await trx.raw(
      `select region_id, id, business_date::text as business_date, kind, status, payment_id, settlement_line_id::text as settlement_line_id, acquirer_id, details
           from reconciliation_exceptions where region_id = ? and id = ? for update`,
      [regionId, id],
    )
  ).rows[0];
}

export interface NewDecision {
  regionId: string;
  exceptionId: string;
  resolution: string;
  note: string;
  decidedBy: string;
  paymentId: string | null;
  settlementLineId: string | null;
  details: Record<string, unknown>;
}

export async function insertDecision(trx: Knex.Transaction, d: NewDecision): Promise<void> {
  await trx('reconciliation_decisions').insert({
    region_id: d.regionId,
    exception_id: d.exceptionId,
    resolution: d.resolution,
    note: d.note,
    decided_by: d.decidedBy,
    payment_id: d.paymentId,
    settlement_line_id: d.settlementLineId,
    details: JSON.stringify(d.details),
  });
}

export async function markResolved(
  trx: Knex.Transaction,
  e: { regionId: string; id: string },
  d: { resolution: string; resolvedBy: string; note: string },
): Promise<void> {
  await trx('reconciliation_exceptions').where({ region_id: e.regionId, id: e.id }).update({
    status: 'resolved',
    resolution: d.resolution,
    resolved_by: d.resolvedBy,
    resolved_at: trx.fn.now(),
    resolution_note: d.note,
  });
}

export async function findPayment(
  trx: Knex.Transaction,
  regionId: string,
  id: string,
): Promise<{ id: string; acquirer_id: string; business_date: string } | undefined> {
  return trx('payments').where({ region_id: regionId, id }).first('id', 'acquirer_id', 'business_date');
}

export async function findLine(
  trx: Knex.Transaction,
  regionId: string,
  id: string,
): Promise<{ id: string; acquirer_id: string } | undefined> {
  return trx('settlement_lines').where({ region_id: regionId, id }).first('id', 'acquirer_id');
}

/** A match that already holds the payment or the line. */
export async function findMatchOf(
  trx: Knex.Transaction,
  regionId: string,
  paymentId: string,
  lineId: string,
): Promise<{ payment_id: string; settlement_line_id: string } | undefined> {
  return trx('settlement_matches')
    .where({ region_id: regionId, payment_id: paymentId })
    .orWhere({ region_id: regionId, settlement_line_id: lineId })
    .first();
}

export async function insertManualMatch(
  trx: Knex.Transaction,
  m: { regionId: string; paymentId: string; lineId: string; businessDate: string },
): Promise<void> {
  await trx('settlement_matches').insert({
    region_id: m.regionId,
    payment_id: m.paymentId,
    settlement_line_id: m.lineId,
    method: 'manual',
    business_date: m.businessDate,
  });
}

/** A settlement line with what a payment recorded from it needs: its acquirer's channel, its
 * region's time zone. */
export interface LineToRecord {
  id: string;
  acquirer_id: string;
  rrn: string | null;
  tid: string | null;
  mid: string | null;
  stan: string | null;
  approval_code: string | null;
  masked_pan: string | null;
  gross: string;
  transacted_at: Date | null;
  transaction_date: string;
  channel: string;
  time_zone: string;
}

export async function lineToRecord(
  trx: Knex.Transaction,
  regionId: string,
  lineId: string | null,
): Promise<LineToRecord> {
  return (
    await trx.raw(
      `select sl.id::text as id, sl.acquirer_id, sl.rrn, sl.tid, sl.mid, sl.stan, sl.approval_code, sl.masked_pan, sl.gross::text as gross,
              sl.transacted_at, sl.transaction_date::text as transaction_date, a.channel, r.time_zone
         from settlement_lines sl join acquirers a on a.region_id = sl.region_id and a.id = sl.acquirer_id
         join regions r on r.id = sl.region_id
        where sl.region_id = ? and sl.id = ?`,
      [regionId, lineId],
    )
  ).rows[0];
}

/** The stall, kept from changing under the payment (its market, its tenancies) until commit. */
export async function lockStall(
  trx: Knex.Transaction,
  regionId: string,
  stallId: string,
): Promise<{ id: string; market_id: string } | undefined> {
  return (
    await trx.raw('select id, market_id from stalls where region_id = ? and id = ? for no key update', [
      regionId,
      stallId,
    ])
  ).rows[0];
}

/** Who occupied the stall on the date. */
export async function tenancyOn(
  trx: Knex.Transaction,
  regionId: string,
  stallId: string,
  date: string,
): Promise<{ trader_id: string } | undefined> {
  return (
    await trx.raw(
      `select trader_id from tenancies where region_id = ? and stall_id = ? and daterange(effective_from, effective_to, '[]') @> ?::date`,
      [regionId, stallId, date],
    )
  ).rows[0];
}

export async function terminalById(
  trx: Knex.Transaction,
  regionId: string,
  id: string,
): Promise<{ id: string; market_id: string } | undefined> {
  return trx('terminals').where({ region_id: regionId, id }).first('id', 'market_id');
}

/** The first terminal (by id) that carries this TID. */
export async function terminalByTid(
  trx: Knex.Transaction,
  regionId: string,
  tid: string,
): Promise<{ id: string; market_id: string } | undefined> {
  return trx('terminals').where({ region_id: regionId, tid }).orderBy('id').first('id', 'market_id');
}
