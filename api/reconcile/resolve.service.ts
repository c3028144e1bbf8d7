// An officer's decision on a reconciliation exception. Every decision is a row of
// reconciliation_decisions (who, when, why, what it did); the exception keeps its findings and
// only changes status. Decisions:
//   accept-bank  take the bank's line as the truth. For a line the ledger never had, the missing
//                payment is created for the stall the officer names (allocated like any payment,
//                with a receipt from the terminal whose TID the line carries, or the one named);
//                for other kinds, the bank's figure is accepted as it stands.
//   link         pair a ledger payment and a settlement line by hand.
//   reversed     the bank or the trader reversed it; nothing more is expected.
//   write-off    the difference is written off.
// The date is reconciled again afterwards, so a link or a created payment clears what it answers.
import Decimal from 'decimal.js';
import { z } from 'zod';
import { text } from '../core/text';
import type { Knex } from 'knex';
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { conflict, forbidden, notFound, unprocessable } from '../core/errors';
import { newReceiptCode } from '../receipts/receipt-code';
import { reconcileDay, type ReconciliationSummary } from './reconcile.service';

export const RESOLUTIONS = ['accept-bank', 'reversed', 'write-off', 'link'] as const;

export const resolveSchema = z
  .object({
    resolution: z.enum(RESOLUTIONS),
    note: text('lines').trim().min(3, 'say why, in a few words at least').max(2000),
    stallId: z.string().uuid().optional(),
    terminalId: text().min(3).max(32).optional(),
    paymentId: z.string().uuid().optional(),
    settlementLineId: z
      .string()
      .regex(/^[0-9]{1,18}$/, 'must be a settlement line id')
      .optional(),
  })
  .strict();
export type ResolveInput = z.infer<typeof resolveSchema>;

interface ExceptionRow {
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

export async function resolveException(
  deps: Deps,
  who: Principal,
  id: string,
  input: ResolveInput,
): Promise<{ exception: unknown; reconciliation: ReconciliationSummary }> {
  const found = await deps.knex('reconciliation_exceptions').where({ id }).first('region_id');
  if (!found) throw notFound('reconciliation exception');
  if (!(who.role === 'admin' || (who.role === 'officer' && who.regionId === found.region_id)))
    throw forbidden('this region is outside your scope');

  const date = await deps.knex.transaction(async (trx) => {
    const e: ExceptionRow = (
      await trx.raw(
        `select region_id, id, business_date::text as business_date, kind, status, payment_id, settlement_line_id::text as settlement_line_id, acquirer_id, details
           from reconciliation_exceptions where region_id = ? and id = ? for update`,
        [found.region_id, id],
      )
    ).rows[0];
    if (e.status !== 'open')
      throw conflict('exception-not-open', `this exception is ${e.status}; only an open one can be resolved`, {
        status: e.status,
      });
    const effect = await carryOut(deps, trx, e, input);
    await trx('reconciliation_decisions').insert({
      region_id: e.region_id,
      exception_id: e.id,
      resolution: input.resolution,
      note: input.note,
      decided_by: who.sub,
      payment_id: effect.paymentId ?? null,
      settlement_line_id: effect.settlementLineId ?? null,
      details: JSON.stringify(effect.details ?? {}),
    });
    await trx('reconciliation_exceptions').where({ region_id: e.region_id, id: e.id }).update({
      status: 'resolved',
      resolution: input.resolution,
      resolved_by: who.sub,
      resolved_at: trx.fn.now(),
      resolution_note: input.note,
    });
    return e.business_date;
  });
  const reconciliation = await reconcileDay(deps, found.region_id, date);
  return { exception: await exceptionView(deps.knex, id), reconciliation };
}

interface Effect {
  paymentId?: string;
  settlementLineId?: string;
  details?: Record<string, unknown>;
}

async function carryOut(deps: Deps, trx: Knex.Transaction, e: ExceptionRow, input: ResolveInput): Promise<Effect> {
  if (input.resolution === 'link') return link(trx, e, input);
  if (input.resolution === 'accept-bank' && e.kind === 'settled-not-in-ledger') return acceptLine(deps, trx, e, input);
  return { paymentId: e.payment_id ?? undefined, settlementLineId: e.settlement_line_id ?? undefined };
}

async function link(trx: Knex.Transaction, e: ExceptionRow, input: ResolveInput): Promise<Effect> {
  const paymentId = e.payment_id ?? input.paymentId;
  const lineId = e.settlement_line_id ?? input.settlementLineId;
  if (!paymentId)
    throw unprocessable('payment-required', 'name the ledger payment to link this line to', { field: 'paymentId' });
  if (!lineId)
    throw unprocessable('settlement-line-required', 'name the settlement line to link this payment to', {
      field: 'settlementLineId',
    });
  // An ambiguous match is settled by choosing among its own candidates.
  if (e.kind === 'ambiguous-match') {
    if (!(e.details.payments ?? []).some((c) => c.paymentId === paymentId)) {
      throw unprocessable('not-a-candidate', 'this payment is not one of the candidates of this exception', {
        field: 'paymentId',
      });
    }
    if (!(e.details.lines ?? []).some((c) => c.settlementLineId === String(lineId))) {
      throw unprocessable('not-a-candidate', 'this settlement line is not one of the candidates of this exception', {
        field: 'settlementLineId',
      });
    }
  }
  const p = await trx('payments')
    .where({ region_id: e.region_id, id: paymentId })
    .first('id', 'acquirer_id', 'business_date');
  if (!p) throw unprocessable('payment-not-found', 'no payment in this region has that id', { field: 'paymentId' });
  const l = await trx('settlement_lines').where({ region_id: e.region_id, id: lineId }).first('id', 'acquirer_id');
  if (!l)
    throw unprocessable('settlement-line-not-found', 'no settlement line in this region has that id', {
      field: 'settlementLineId',
    });
  if (p.acquirer_id !== l.acquirer_id)
    throw unprocessable('acquirer-mismatch', 'the payment and the line are of different acquirers', {
      field: 'settlementLineId',
    });
  const taken = await trx('settlement_matches')
    .where({ region_id: e.region_id, payment_id: paymentId })
    .orWhere({ region_id: e.region_id, settlement_line_id: lineId })
    .first();
  if (taken)
    throw conflict('already-matched', 'the payment or the line is already matched', {
      paymentId: taken.payment_id,
      settlementLineId: String(taken.settlement_line_id),
    });
  await trx('settlement_matches').insert({
    region_id: e.region_id,
    payment_id: paymentId,
    settlement_line_id: lineId,
    method: 'manual',
    business_date: p.business_date,
  });
  return { paymentId, settlementLineId: String(lineId) };
}

/** The payment the terminal never delivered, created from the bank's line for the stall named. */
async function acceptLine(deps: Deps, trx: Knex.Transaction, e: ExceptionRow, input: ResolveInput): Promise<Effect> {
  if (!input.stallId)
    throw unprocessable('stall-required', 'name the stall this payment was for', { field: 'stallId' });
  const line = (
    await trx.raw(
      `select sl.id::text as id, sl.acquirer_id, sl.rrn, sl.tid, sl.mid, sl.stan, sl.approval_code, sl.masked_pan, sl.gross::text as gross,
              sl.transacted_at, sl.transaction_date::text as transaction_date, a.channel, r.time_zone
         from settlement_lines sl join acquirers a on a.region_id = sl.region_id and a.id = sl.acquirer_id
         join regions r on r.id = sl.region_id
        where sl.region_id = ? and sl.id = ?`,
      [e.region_id, e.settlement_line_id],
    )
  ).rows[0];
  const stall = (
    await trx.raw('select id, market_id from stalls where region_id = ? and id = ? for no key update', [
      e.region_id,
      input.stallId,
    ])
  ).rows[0];
  if (!stall) throw unprocessable('stall-not-found', 'no stall in this region has that id', { field: 'stallId' });
  const tenancy = (
    await trx.raw(
      `select trader_id from tenancies where region_id = ? and stall_id = ? and daterange(effective_from, effective_to, '[]') @> ?::date`,
      [e.region_id, stall.id, line.transaction_date],
    )
  ).rows[0];
  if (!tenancy)
    throw unprocessable('stall-not-occupied', 'nobody occupied this stall on the transaction date', {
      field: 'stallId',
    });
  const terminal = input.terminalId
    ? await trx('terminals').where({ region_id: e.region_id, id: input.terminalId }).first('id', 'market_id')
    : line.tid
      ? await trx('terminals').where({ region_id: e.region_id, tid: line.tid }).orderBy('id').first('id', 'market_id')
      : undefined;
  if (!terminal)
    throw unprocessable('terminal-required', "no terminal has the line's TID: name the terminal that took it", {
      field: 'terminalId',
    });
  if (terminal.market_id !== stall.market_id)
    throw unprocessable('terminal-market-mismatch', "the terminal is not in the stall's market", {
      field: 'terminalId',
    });
  const maskedPan = line.masked_pan && /^[0-9]{0,6}[*Xx]{4,}[0-9]{0,4}$/.test(line.masked_pan) ? line.masked_pan : null;
  const paidAt = line.transacted_at ?? new Date(`${line.transaction_date}T12:00:00Z`);
  const response = (
    await trx.raw('select ledger_record_payment(?::jsonb) as r', [
      JSON.stringify({
        regionId: e.region_id,
        stallId: stall.id,
        traderId: tenancy.trader_id,
        marketId: stall.market_id,
        terminalId: terminal.id,
        acquirerId: line.acquirer_id,
        channel: line.channel,
        amount: line.gross,
        paidAt: paidAt.toISOString(),
        businessDate: line.transaction_date,
        receiptCode: newReceiptCode(),
        verifyBaseUrl: deps.config.PUBLIC_BASE_URL,
        clientTxnId: `reconciliation-${line.id}`,
        requestHash: `settlement-line-${line.id}`,
        tid: line.tid,
        mid: line.mid,
        stan: line.stan,
        rrn: line.rrn,
        approvalCode: line.approval_code,
        maskedPan,
      }),
    ])
  ).rows[0].r as { paymentId: string };
  await trx('settlement_matches').insert({
    region_id: e.region_id,
    payment_id: response.paymentId,
    settlement_line_id: line.id,
    method: 'manual',
    business_date: line.transaction_date,
  });
  return { paymentId: response.paymentId, settlementLineId: line.id, details: { payment: response } };
}

export async function exceptionView(db: Knex, id: string): Promise<Record<string, unknown>> {
  const r = (
    await db.raw(
      `select e.*, e.business_date::text as business_date, e.settlement_line_id::text as settlement_line_id,
              e.statement_entry_id::text as statement_entry_id, a.code as acquirer_code,
              coalesce((select jsonb_agg(jsonb_build_object('resolution', d.resolution, 'note', d.note, 'decidedBy', d.decided_by,
                 'decidedAt', ledger_iso(d.decided_at), 'paymentId', d.payment_id, 'settlementLineId', d.settlement_line_id::text) order by d.id)
                 from reconciliation_decisions d where d.region_id = e.region_id and d.exception_id = e.id), '[]') as decisions
         from reconciliation_exceptions e left join acquirers a on a.region_id = e.region_id and a.id = e.acquirer_id
        where e.id = ?`,
      [id],
    )
  ).rows[0];
  return toView(r);
}

/** Two decimals at least, more only when the bank wrote significant ones (an MDR of 8.125). */
function amount(v: string | null): string | null {
  if (v === null) return null;
  const d = new Decimal(v);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
}

// biome-ignore lint/suspicious/noExplicitAny: a row of several joined tables, read field by field
export function toView(r: Record<string, any>): Record<string, unknown> {
  return {
    id: r.id,
    regionId: r.region_id,
    businessDate: r.business_date,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    acquirer: r.acquirer_code ?? null,
    channel: r.channel,
    paymentId: r.payment_id,
    settlementLineId: r.settlement_line_id,
    batch: r.batch,
    statementEntryId: r.statement_entry_id,
    ledgerAmount: amount(r.ledger_amount),
    bankAmount: amount(r.bank_amount),
    difference: amount(r.difference),
    details: r.details,
    openedAt: r.opened_at,
    clearedAt: r.cleared_at,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    note: r.resolution_note,
    decisions: r.decisions ?? [],
  };
}
