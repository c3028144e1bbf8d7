// A reconciliation's runs and the exceptions it found, as the services read and keep them. The
// matching and the findings themselves are in match-payments.sql.ts and exceptions.sql.ts.
import type { Knex } from 'knex';
import type { Db } from '../../db/knex';
import type { ReconciliationSummary } from './summary';

/** Two instances never reconcile a region at once: the second waits, then finds what the first found. */
export async function lockRegion(trx: Knex.Transaction, regionId: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtextextended('reconcile:' || ?, 0))`, [regionId]);
}

/** A million-line day hashes and sorts hundreds of megabytes; with the default 4 MB every join
 * and aggregate spills to disk. For this transaction only. */
export async function raiseWorkMem(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`set local work_mem = '256MB'`);
}

/** The run's summary, kept per region and date; a re-run counts and replaces it. */
export async function saveRun(
  trx: Knex.Transaction,
  regionId: string,
  date: string,
  summary: ReconciliationSummary,
): Promise<void> {
  await trx.raw(
    `insert into reconciliation_runs (region_id, business_date, summary) values (?, ?, ?)
       on conflict (region_id, business_date) do update set runs = reconciliation_runs.runs + 1, last_run_at = now(), summary = excluded.summary`,
    [regionId, date, JSON.stringify(summary)],
  );
}

export interface RunRow {
  summary: ReconciliationSummary;
  runs: number;
  first_run_at: Date;
  last_run_at: Date;
}

export async function findRun(db: Db, regionId: string, date: string): Promise<RunRow | undefined> {
  return db('reconciliation_runs').where({ region_id: regionId, business_date: date }).first();
}

export interface ExceptionFilter {
  regionId?: string;
  date?: string;
  from?: string;
  to?: string;
  kind?: string;
  status?: string;
  limit: number;
  offset: number;
}

/** An exception as read, with its acquirer's code (and, read alone, its decisions). */
export interface ExceptionRow {
  region_id: string;
  id: string;
  business_date: string;
  kind: string;
  subject: string;
  acquirer_id: string | null;
  acquirer_code: string | null;
  channel: string | null;
  payment_id: string | null;
  settlement_line_id: string | null;
  batch: string | null;
  statement_entry_id: string | null;
  ledger_amount: string | null;
  bank_amount: string | null;
  difference: string | null;
  details: Record<string, unknown>;
  status: 'open' | 'resolved' | 'cleared';
  opened_at: Date;
  cleared_at: Date | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  decisions?: unknown[];
}

/** The exceptions, by date, kind and subject, with their acquirer's code. */
export async function listExceptions(db: Db, f: ExceptionFilter): Promise<ExceptionRow[]> {
  const query = db('reconciliation_exceptions as e')
    .leftJoin('acquirers as a', function () {
      this.on('a.region_id', 'e.region_id').andOn('a.id', 'e.acquirer_id');
    })
    .select(
      'e.*',
      db.raw('e.business_date::text as business_date'),
      db.raw('e.settlement_line_id::text as settlement_line_id'),
      db.raw('e.statement_entry_id::text as statement_entry_id'),
      'a.code as acquirer_code',
    )
    .orderBy([{ column: 'e.business_date' }, { column: 'e.kind' }, { column: 'e.subject' }])
    .limit(f.limit)
    .offset(f.offset);
  if (f.regionId) query.where('e.region_id', f.regionId);
  if (f.date) query.where('e.business_date', f.date);
  if (f.from) query.where('e.business_date', '>=', f.from);
  if (f.to) query.where('e.business_date', '<=', f.to);
  if (f.kind) query.where('e.kind', f.kind);
  if (f.status) query.where('e.status', f.status);
  return query;
}

/** The region an exception belongs to, by its id alone; the caller checks the scope. */
export async function findExceptionRegion(db: Db, id: string): Promise<{ region_id: string } | undefined> {
  return db('reconciliation_exceptions').where({ id }).first('region_id');
}

/** One exception with its acquirer's code and every decision taken on it, oldest first. */
export async function findExceptionWithDecisions(db: Db, id: string): Promise<ExceptionRow | undefined> {
  return (
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
}
