// Ledger payments <-> settlement lines, for one region and business date. Matches are only ever
// added, strongest evidence first:
//   1. acquirer + RRN (or, for QRIS, the reference label of the intent the payment paid);
//   2. acquirer + TID + STAN + date;
//   3. acquirer + amount within a short time window, only when exactly one line and one payment
//      fit each other (never by amount alone when two candidates fit).
// Stage 1 is one set-based statement (it carries a million lines); 2 and 3 look at what is left.
// A payment and a line that both carry an RRN and disagree on it are never paired by 2 or 3.
import Decimal from 'decimal.js';
import type { Knex } from 'knex';

/** Stage 3's window between the terminal's time and the acquirer's. */
export const AMOUNT_TIME_WINDOW_SECONDS = 180;

/** The ledger payments a bank should settle: card and QRIS, not voided (payment alias p). */
export const SETTLEABLE = `p.channel in ('card','qris')
  and not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)`;

/** Lines that repeat an earlier line (same acquirer, RRN and transaction date) are duplicates:
 * they are reported, never matched. Found once per run into recon_duplicates (one sort, not a
 * lookup per line); test a line alias sl with DUPLICATE_LINE. */
export const DUPLICATE_LINE = `exists (select 1 from recon_duplicates dup where dup.id = sl.id)`;

async function findDuplicates(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw('drop table if exists recon_duplicates');
  await trx.raw(
    `create temp table recon_duplicates on commit drop as
     select id, first_id from (
       select id, first_value(id) over w as first_id, row_number() over w as n
         from settlement_lines
        where region_id = ? and transaction_date = cast(? as date) and rrn is not null
       window w as (partition by acquirer_id, rrn order by id)) x
      where n > 1`,
    [regionId, date],
  );
  await trx.raw('alter table recon_duplicates add primary key (id)');
  await trx.raw('analyze recon_duplicates');
}

/** Above this many rows written since the planner last looked, its statistics are refreshed
 * first: a plan made for an empty table turns the million-line day into hours. */
export const ANALYZE_AFTER_ROWS = 10_000;

export async function matchPayments(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  const { rows } = await trx.raw(
    `select relname from pg_stat_user_tables
      where relname in ('payments', 'settlement_lines', 'settlement_matches', 'statement_entries') and n_mod_since_analyze > ?`,
    [ANALYZE_AFTER_ROWS],
  );
  for (const r of rows as { relname: string }[]) await trx.raw(`analyze ${r.relname}`);
  await findDuplicates(trx, regionId, date);
  const matched = await matchByRrn(trx, regionId, date);
  // Rows written in this transaction are not in the statistics yet.
  if (matched > ANALYZE_AFTER_ROWS) await trx.raw('analyze settlement_matches');
  await matchByReference(trx, regionId, date);
  await matchLeftovers(trx, regionId, date);
}

// The pairs are found first, into a temporary table, and inserted after: an INSERT whose own
// NOT EXISTS reads the table it is filling rescans its growing heap once per row.
async function insertPairs(trx: Knex.Transaction, select: string, bindings: Record<string, unknown>): Promise<number> {
  await trx.raw('drop table if exists recon_pairs');
  await trx.raw(`create temp table recon_pairs on commit drop as ${select}`, bindings);
  const res = await trx.raw(
    `insert into settlement_matches (region_id, payment_id, settlement_line_id, method, business_date)
     select region_id, payment_id, line_id, method, business_date from recon_pairs order by payment_id
     on conflict do nothing`,
  );
  return res.rowCount ?? 0;
}

async function matchByRrn(trx: Knex.Transaction, regionId: string, date: string): Promise<number> {
  // Prefer a line of the same date; the bank's day may differ from the terminal's around midnight.
  return insertPairs(
    trx,
    `with cand as (
       select distinct on (sl.acquirer_id, sl.rrn) sl.id, sl.acquirer_id, sl.rrn
         from settlement_lines sl
        where sl.region_id = :region and sl.rrn is not null
          and sl.transaction_date between cast(:date as date) - 1 and cast(:date as date) + 1
          and not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)
        order by sl.acquirer_id, sl.rrn, (sl.transaction_date <> cast(:date as date)), sl.id)
     select p.region_id, p.id as payment_id, cand.id as line_id, 'rrn'::text as method, p.business_date
       from payments p join cand on cand.acquirer_id = p.acquirer_id and cand.rrn = p.rrn
      where p.region_id = :region and p.business_date = cast(:date as date) and ${SETTLEABLE}
        and not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)`,
    { region: regionId, date },
  );
}

async function matchByReference(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await insertPairs(
    trx,
    `with cand as (
       select distinct on (sl.acquirer_id, sl.reference) sl.id, sl.acquirer_id, sl.reference, sl.rrn
         from settlement_lines sl
        where sl.region_id = :region and sl.reference is not null
          and sl.transaction_date between cast(:date as date) - 1 and cast(:date as date) + 1
          and not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)
        order by sl.acquirer_id, sl.reference, (sl.transaction_date <> cast(:date as date)), sl.id)
     select p.region_id, p.id as payment_id, cand.id as line_id, 'reference'::text as method, p.business_date
       from payments p
       join qris_intents i on i.region_id = p.region_id and i.id = p.intent_id
       join cand on cand.acquirer_id = p.acquirer_id and cand.reference = i.reference
      where p.region_id = :region and p.business_date = cast(:date as date) and p.channel = 'qris' and ${SETTLEABLE}
        and (cand.rrn is null or p.rrn is null or cand.rrn = p.rrn)
        and not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)`,
    { region: regionId, date },
  );
}

interface OpenPayment {
  id: string;
  acquirer_id: string;
  rrn: string | null;
  tid: string | null;
  stan: string | null;
  amount: string;
  paid_at: Date;
  business_date: string;
}

interface OpenLine {
  id: string;
  acquirer_id: string;
  rrn: string | null;
  tid: string | null;
  stan: string | null;
  gross: string;
  transacted_at: Date | null;
  transaction_date: string;
}

const rrnsDisagree = (p: OpenPayment, l: OpenLine) => p.rrn !== null && l.rrn !== null && p.rrn !== l.rrn;

async function matchLeftovers(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  const payments: OpenPayment[] = (
    await trx.raw(
      `select p.id, p.acquirer_id, p.rrn, p.tid, p.stan, p.amount::text as amount, p.paid_at, p.business_date::text as business_date
         from payments p
        where p.region_id = ? and p.business_date = ?::date and ${SETTLEABLE}
          and not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)
        order by p.paid_at, p.id`,
      [regionId, date],
    )
  ).rows;
  if (payments.length === 0) return;
  const lines: OpenLine[] = (
    await trx.raw(
      `select sl.id::text as id, sl.acquirer_id, sl.rrn, sl.tid, sl.stan, sl.gross::text as gross, sl.transacted_at,
              sl.transaction_date::text as transaction_date
         from settlement_lines sl
        where sl.region_id = ? and sl.transaction_date = ?::date
          and not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)
          and not ${DUPLICATE_LINE}
        order by sl.id`,
      [regionId, date],
    )
  ).rows;
  if (lines.length === 0) return;

  const pairs: { payment: OpenPayment; line: OpenLine; method: 'tid-stan' | 'amount-time' }[] = [];
  const takenP = new Set<string>();
  const takenL = new Set<string>();

  // 2. TID + STAN + date: a card transaction's identity at its terminal.
  const byKey = (acq: string, tid: string | null, stan: string | null, d: string) =>
    tid && stan ? `${acq}|${tid}|${stan.replace(/^0+/, '')}|${d}` : undefined;
  const lineKeys = groupBy(lines, (l) => byKey(l.acquirer_id, l.tid, l.stan, l.transaction_date));
  const payKeys = groupBy(payments, (p) => byKey(p.acquirer_id, p.tid, p.stan, p.business_date));
  for (const [key, ps] of payKeys) {
    const ls = lineKeys.get(key);
    if (ps.length === 1 && ls?.length === 1 && !rrnsDisagree(ps[0], ls[0])) {
      pairs.push({ payment: ps[0], line: ls[0], method: 'tid-stan' });
      takenP.add(ps[0].id);
      takenL.add(ls[0].id);
    }
  }

  // 3. Amount within the window, when the pairing is unambiguous from both sides.
  const fits = (p: OpenPayment, l: OpenLine) =>
    p.acquirer_id === l.acquirer_id &&
    l.transacted_at !== null &&
    Math.abs(l.transacted_at.getTime() - p.paid_at.getTime()) <= AMOUNT_TIME_WINDOW_SECONDS * 1000 &&
    equalAmounts(p.amount, l.gross) &&
    !rrnsDisagree(p, l) &&
    (p.tid === null || l.tid === null || p.tid === l.tid);
  const openP = payments.filter((p) => !takenP.has(p.id));
  const openL = lines.filter((l) => !takenL.has(l.id));
  for (const p of openP) {
    const ls = openL.filter((l) => fits(p, l));
    if (ls.length !== 1) continue;
    const rivals = openP.filter((q) => fits(q, ls[0]));
    if (rivals.length !== 1) continue;
    pairs.push({ payment: p, line: ls[0], method: 'amount-time' });
  }

  for (const { payment, line, method } of pairs) {
    await trx.raw(
      `insert into settlement_matches (region_id, payment_id, settlement_line_id, method, business_date)
       values (?, ?, ?, ?, ?) on conflict do nothing`,
      [regionId, payment.id, line.id, method, payment.business_date],
    );
  }
}

function equalAmounts(a: string, b: string): boolean {
  return new Decimal(a).eq(b);
}

function groupBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), it]);
  }
  return out;
}
