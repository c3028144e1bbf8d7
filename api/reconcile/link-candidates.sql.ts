// What an officer may link an open exception of a day to, read only: for a bank line the ledger
// does not have (settled-not-in-ledger), the ledger payments of its acquirer around its date that
// no line settles yet; for a payment no line settles (in-ledger-not-settled), the lines of its
// acquirer around its date that settle no payment yet (duplicates left out); for an ambiguous
// match, the candidates it lists. Same terminal and same amount come first. link-candidates.ts
// gives them their shape.
import type { Db } from '../../db/knex';
import { SETTLEABLE } from './match-payments.sql';

/** How many candidates one exception offers at most. */
export const CANDIDATE_LIMIT = 20;

/** The columns a payment candidate and a line candidate both have. */
export interface CandidateColumns {
  exception_id: string;
  tid: string | null;
  amount: string;
  approval_code: string | null;
  masked_pan: string | null;
  rrn: string | null;
  same_terminal: boolean;
  same_amount: boolean;
}

// Whether a payment p and a bank line sl come from the same terminal: the same TID, or the same
// MID when the line carries no TID.
const SAME_TERMINAL = 'coalesce(p.tid = sl.tid or (sl.tid is null and p.mid = sl.mid), false)';

/** The open exceptions e of the region and date (:region, :date). */
const OPEN_ON_DAY = "e.region_id = :region and e.business_date = cast(:date as date) and e.status = 'open'";

export interface PaymentCandidateRow extends CandidateColumns {
  payment_id: string;
  paid_at: Date;
  business_date: string;
  stall_code: string | null;
}

export async function paymentCandidates(db: Db, regionId: string, date: string): Promise<PaymentCandidateRow[]> {
  const { rows } = await db.raw(
    `select e.id as exception_id, c.*
       from reconciliation_exceptions e
       join settlement_lines sl on sl.region_id = e.region_id and sl.id = e.settlement_line_id
       cross join lateral (
         select p.id as payment_id, p.paid_at, p.business_date::text as business_date, p.tid, p.amount::text as amount,
                p.approval_code, p.masked_pan, p.rrn, s.code as stall_code,
                ${SAME_TERMINAL} as same_terminal,
                p.amount = sl.gross as same_amount,
                row_number() over (order by ${SAME_TERMINAL} desc,
                                            (p.amount = sl.gross) desc, (p.business_date = sl.transaction_date) desc,
                                            p.paid_at, p.id) as rank
           from payments p
           left join stalls s on s.region_id = p.region_id and s.id = p.stall_id
          where p.region_id = e.region_id and p.acquirer_id = sl.acquirer_id
            and p.business_date between sl.transaction_date - 1 and sl.transaction_date + 1
            and ${SETTLEABLE}
            and not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)
          order by rank limit ${CANDIDATE_LIMIT}) c
      where ${OPEN_ON_DAY}
        and e.kind = 'settled-not-in-ledger'
      order by e.id, c.rank`,
    { region: regionId, date },
  );
  return rows;
}

export interface LineCandidateRow extends CandidateColumns {
  settlement_line_id: string;
  transacted_at: Date | null;
  transaction_date: string;
  file_name: string | null;
  line_number: number;
}

export async function lineCandidates(db: Db, regionId: string, date: string): Promise<LineCandidateRow[]> {
  const { rows } = await db.raw(
    `select e.id as exception_id, c.*
       from reconciliation_exceptions e
       join payments p on p.region_id = e.region_id and p.id = e.payment_id
       cross join lateral (
         select sl.id::text as settlement_line_id, sl.transacted_at, sl.transaction_date::text as transaction_date, sl.tid,
                sl.gross::text as amount, sl.approval_code, sl.masked_pan, sl.rrn, f.name as file_name, sl.line_number,
                ${SAME_TERMINAL} as same_terminal,
                sl.gross = p.amount as same_amount,
                row_number() over (order by ${SAME_TERMINAL} desc,
                                            (sl.gross = p.amount) desc, (sl.transaction_date = p.business_date) desc,
                                            sl.id) as rank
           from settlement_lines sl
           join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
          where sl.region_id = e.region_id and sl.acquirer_id = p.acquirer_id
            and sl.transaction_date between p.business_date - 1 and p.business_date + 1
            and not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)
            and not exists (select 1 from reconciliation_exceptions d
                             where d.region_id = sl.region_id and d.settlement_line_id = sl.id
                               and d.kind = 'duplicate-settlement-line' and d.status <> 'cleared')
          order by rank limit ${CANDIDATE_LIMIT}) c
      where ${OPEN_ON_DAY}
        and e.kind = 'in-ledger-not-settled'
      order by e.id, c.rank`,
    { region: regionId, date },
  );
  return rows;
}

/** An open ambiguous match's own candidates, as the run listed them, with each payment's stall. */
export interface AmbiguousRow {
  exception_id: string;
  details: {
    payments?: {
      paymentId: string;
      amount: string;
      tid: string | null;
      approvalCode: string | null;
      maskedPan: string | null;
      paidAt: string | null;
      stallId?: string | null;
    }[];
    lines?: {
      settlementLineId: string;
      gross: string;
      tid: string | null;
      rrn: string | null;
      approvalCode: string | null;
      maskedPan: string | null;
      transactedAt: string | null;
      file: string | null;
      line: number | null;
    }[];
  };
  business_date: string;
  stall_codes: Record<string, string> | null;
}

export async function ambiguousCandidates(db: Db, regionId: string, date: string): Promise<AmbiguousRow[]> {
  const { rows } = await db.raw(
    `select e.id as exception_id, e.details, e.business_date::text as business_date,
            (select jsonb_object_agg(s.id, s.code) from stalls s
              where s.region_id = e.region_id
                and s.id in (select (x->>'stallId')::uuid from jsonb_array_elements(coalesce(e.details->'payments', '[]'::jsonb)) x
                              where x->>'stallId' is not null)) as stall_codes
       from reconciliation_exceptions e
      where ${OPEN_ON_DAY} and e.kind = 'ambiguous-match'
      order by e.id`,
    { region: regionId, date },
  );
  return rows;
}
