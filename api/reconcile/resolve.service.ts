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
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { conflict, forbidden, notFound, unprocessable } from '../core/errors';
import { recordPayment } from '../ledger/post';
import { newReceiptCode } from '../receipts/receipt-code';
import type { Knex } from 'knex';
import { exceptionView } from './exceptions.service';
import { findExceptionRegion } from './reconcile.repository';
import type { ResolveInput } from './reconcile.schemas';
import { reconcileDay, type ReconciliationSummary } from './reconcile.service';
import * as repo from './resolve.repository';

type ExceptionRow = repo.DecidedExceptionRow;

export async function resolveException(
  deps: Deps,
  who: Principal,
  id: string,
  input: ResolveInput,
): Promise<{ exception: unknown; reconciliation: ReconciliationSummary }> {
  const found = await findExceptionRegion(deps.knex, id);
  if (!found) throw notFound('reconciliation exception');
  if (!(who.role === 'admin' || (who.role === 'officer' && who.regionId === found.region_id)))
    throw forbidden('this region is outside your scope');

  const date = await deps.knex.transaction(async (trx) => {
    const e = await repo.lockException(trx, found.region_id, id);
    if (e.status !== 'open')
      throw conflict('exception-not-open', `this exception is ${e.status}; only an open one can be resolved`, {
        status: e.status,
      });
    const effect = await carryOut(deps, trx, e, input);
    await repo.insertDecision(trx, {
      regionId: e.region_id,
      exceptionId: e.id,
      resolution: input.resolution,
      note: input.note,
      decidedBy: who.sub,
      paymentId: effect.paymentId ?? null,
      settlementLineId: effect.settlementLineId ?? null,
      details: effect.details ?? {},
    });
    await repo.markResolved(
      trx,
      { regionId: e.region_id, id: e.id },
      { resolution: input.resolution, resolvedBy: who.sub, note: input.note },
    );
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
  const p = await repo.findPayment(trx, e.region_id, paymentId);
  if (!p) throw unprocessable('payment-not-found', 'no payment in this region has that id', { field: 'paymentId' });
  const l = await repo.findLine(trx, e.region_id, lineId);
  if (!l)
    throw unprocessable('settlement-line-not-found', 'no settlement line in this region has that id', {
      field: 'settlementLineId',
    });
  if (p.acquirer_id !== l.acquirer_id)
    throw unprocessable('acquirer-mismatch', 'the payment and the line are of different acquirers', {
      field: 'settlementLineId',
    });
  const taken = await repo.findMatchOf(trx, e.region_id, paymentId, lineId);
  if (taken)
    throw conflict('already-matched', 'the payment or the line is already matched', {
      paymentId: taken.payment_id,
      settlementLineId: String(taken.settlement_line_id),
    });
  await repo.insertManualMatch(trx, {
    regionId: e.region_id,
    paymentId,
    lineId,
    businessDate: p.business_date,
  });
  return { paymentId, settlementLineId: String(lineId) };
}

/** The payment the terminal never delivered, created from the bank's line for the stall named. */
async function acceptLine(deps: Deps, trx: Knex.Transaction, e: ExceptionRow, input: ResolveInput): Promise<Effect> {
  if (!input.stallId)
    throw unprocessable('stall-required', 'name the stall this payment was for', { field: 'stallId' });
  const line = await repo.lineToRecord(trx, e.region_id, e.settlement_line_id);
  const stall = await repo.lockStall(trx, e.region_id, input.stallId);
  if (!stall) throw unprocessable('stall-not-found', 'no stall in this region has that id', { field: 'stallId' });
  const tenancy = await repo.tenancyOn(trx, e.region_id, stall.id, line.transaction_date);
  if (!tenancy)
    throw unprocessable('stall-not-occupied', 'nobody occupied this stall on the transaction date', {
      field: 'stallId',
    });
  const terminal = input.terminalId
    ? await repo.terminalById(trx, e.region_id, input.terminalId)
    : line.tid
      ? await repo.terminalByTid(trx, e.region_id, line.tid)
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
  const response = await recordPayment(trx, {
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
  });
  await repo.insertManualMatch(trx, {
    regionId: e.region_id,
    paymentId: response.paymentId,
    lineId: line.id,
    businessDate: line.transaction_date,
  });
  return { paymentId: response.paymentId, settlementLineId: line.id, details: { payment: response } };
}
