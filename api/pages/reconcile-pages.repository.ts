// The reconciliation pages' own reads: a month of days with whether anything happened on them,
// the region's banks, the stalls and terminals a payment made from a bank line may name, and
// the decision log across days. Read only; every query is bounded by the region.
import type { Db } from '../../db/knex';

export interface CalendarDayRow {
  business_date: string;
  /** the last run's status, null when the date was never reconciled */
  status: string | null;
  open_exceptions: number;
  /** card or QRIS payments in the ledger, or lines in the banks' files, on the date */
  has_transactions: boolean;
}

export async function calendarDays(db: Db, regionId: string, from: string, to: string): Promise<CalendarDayRow[]> {
  const { rows } = await db.raw(
    `select d.day::date::text as business_date, r.summary->>'status' as status,
            (select count(*)::int from reconciliation_exceptions e
              where e.region_id = :regionId and e.status = 'open' and e.business_date = d.day::date) as open_exceptions,
            (exists (select 1 from payments p where p.region_id = :regionId and p.business_date = d.day::date
                        and p.channel in ('card', 'qris'))
             or exists (select 1 from settlement_lines sl where sl.region_id = :regionId and sl.transaction_date = d.day::date))
              as has_transactions
       from generate_series(cast(:from as date), cast(:to as date), interval '1 day') d(day)
       left join reconciliation_runs r on r.region_id = :regionId and r.business_date = d.day::date
      order by d.day`,
    { regionId, from, to },
  );
  return rows;
}

export interface AcquirerRow {
  id: string;
  code: string;
  name: string;
  channel: string;
}

export async function regionAcquirers(db: Db, regionId: string): Promise<AcquirerRow[]> {
  return db('acquirers')
    .where({ region_id: regionId })
    .orderBy(['name', 'code'])
    .select('id', 'code', 'name', 'channel');
}

export interface TerminalRow {
  id: string;
  tid: string | null;
  market_id: string;
  market_name: string;
}

export async function regionTerminals(db: Db, regionId: string): Promise<TerminalRow[]> {
  const { rows } = await db.raw(
    `select t.id, t.tid, t.market_id, m.name as market_name
       from terminals t join markets m on m.region_id = t.region_id and m.id = t.market_id
      where t.region_id = ? order by m.name, t.tid, t.id`,
    [regionId],
  );
  return rows;
}

export interface OccupiedStallRow {
  id: string;
  code: string;
  market_id: string;
  market_name: string;
  trader_name: string;
}

/** The stalls someone occupied on the date: a payment created from a bank line needs its occupant. */
export async function occupiedStalls(db: Db, regionId: string, date: string): Promise<OccupiedStallRow[]> {
  const { rows } = await db.raw(
    `select s.id, s.code, s.market_id, m.name as market_name, tr.name as trader_name
       from stalls s
       join markets m on m.region_id = s.region_id and m.id = s.market_id
       join tenancies t on t.region_id = s.region_id and t.stall_id = s.id
                       and daterange(t.effective_from, t.effective_to, '[]') @> cast(? as date)
       join traders tr on tr.region_id = t.region_id and tr.id = t.trader_id
      where s.region_id = ? order by m.name, s.code`,
    [date, regionId],
  );
  return rows;
}

export interface DecisionLogRow {
  id: string;
  decided_at: Date;
  resolution: string;
  note: string;
  decided_by: string;
  decider_name: string | null;
  decider_username: string | null;
  exception_id: string;
  kind: string;
  business_date: string;
  acquirer_name: string | null;
  ledger_amount: string | null;
  bank_amount: string | null;
  difference: string | null;
  stall_code: string | null;
  approval_code: string | null;
  tid: string | null;
}

export interface DecisionLogFilter {
  regionId: string;
  timeZone: string;
  /** local dates of the decisions, both included; absent: no bound */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Decisions taken in the period (local dates), newest first. */
export async function decisionLog(db: Db, f: DecisionLogFilter): Promise<DecisionLogRow[]> {
  const { rows } = await db.raw(
    `select d.id::text as id, d.decided_at, d.resolution, d.note, d.decided_by, u.display_name as decider_name,
            u.username as decider_username, e.id as exception_id, e.kind, e.business_date::text as business_date,
            a.name as acquirer_name, e.ledger_amount::text as ledger_amount, e.bank_amount::text as bank_amount,
            e.difference::text as difference, s.code as stall_code,
            coalesce(p.approval_code, sl.approval_code) as approval_code, coalesce(p.tid, sl.tid) as tid
       from reconciliation_decisions d
       join reconciliation_exceptions e on e.region_id = d.region_id and e.id = d.exception_id
       left join acquirers a on a.region_id = e.region_id and a.id = e.acquirer_id
       left join payments p on p.region_id = d.region_id and p.id = coalesce(d.payment_id, e.payment_id)
       left join stalls s on s.region_id = p.region_id and s.id = p.stall_id
       left join settlement_lines sl on sl.region_id = d.region_id and sl.id = coalesce(d.settlement_line_id, e.settlement_line_id)
       left join users u on u.id::text = d.decided_by
      where d.region_id = :regionId
        and (cast(:from as date) is null or d.decided_at >= (cast(:from as date)::timestamp at time zone :tz))
        and (cast(:to as date) is null or d.decided_at < ((cast(:to as date) + 1)::timestamp at time zone :tz))
      order by d.decided_at desc, d.id desc
      limit :limit offset :offset`,
    { regionId: f.regionId, tz: f.timeZone, from: f.from ?? null, to: f.to ?? null, limit: f.limit, offset: f.offset },
  );
  return rows;
}

export interface DayExceptionRow {
  id: string;
  kind: string;
  subject: string;
  status: string;
  channel: string | null;
  acquirer_code: string | null;
  acquirer_name: string | null;
  payment_id: string | null;
  settlement_line_id: string | null;
  ledger_amount: string | null;
  bank_amount: string | null;
  difference: string | null;
  details: Record<string, unknown> | null;
  resolution: string | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolver_name: string | null;
  stall_code: string | null;
  rrn: string | null;
  batch: string | null;
  tid: string | null;
  approval_code: string | null;
  masked_pan: string | null;
  paid_at: Date | null;
  file_name: string | null;
  line_number: number | null;
}

/** A region's exceptions of one date, open ones first (cleared ones left out: the bank's files
 * answered them), with what identifies their payment and line. */
export async function dayExceptions(db: Db, regionId: string, date: string): Promise<DayExceptionRow[]> {
  const { rows } = await db.raw(
    `select e.id, e.kind, e.subject, e.status, e.channel, a.code as acquirer_code, a.name as acquirer_name, e.payment_id,
            e.settlement_line_id::text as settlement_line_id, e.ledger_amount::text as ledger_amount,
            e.bank_amount::text as bank_amount, e.difference::text as difference, e.details,
            e.resolution, e.resolution_note, e.resolved_by, e.resolved_at, u.display_name as resolver_name,
            s.code as stall_code, coalesce(p.rrn, sl.rrn) as rrn, e.batch, coalesce(p.tid, sl.tid) as tid,
            coalesce(p.approval_code, sl.approval_code) as approval_code, coalesce(p.masked_pan, sl.masked_pan) as masked_pan,
            p.paid_at, f.name as file_name, sl.line_number
       from reconciliation_exceptions e
       left join acquirers a on a.region_id = e.region_id and a.id = e.acquirer_id
       left join payments p on p.region_id = e.region_id and p.id = e.payment_id
       left join stalls s on s.region_id = e.region_id and s.id = p.stall_id
       left join settlement_lines sl on sl.region_id = e.region_id and sl.id = e.settlement_line_id
       left join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
       left join users u on u.id::text = e.resolved_by
      where e.region_id = ? and e.business_date = ?::date and e.status <> 'cleared'
      order by (e.status = 'open') desc, e.kind, e.subject`,
    [regionId, date],
  );
  return rows;
}

/** The region and business date of an exception, by its id alone (scope is checked on its region). */
export function exceptionWhere(
  db: Db,
  exceptionId: string,
): Promise<{ region_id: string; business_date: string; kind: string; status: string } | undefined> {
  return db('reconciliation_exceptions')
    .where({ id: exceptionId })
    .first('region_id', db.raw('business_date::text as business_date'), 'kind', 'status');
}
