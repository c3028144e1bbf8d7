// What each open exception of a day may be linked to, so that an officer chooses a payment or a
// bank line from a list instead of typing its id (resolve.service.ts still checks the choice:
// an ambiguous match takes only its own candidates, a pair already matched is refused).
// Read only; the reader must be able to read the region.
import Decimal from 'decimal.js';
import { assertReadRegion, type Principal } from '../auth/principal';
import type { Deps } from '../core/deps';
import * as sql from './link-candidates.sql';

export interface LinkCandidate {
  /** the payment's id or the settlement line's id, as the decision form sends it */
  id: string;
  /** when it happened, where the side knows it (card lines carry no time) */
  at: Date | null;
  date: string;
  tid: string | null;
  amount: string;
  approvalCode: string | null;
  maskedPan: string | null;
  rrn: string | null;
  /** payments: the stall paid for */
  stallCode?: string | null;
  /** lines: the file and line the bank wrote it on */
  fileName?: string | null;
  lineNumber?: number | null;
  sameTerminal: boolean;
  sameAmount: boolean;
}

export interface ExceptionCandidates {
  payments: LinkCandidate[];
  lines: LinkCandidate[];
}

const money = (v: string) => new Decimal(v).toFixed(2);

/** What a payment's row and a bank line's row both carry, under the candidate's names. */
function sides(r: sql.CandidateColumns) {
  return {
    tid: r.tid,
    amount: money(r.amount),
    approvalCode: r.approval_code,
    maskedPan: r.masked_pan,
    rrn: r.rrn,
    sameTerminal: r.same_terminal,
    sameAmount: r.same_amount,
  };
}

/** Per open exception of the date that a link can answer: its candidates (possibly none). */
export async function linkCandidatesOfDay(
  deps: Deps,
  p: Principal,
  regionId: string,
  date: string,
): Promise<Map<string, ExceptionCandidates>> {
  assertReadRegion(p, regionId);
  const [payments, lines, ambiguous] = await Promise.all([
    sql.paymentCandidates(deps.knex, regionId, date),
    sql.lineCandidates(deps.knex, regionId, date),
    sql.ambiguousCandidates(deps.knex, regionId, date),
  ]);
  const out = new Map<string, ExceptionCandidates>();
  const of = (id: string) => {
    let c = out.get(id);
    if (!c) out.set(id, (c = { payments: [], lines: [] }));
    return c;
  };
  for (const r of payments) {
    of(r.exception_id).payments.push({
      id: r.payment_id,
      at: r.paid_at,
      date: r.business_date,
      ...sides(r),
      stallCode: r.stall_code,
    });
  }
  for (const r of lines) {
    of(r.exception_id).lines.push({
      id: r.settlement_line_id,
      at: r.transacted_at,
      date: r.transaction_date,
      ...sides(r),
      fileName: r.file_name,
      lineNumber: r.line_number,
    });
  }
  // An ambiguous match's candidates fit each other equally: that is why it is one.
  for (const r of ambiguous) {
    const c = of(r.exception_id);
    for (const x of r.details.payments ?? []) {
      c.payments.push({
        id: x.paymentId,
        at: x.paidAt ? new Date(x.paidAt) : null,
        date: r.business_date,
        tid: x.tid,
        amount: money(x.amount),
        approvalCode: x.approvalCode,
        maskedPan: x.maskedPan,
        rrn: null,
        stallCode: x.stallId ? (r.stall_codes?.[x.stallId] ?? null) : null,
        sameTerminal: true,
        sameAmount: true,
      });
    }
    for (const x of r.details.lines ?? []) {
      c.lines.push({
        id: x.settlementLineId,
        at: x.transactedAt ? new Date(x.transactedAt) : null,
        date: r.business_date,
        tid: x.tid,
        amount: money(x.gross),
        approvalCode: x.approvalCode,
        maskedPan: x.maskedPan,
        rrn: x.rrn,
        fileName: x.file,
        lineNumber: x.line,
        sameTerminal: true,
        sameAmount: true,
      });
    }
  }
  return out;
}
