// What is wrong on a region's business date, computed from scratch on every run into a temporary
// table, then merged into reconciliation_exceptions: a new finding opens a row, a finding that
// is no longer true clears its open row, a resolved row stays resolved. Nothing is deleted.
//
// Subjects are stable across runs: payment:<id>, line:<id>, batch:<acquirer code>:<batch>,
// fees:<file>:<mid>:<batch> (a fee the bank fixed per group of lines).
import type { Knex } from 'knex';
import { DUPLICATE_LINE, SETTLEABLE } from './match-payments';

export const EXCEPTION_KINDS = [
  'in-ledger-not-settled',
  'settled-not-in-ledger',
  'amount-mismatch',
  'duplicate-settlement-line',
  'batch-statement-mismatch',
  'settled-late',
  'fee-mismatch',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** Per acquirer: the day its settlement of this date is due, and whether its files reach that day. */
export interface AcquirerWindow {
  acquirerId: string;
  code: string;
  channel: string;
  mdrRate: string;
  dueDate: string;
  covered: boolean;
}

const UNMATCHED_PAYMENT = `not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)`;
const UNMATCHED_LINE = `not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)`;

export async function loadWindows(trx: Knex | Knex.Transaction, regionId: string, date: string, addBusinessDays: (d: string, n: number) => string): Promise<AcquirerWindow[]> {
  const rows: { id: string; code: string; channel: string; mdr_rate: string; settlement_days: number; covered_to: string | null }[] = (
    await trx.raw(
      `select a.id, a.code, a.channel, a.mdr_rate::text as mdr_rate, a.settlement_days,
              (select max(f.settlement_date)::text from bank_files f where f.region_id = a.region_id and f.acquirer_id = a.id) as covered_to
         from acquirers a where a.region_id = ? order by a.code`,
      [regionId],
    )
  ).rows;
  return rows.map((r) => {
    const dueDate = addBusinessDays(date, r.settlement_days);
    return { acquirerId: r.id, code: r.code, channel: r.channel, mdrRate: r.mdr_rate, dueDate, covered: r.covered_to !== null && r.covered_to >= dueDate };
  });
}

async function windowsTable(trx: Knex.Transaction, windows: AcquirerWindow[]): Promise<void> {
  await trx.raw(`create temp table if not exists recon_windows (acquirer_id uuid primary key, code text, channel text, mdr_rate numeric, due_date date, covered boolean) on commit drop`);
  await trx.raw('truncate recon_windows');
  if (windows.length === 0) return;
  await trx.raw(
    `insert into recon_windows select * from jsonb_to_recordset(?::jsonb) as x(acquirer_id uuid, code text, channel text, mdr_rate numeric, due_date date, covered boolean)`,
    [JSON.stringify(windows.map((w) => ({ acquirer_id: w.acquirerId, code: w.code, channel: w.channel, mdr_rate: w.mdrRate, due_date: w.dueDate, covered: w.covered })))],
  );
}

export async function refreshExceptions(trx: Knex.Transaction, regionId: string, date: string, windows: AcquirerWindow[]): Promise<void> {
  await windowsTable(trx, windows);
  await trx.raw(`create temp table if not exists recon_current (
      kind text, subject text, acquirer_id uuid, payment_id uuid, settlement_line_id bigint, batch text,
      statement_entry_id bigint, ledger_amount numeric, bank_amount numeric, difference numeric, details jsonb) on commit drop`);
  await trx.raw('truncate recon_current');
  const b = { region: regionId, date };

  // Paid at a terminal, and the acquirer's files past its due day do not have it.
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, payment_id, ledger_amount, details)
     select 'in-ledger-not-settled', 'payment:' || p.id, p.acquirer_id, p.id, p.amount,
            jsonb_build_object('rrn', p.rrn, 'tid', p.tid, 'stan', p.stan, 'terminalId', p.terminal_id, 'stallId', p.stall_id,
                               'paidAt', ledger_iso(p.paid_at), 'dueBy', w.due_date)
       from payments p join recon_windows w on w.acquirer_id = p.acquirer_id
      where p.region_id = :region and p.business_date = cast(:date as date) and ${SETTLEABLE} and ${UNMATCHED_PAYMENT} and w.covered`,
    b,
  );
  // The bank settled it; no payment in the ledger is it.
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, bank_amount, details)
     select 'settled-not-in-ledger', 'line:' || sl.id, sl.acquirer_id, sl.id, sl.gross, ${lineDetails('sl')}
       from settlement_lines sl join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and ${UNMATCHED_LINE}
        and not ${DUPLICATE_LINE}`,
    b,
  );
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, bank_amount, details)
     select 'duplicate-settlement-line', 'line:' || sl.id, sl.acquirer_id, sl.id, sl.gross,
            ${lineDetails('sl')} || jsonb_build_object('duplicateOf', dup.first_id::text)
       from recon_duplicates dup
       join settlement_lines sl on sl.region_id = :region and sl.id = dup.id
       join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id`,
    b,
  );
  // Matched, but the bank settled another amount, or later than its window.
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, payment_id, settlement_line_id, ledger_amount, bank_amount, difference, details)
     select 'amount-mismatch', 'payment:' || p.id, p.acquirer_id, p.id, sl.id, p.amount, sl.gross, sl.gross - p.amount,
            jsonb_build_object('rrn', p.rrn, 'terminalId', p.terminal_id, 'stallId', p.stall_id, 'method', m.method)
       from settlement_matches m
       join payments p on p.region_id = m.region_id and p.id = m.payment_id
       join settlement_lines sl on sl.region_id = m.region_id and sl.id = m.settlement_line_id
      where m.region_id = :region and p.business_date = cast(:date as date) and sl.gross <> p.amount`,
    b,
  );
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, payment_id, settlement_line_id, ledger_amount, bank_amount, details)
     select 'settled-late', 'payment:' || p.id, p.acquirer_id, p.id, sl.id, p.amount, sl.gross,
            jsonb_build_object('rrn', p.rrn, 'dueBy', w.due_date, 'settlementDate', sl.settlement_date, 'daysLate', sl.settlement_date - w.due_date)
       from settlement_matches m
       join payments p on p.region_id = m.region_id and p.id = m.payment_id
       join settlement_lines sl on sl.region_id = m.region_id and sl.id = m.settlement_line_id
       join recon_windows w on w.acquirer_id = p.acquirer_id
      where m.region_id = :region and p.business_date = cast(:date as date) and sl.settlement_date > w.due_date`,
    b,
  );
  // The fee the bank took against the rate the region configured (rate x gross, half up to the sen).
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, ledger_amount, bank_amount, difference, details)
     select 'fee-mismatch', 'line:' || sl.id, sl.acquirer_id, sl.id, round(sl.gross * w.mdr_rate, 2), sl.mdr,
            sl.mdr - round(sl.gross * w.mdr_rate, 2),
            ${lineDetails('sl')} || jsonb_build_object('configuredRate', w.mdr_rate, 'statedRate', sl.mdr_rate)
       from settlement_lines sl
       join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
       join recon_windows w on w.acquirer_id = sl.acquirer_id
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and not sl.mdr_allocated
        and abs(sl.mdr - round(sl.gross * w.mdr_rate, 2)) >= 0.01`,
    b,
  );
  await trx.raw(
    `with groups as (
       select sl.file_id, coalesce(sl.mid, '') as mid, coalesce(sl.batch, '') as batch, sl.acquirer_id,
              sum(sl.gross) as gross, sum(sl.mdr) as mdr, count(*) as lines
         from settlement_lines sl
        where sl.region_id = :region and sl.mdr_allocated
          and (sl.file_id, coalesce(sl.mid, ''), coalesce(sl.batch, '')) in (
            select file_id, coalesce(mid, ''), coalesce(batch, '') from settlement_lines
             where region_id = :region and transaction_date = cast(:date as date) and mdr_allocated)
        group by 1, 2, 3, 4
       having min(sl.transaction_date) = cast(:date as date))
     insert into recon_current (kind, subject, acquirer_id, batch, ledger_amount, bank_amount, difference, details)
     select 'fee-mismatch', 'fees:' || g.file_id || ':' || g.mid || ':' || g.batch, g.acquirer_id, nullif(g.batch, ''),
            round(g.gross * w.mdr_rate, 2), g.mdr, g.mdr - round(g.gross * w.mdr_rate, 2),
            jsonb_build_object('mid', g.mid, 'lines', g.lines, 'gross', g.gross, 'configuredRate', w.mdr_rate)
       from groups g join recon_windows w on w.acquirer_id = g.acquirer_id
      where abs(g.mdr - round(g.gross * w.mdr_rate, 2)) >= 0.01`,
    b,
  );
  // Batches first seen on this date: credited with another amount than their net, or not credited
  // although the treasury statement for their settlement date is in.
  await trx.raw(
    `with batches as (
       select sl.acquirer_id, sl.batch, max(sl.settlement_date) as settlement_date, sum(sl.net) as net, count(*) as lines
         from settlement_lines sl
        where sl.region_id = :region and sl.batch is not null
          and (sl.acquirer_id, sl.batch) in (select acquirer_id, batch from settlement_lines
                                              where region_id = :region and transaction_date = cast(:date as date) and batch is not null)
        group by sl.acquirer_id, sl.batch
       having min(sl.transaction_date) = cast(:date as date))
     insert into recon_current (kind, subject, acquirer_id, batch, statement_entry_id, ledger_amount, bank_amount, difference, details)
     select 'batch-statement-mismatch', 'batch:' || w.code || ':' || b.batch, b.acquirer_id, b.batch, sp.statement_entry_id,
            b.net, coalesce(sp.credited, 0), coalesce(sp.credited, 0) - b.net,
            jsonb_build_object('settlementDate', b.settlement_date, 'lines', b.lines,
                               'credited', sp.statement_entry_id is not null, 'method', sp.method)
       from batches b
       join recon_windows w on w.acquirer_id = b.acquirer_id
       left join settlement_postings sp on sp.region_id = :region and sp.acquirer_id = b.acquirer_id and sp.batch = b.batch
      where (sp.batch is not null and sp.credited <> round(b.net, 2))
         or (sp.batch is null and exists (select 1 from bank_statements s where s.region_id = :region and s.closing_date >= b.settlement_date))`,
    b,
  );

  await trx.raw(
    `insert into reconciliation_exceptions (region_id, business_date, kind, subject, acquirer_id, channel, payment_id,
        settlement_line_id, batch, statement_entry_id, ledger_amount, bank_amount, difference, details)
     select :region, cast(:date as date), c.kind, c.subject, c.acquirer_id, w.channel, c.payment_id, c.settlement_line_id, c.batch,
            c.statement_entry_id, c.ledger_amount, c.bank_amount, c.difference, c.details
       from recon_current c left join recon_windows w on w.acquirer_id = c.acquirer_id
     on conflict (region_id, business_date, kind, subject) do update set
        status = case when reconciliation_exceptions.status = 'cleared' then 'open' else reconciliation_exceptions.status end,
        cleared_at = case when reconciliation_exceptions.status = 'cleared' then null else reconciliation_exceptions.cleared_at end,
        payment_id = excluded.payment_id, settlement_line_id = excluded.settlement_line_id,
        statement_entry_id = excluded.statement_entry_id, ledger_amount = excluded.ledger_amount,
        bank_amount = excluded.bank_amount, difference = excluded.difference, details = excluded.details`,
    b,
  );
  await trx.raw(
    `update reconciliation_exceptions e set status = 'cleared', cleared_at = now()
      where e.region_id = :region and e.business_date = cast(:date as date) and e.status = 'open'
        and not exists (select 1 from recon_current c where c.kind = e.kind and c.subject = e.subject)`,
    b,
  );
}

function lineDetails(t: string): string {
  return `jsonb_build_object('rrn', ${t}.rrn, 'reference', ${t}.reference, 'tid', ${t}.tid, 'stan', ${t}.stan,
    'transactedAt', ledger_iso(${t}.transacted_at), 'settlementDate', ${t}.settlement_date, 'batch', ${t}.batch,
    'file', f.name, 'fileId', f.id, 'line', ${t}.line_number)`;
}
