// Reading the exceptions a reconciliation found (exceptions.ts finds them): the listing and one
// exception with its decisions, each within the reader's scope, in the shape the API answers.
import Decimal from 'decimal.js';
import type { Db } from '../../db/knex';
import { assertReadRegion, type Principal } from '../auth/principal';
import type { Deps } from '../core/deps';
import { forbidden, notFound } from '../core/errors';
import * as repo from './reconcile.repository';
import type { ExceptionQuery } from './reconcile.schemas';

/** Officers and region auditors read their own region; the admin and an auditor without a
 * region may read them all. */
export async function listExceptions(
  deps: Deps,
  p: Principal,
  q: ExceptionQuery,
): Promise<{ exceptions: Record<string, unknown>[]; limit: number; offset: number }> {
  const regionId = q.regionId ?? p.regionId;
  if (regionId) assertReadRegion(p, regionId);
  else if (p.role !== 'admin' && p.role !== 'auditor') throw forbidden('this region is outside your scope');
  const rows = await repo.listExceptions(deps.knex, { ...q, regionId });
  return { exceptions: rows.map(toView), limit: q.limit, offset: q.offset };
}

export async function getException(deps: Deps, p: Principal, id: string): Promise<Record<string, unknown>> {
  const row = await repo.findExceptionRegion(deps.knex, id);
  if (!row) throw notFound('reconciliation exception');
  assertReadRegion(p, row.region_id);
  return exceptionView(deps.knex, id);
}

/** The exception with every decision taken on it. */
export async function exceptionView(db: Db, id: string): Promise<Record<string, unknown>> {
  return toView((await repo.findExceptionWithDecisions(db, id))!);
}

/** Two decimals at least, more only when the bank wrote significant ones (an MDR of 8.125). */
function amount(v: string | null): string | null {
  if (v === null) return null;
  const d = new Decimal(v);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
}

function toView(r: repo.ExceptionRow): Record<string, unknown> {
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
