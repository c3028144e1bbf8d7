// The statements that find what is wrong on a region's business date (exceptions.ts says which
// findings there are, in which order, and why). They fill temporary tables that drop at commit
// (recon_windows, recon_current, recon_rates), then merge recon_current into
// reconciliation_exceptions.
import type { Knex } from 'knex';
import type { Db } from '../../db/knex';
import {
  AMBIGUOUS_LINE,
  AMBIGUOUS_PAYMENT,
  DUPLICATE_LINE,
  SETTLEABLE,
  UNMATCHED_LINE,
  UNMATCHED_PAYMENT,
} from './match-payments.sql';

/** An acquirer's settlement rule as stored. */
export interface AcquirerRuleRow {
  id: string;
  code: string;
  channel: string;
  mdr_rate: string;
  mdr_basis: 'per-line' | 'per-group';
  mdr_rounding: 'sen' | 'rupiah';
  settlement_days: number;
  /** The last settlement date the acquirer's files reach */
  covered_to: string | null;
}

export async function acquirerRules(db: Db, regionId: string): Promise<AcquirerRuleRow[]> {
  return (
    await db.raw(
      `select a.id, a.code, a.channel, a.mdr_rate::text as mdr_rate, a.mdr_basis, a.mdr_rounding, a.settlement_days,
              (select max(f.settlement_date)::text from bank_files f where f.region_id = a.region_id and f.acquirer_id = a.id) as covered_to
         from acquirers a where a.region_id = ? order by a.code`,
      [regionId],
    )
  ).rows;
}

/** One acquirer's window as the statements read it (recon_windows). */
export interface WindowRow {
  acquirer_id: string;
  code: string;
  channel: string;
  mdr_rate: string;
  mdr_basis: 'per-line' | 'per-group';
  /** Decimal places the bank rounds its fee to */
  mdr_places: number;
  due_date: string;
  covered: boolean;
}

export async function fillWindows(trx: Knex.Transaction, windows: WindowRow[]): Promise<void> {
  await trx.raw(`create temp table if not exists recon_windows (acquirer_id uuid primary key, code text, channel text, mdr_rate numeric,
      mdr_basis text, mdr_places int, due_date date, covered boolean) on commit drop`);
  await trx.raw('truncate recon_windows');
  if (windows.length === 0) return;
  await trx.raw(
    `insert into recon_windows select * from jsonb_to_recordset(?::jsonb)
       as x(acquirer_id uuid, code text, channel text, mdr_rate numeric, mdr_basis text, mdr_places int, due_date date, covered boolean)`,
    [JSON.stringify(windows)],
  );
}

/** The findings of this run, computed from scratch: recon_current, empty. */
export async function startFindings(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`create temp table if not exists recon_current (
      kind text, subject text, acquirer_id uuid, payment_id uuid, settlement_line_id bigint, batch text,
      statement_entry_id bigint, ledger_amount numeric, bank_amount numeric, difference numeric, details jsonb) on commit drop`);
  await trx.raw('truncate recon_current');
}

/** Payments past their acquirer's due day that no line settles (in-ledger-not-settled). */
export async function findUnsettledPayments(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, payment_id, ledger_amount, details)
     select 'in-ledger-not-settled', 'payment:' || p.id, p.acquirer_id, p.id, p.amount,
            jsonb_build_object('rrn', p.rrn, 'tid', p.tid, 'stan', p.stan, 'terminalId', p.terminal_id, 'stallId', p.stall_id,
                               'paidAt', ledger_iso(p.paid_at), 'dueBy', w.due_date)
       from payments p join recon_windows w on w.acquirer_id = p.acquirer_id
      where p.region_id = :region and p.business_date = cast(:date as date) and ${SETTLEABLE} and ${UNMATCHED_PAYMENT} and w.covered
        and not ${AMBIGUOUS_PAYMENT}`,
    { region: regionId, date },
  );
}

/** Lines that no payment of the ledger is (settled-not-in-ledger). */
export async function findUnknownLines(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, bank_amount, details)
     select 'settled-not-in-ledger', 'line:' || sl.id, sl.acquirer_id, sl.id, sl.gross, ${lineDetails('sl')}
       from settlement_lines sl join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and ${UNMATCHED_LINE}
        and not ${DUPLICATE_LINE} and not ${AMBIGUOUS_LINE}`,
    { region: regionId, date },
  );
}

/** One ambiguous-match finding per group of candidates that fit equally, listing them. */
export async function findAmbiguousGroups(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `with groups as (
       select grp, acquirer_id, array_agg(payment_id) filter (where payment_id is not null) as payments,
              array_agg(line_id) filter (where line_id is not null) as lines
         from recon_ambiguous_members group by grp, acquirer_id)
     insert into recon_current (kind, subject, acquirer_id, ledger_amount, bank_amount, details)
     select 'ambiguous-match', 'ambiguous:' || g.grp, g.acquirer_id,
            (select sum(p.amount) from payments p where p.region_id = :region and p.id = any(g.payments)),
            (select sum(sl.gross) from settlement_lines sl where sl.region_id = :region and sl.id = any(g.lines)),
            jsonb_build_object(
              'payments', (select jsonb_agg(jsonb_build_object('paymentId', p.id, 'amount', p.amount::text, 'tid', p.tid,
                                  'approvalCode', p.approval_code, 'maskedPan', p.masked_pan, 'terminalId', p.terminal_id,
                                  'stallId', p.stall_id, 'paidAt', ledger_iso(p.paid_at)) order by p.paid_at, p.id)
                             from payments p where p.region_id = :region and p.id = any(g.payments)),
              'lines', (select jsonb_agg(${lineDetails('sl')} || jsonb_build_object('settlementLineId', sl.id::text,
                                  'gross', sl.gross::text, 'approvalCode', sl.approval_code, 'maskedPan', sl.masked_pan) order by sl.id)
                          from settlement_lines sl join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
                         where sl.region_id = :region and sl.id = any(g.lines)))
       from groups g`,
    { region: regionId, date },
  );
}

/** Lines that repeat an earlier line (duplicate-settlement-line). */
export async function findDuplicateLines(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, bank_amount, details)
     select 'duplicate-settlement-line', 'line:' || sl.id, sl.acquirer_id, sl.id, sl.gross,
            ${lineDetails('sl')} || jsonb_build_object('duplicateOf', dup.first_id::text)
       from recon_duplicates dup
       join settlement_lines sl on sl.region_id = :region and sl.id = dup.id
       join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id`,
    { region: regionId, date },
  );
}

/** Matches settled for another amount (amount-mismatch) or after the due day (settled-late). */
export async function findOffMatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `with off as materialized (
       select p.id as payment_id, p.acquirer_id, p.rrn, p.terminal_id, p.stall_id, p.amount, sl.id as line_id, sl.gross,
              sl.settlement_date, w.due_date, m.method
         from settlement_matches m
         join payments p on p.region_id = m.region_id and p.id = m.payment_id
         join settlement_lines sl on sl.region_id = m.region_id and sl.id = m.settlement_line_id
         join recon_windows w on w.acquirer_id = p.acquirer_id
        where m.region_id = :region and m.business_date = cast(:date as date) and p.business_date = cast(:date as date)
          and (sl.gross <> p.amount or sl.settlement_date > w.due_date))
     insert into recon_current (kind, subject, acquirer_id, payment_id, settlement_line_id, ledger_amount, bank_amount, difference, details)
     select 'amount-mismatch', 'payment:' || payment_id, acquirer_id, payment_id, line_id, amount, gross, gross - amount,
            jsonb_build_object('rrn', rrn, 'terminalId', terminal_id, 'stallId', stall_id, 'method', method)
       from off where gross <> amount
     union all
     select 'settled-late', 'payment:' || payment_id, acquirer_id, payment_id, line_id, amount, gross, null,
            jsonb_build_object('rrn', rrn, 'dueBy', due_date, 'settlementDate', settlement_date, 'daysLate', settlement_date - due_date)
       from off where settlement_date > due_date`,
    { region: regionId, date },
  );
}

/** Lines whose own MDR is not the acquirer's rule on the line (fee-mismatch, per line). */
export async function findLineFeeMismatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `insert into recon_current (kind, subject, acquirer_id, settlement_line_id, ledger_amount, bank_amount, difference, details)
     select 'fee-mismatch', 'line:' || sl.id, sl.acquirer_id, sl.id, x.expected, sl.mdr, sl.mdr - x.expected,
            ${lineDetails('sl')} || jsonb_build_object('configuredRate', r.rate, 'statedRate', sl.mdr_rate, 'rule', w.mdr_basis,
                                                       'roundedTo', case w.mdr_places when 0 then 'rupiah' else 'sen' end)
       from settlement_lines sl
       join bank_files f on f.region_id = sl.region_id and f.id = sl.file_id
       join recon_windows w on w.acquirer_id = sl.acquirer_id
       join recon_rates r on r.acquirer_id = sl.acquirer_id and r.mid = coalesce(sl.mid, '') and r.network = coalesce(sl.network, '')
                         and r.bin = coalesce(left(sl.masked_pan, 8), '')
       cross join lateral (select round(sl.gross * r.rate, w.mdr_places) as expected) x
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and not sl.mdr_allocated and w.mdr_basis = 'per-line'
        and sl.mdr <> x.expected`,
    { region: regionId, date },
  );
}

/** Fee groups whose MDR is not the acquirer's rule on the group's total (fee-mismatch, per group). */
export async function findGroupFeeMismatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `with groups as (
       select sl.file_id, coalesce(sl.mid, '') as mid, coalesce(sl.batch, '') as batch, coalesce(sl.fee_group, '') as fee_group,
              sl.acquirer_id, min(coalesce(sl.network, '')) as network, sum(sl.gross) as gross, sum(sl.mdr) as mdr, count(*) as lines
         from settlement_lines sl join recon_windows w on w.acquirer_id = sl.acquirer_id
        where sl.region_id = :region and (sl.mdr_allocated or w.mdr_basis = 'per-group')
          and (sl.file_id, coalesce(sl.mid, ''), coalesce(sl.batch, ''), coalesce(sl.fee_group, '')) in (
            select l.file_id, coalesce(l.mid, ''), coalesce(l.batch, ''), coalesce(l.fee_group, '')
              from settlement_lines l join recon_windows lw on lw.acquirer_id = l.acquirer_id
             where l.region_id = :region and l.transaction_date = cast(:date as date) and (l.mdr_allocated or lw.mdr_basis = 'per-group'))
        group by 1, 2, 3, 4, 5
       having min(sl.transaction_date) = cast(:date as date))
     insert into recon_current (kind, subject, acquirer_id, batch, ledger_amount, bank_amount, difference, details)
     select 'fee-mismatch', 'fees:' || g.file_id || ':' || g.mid || ':' || g.batch || case when g.fee_group <> '' then ':' || g.fee_group else '' end,
            g.acquirer_id, nullif(g.batch, ''), x.expected, g.mdr, g.mdr - x.expected,
            jsonb_build_object('mid', g.mid, 'network', nullif(g.network, ''), 'lines', g.lines, 'gross', g.gross,
                               'configuredRate', r.rate, 'rule', 'per-group', 'roundedTo', case w.mdr_places when 0 then 'rupiah' else 'sen' end)
       from groups g
       join recon_windows w on w.acquirer_id = g.acquirer_id
       join recon_rates r on r.acquirer_id = g.acquirer_id and r.mid = g.mid and r.network = g.network and r.bin = ''
       cross join lateral (select round(g.gross * r.rate, w.mdr_places) as expected) x
      where g.mdr <> x.expected`,
    { region: regionId, date },
  );
}

/** Batches first seen on this date credited with another amount, or not credited (batch-statement-mismatch). */
export async function findBatchMismatches(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
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
    { region: regionId, date },
  );
}

/** The findings into reconciliation_exceptions: a new one opens, a cleared one that is true again reopens. */
export async function mergeFindings(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
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
    { region: regionId, date },
  );
}

/** Open exceptions of the date that are no longer found are cleared. */
export async function clearGoneFindings(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw(
    `update reconciliation_exceptions e set status = 'cleared', cleared_at = now()
      where e.region_id = :region and e.business_date = cast(:date as date) and e.status = 'open'
        and not exists (select 1 from recon_current c where c.kind = e.kind and c.subject = e.subject)`,
    { region: regionId, date },
  );
}

/** The rate for each (acquirer, MID, network, card BIN) the day's lines and fee groups carry:
 * the most specific acquirer_mdr_rates row (MID, then the longest BIN prefix, then the network),
 * else the acquirer's own mdr_rate. Computed once per combination, not once per line. */
export async function fillRates(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw('drop table if exists recon_rates');
  await trx.raw(
    `create temp table recon_rates on commit drop as
     with combos as (
       select distinct sl.acquirer_id, coalesce(sl.mid, '') as mid, coalesce(sl.network, '') as network,
              coalesce(left(sl.masked_pan, 8), '') as bin
         from settlement_lines sl
        where sl.region_id = :region and sl.transaction_date = cast(:date as date)
       union
       select distinct sl.acquirer_id, coalesce(sl.mid, ''), coalesce(sl.network, ''), ''
         from settlement_lines sl
        where sl.region_id = :region and sl.transaction_date = cast(:date as date))
     select c.acquirer_id, c.mid, c.network, c.bin,
            coalesce((select r.rate from acquirer_mdr_rates r
                       where r.region_id = :region and r.acquirer_id = c.acquirer_id
                         and (r.mid is null or r.mid = c.mid)
                         and (r.network is null or upper(trim(r.network)) = upper(trim(c.network)))
                         and (r.bin_prefix is null or (c.bin <> '' and c.bin like r.bin_prefix || '%'))
                       order by (r.mid is not null) desc, length(coalesce(r.bin_prefix, '')) desc, (r.network is not null) desc
                       limit 1), w.mdr_rate) as rate
       from combos c join recon_windows w on w.acquirer_id = c.acquirer_id`,
    { region: regionId, date },
  );
}

function lineDetails(t: string): string {
  return `jsonb_build_object('rrn', ${t}.rrn, 'reference', ${t}.reference, 'tid', ${t}.tid, 'stan', ${t}.stan,
    'transactedAt', ledger_iso(${t}.transacted_at), 'settlementDate', ${t}.settlement_date, 'batch', ${t}.batch,
    'file', f.name, 'fileId', f.id, 'line', ${t}.line_number)`;
}
