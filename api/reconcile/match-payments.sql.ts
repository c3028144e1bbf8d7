// The set-based statements of payment matching (match-payments.ts says in which order they run
// and why). Each step writes temporary tables that drop at commit, so every one of these runs in
// the reconciling transaction.
import type { Knex } from 'knex';

/** The ledger payments a bank should settle: card and QRIS, not voided (payment alias p). */
export const SETTLEABLE = `p.channel in ('card','qris')
  and not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)`;

/** Lines that repeat an earlier line are duplicates: reported, never matched. The same acquirer
 * and RRN, or, for a line without RRN, the same TID (or MID), approval code, amount and card on
 * the same day. Found once per run into recon_duplicates; test a line alias sl with DUPLICATE_LINE. */
export const DUPLICATE_LINE = `exists (select 1 from recon_duplicates dup where dup.id = sl.id)`;

/** Payments and lines that fit each other equally: in recon_ambiguous_members, per group. */
export const AMBIGUOUS_PAYMENT = `exists (select 1 from recon_ambiguous_members am where am.payment_id = p.id)`;
export const AMBIGUOUS_LINE = `exists (select 1 from recon_ambiguous_members am where am.line_id = sl.id)`;

export const UNMATCHED_PAYMENT = `not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)`;
export const UNMATCHED_LINE = `not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)`;

/** A line's identity as a transaction, where it has no RRN. */
const CARD_IDENTITY = `coalesce('R:' || sl.rrn,
  'C:' || coalesce(sl.tid, '') || '|' || coalesce(sl.mid, '') || '|' || sl.approval_code || '|' || trim_scale(sl.gross)::text || '|' || coalesce(sl.masked_pan, ''))`;

/** Refreshes the statistics of the matching's tables that changed by more than this many rows. */
export async function analyzeStaleTables(trx: Knex.Transaction, afterRows: number): Promise<void> {
  const { rows } = await trx.raw(
    `select relname from pg_stat_user_tables
      where relname in ('payments', 'settlement_lines', 'settlement_matches', 'statement_entries') and n_mod_since_analyze > ?`,
    [afterRows],
  );
  for (const r of rows as { relname: string }[]) await trx.raw(`analyze ${r.relname}`);
}

/** Rows written in this transaction are not in the statistics yet. */
export async function analyzeMatches(trx: Knex.Transaction): Promise<void> {
  await trx.raw('analyze settlement_matches');
}

/** The day's duplicate lines into recon_duplicates; true when there is any. */
export async function findDuplicates(trx: Knex.Transaction, regionId: string, date: string): Promise<boolean> {
  // Two hash passes, no sort: the keys seen twice, then the lines after the first of each.
  await trx.raw('drop table if exists recon_duplicate_keys');
  await trx.raw(
    `create temp table recon_duplicate_keys on commit drop as
     select sl.acquirer_id, ${CARD_IDENTITY} as identity, min(sl.id) as first_id
       from settlement_lines sl
      where sl.region_id = ? and sl.transaction_date = cast(? as date) and (sl.rrn is not null or sl.approval_code is not null)
      group by 1, 2 having count(*) > 1`,
    [regionId, date],
  );
  await trx.raw('drop table if exists recon_duplicates');
  // Most days have none: then the lines need not be read again.
  const none = (await trx.raw('select not exists (select 1 from recon_duplicate_keys) as none')).rows[0]
    .none as boolean;
  await trx.raw(
    `create temp table recon_duplicates on commit drop as
     select sl.id, d.first_id
       from settlement_lines sl
       join recon_duplicate_keys d on d.acquirer_id = sl.acquirer_id and d.identity = ${CARD_IDENTITY}
      where sl.region_id = ? and sl.transaction_date = cast(? as date) and sl.id <> d.first_id ${none ? 'and false' : ''}`,
    [regionId, date],
  );
  await trx.raw('alter table recon_duplicates add primary key (id)');
  await trx.raw('analyze recon_duplicates');
  return !none;
}

/** Where the card steps put the candidates they will not guess between, per group. */
export async function createAmbiguityTable(trx: Knex.Transaction): Promise<void> {
  await trx.raw('drop table if exists recon_ambiguous_members');
  await trx.raw(`create temp table recon_ambiguous_members (
      grp text not null, acquirer_id uuid not null, payment_id uuid, line_id bigint) on commit drop`);
}

// The pairs are found first, into a temporary table, and inserted after: an INSERT whose own
// NOT EXISTS reads the table it is filling rescans its growing heap once per row.
async function insertPairs(trx: Knex.Transaction, select: string, bindings: Record<string, unknown>): Promise<number> {
  await trx.raw('drop table if exists recon_pairs');
  await trx.raw(`create temp table recon_pairs on commit drop as ${select}`, bindings);
  const res = await trx.raw(
    `insert into settlement_matches (region_id, payment_id, settlement_line_id, method, business_date)
     select region_id, payment_id, line_id, method, business_date from recon_pairs order by payment_id`,
  );
  return res.rowCount ?? 0;
}

/** Acquirer + RRN; the number of pairs. */
export async function pairByRrn(trx: Knex.Transaction, regionId: string, date: string): Promise<number> {
  // Prefer a line of the same date; the bank's day may differ from the terminal's around midnight.
  return insertPairs(
    trx,
    `with cand as (
       -- One line per (acquirer, RRN): the first of the same date, else the first; as aggregates,
       -- so a million lines are hashed rather than sorted.
       select coalesce(min(sl.id) filter (where sl.transaction_date = cast(:date as date)), min(sl.id)) as id, sl.acquirer_id, sl.rrn
         from settlement_lines sl
        where sl.region_id = :region and sl.rrn is not null
          and sl.transaction_date between cast(:date as date) - 1 and cast(:date as date) + 1
          and ${UNMATCHED_LINE}
        group by sl.acquirer_id, sl.rrn)
     select p.region_id, p.id as payment_id, cand.id as line_id, 'rrn'::text as method, p.business_date
       from payments p join cand on cand.acquirer_id = p.acquirer_id and cand.rrn = p.rrn
      where p.region_id = :region and p.business_date = cast(:date as date) and ${SETTLEABLE}
        and ${UNMATCHED_PAYMENT}`,
    { region: regionId, date },
  );
}

/** A QRIS payment's intent reference against the line's reference label. */
export async function pairByReference(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await insertPairs(
    trx,
    `with cand as (
       select distinct on (sl.acquirer_id, sl.reference) sl.id, sl.acquirer_id, sl.reference, sl.rrn
         from settlement_lines sl
        where sl.region_id = :region and sl.reference is not null
          and sl.transaction_date between cast(:date as date) - 1 and cast(:date as date) + 1
          and ${UNMATCHED_LINE}
        order by sl.acquirer_id, sl.reference, (sl.transaction_date <> cast(:date as date)), sl.id)
     select p.region_id, p.id as payment_id, cand.id as line_id, 'reference'::text as method, p.business_date
       from payments p
       join qris_intents i on i.region_id = p.region_id and i.id = p.intent_id
       join cand on cand.acquirer_id = p.acquirer_id and cand.reference = i.reference
      where p.region_id = :region and p.business_date = cast(:date as date) and p.channel = 'qris' and ${SETTLEABLE}
        and (cand.rrn is null or p.rrn is null or cand.rrn = p.rrn)
        and ${UNMATCHED_PAYMENT}`,
    { region: regionId, date },
  );
}

// ---- Card lines without RRN ---------------------------------------------------------------

/** How a card step compares approval codes: as written, or without case and leading zeros. */
export type CodeComparison = 'as-written' | 'loose';

export interface CardStep {
  method: 'card' | 'card-code-as-written' | 'card-amount-differs';
  /** The approval code as compared */
  code: CodeComparison;
  withAmount: boolean;
}

const asWritten = (a: string) => `${a}.approval_code`;
/** Without case and leading zeros: what survives an Excel copy of the code. */
const loose = (a: string) => `upper(ltrim(${a}.approval_code, '0'))`;
const CODE: Record<CodeComparison, (alias: string) => string> = { 'as-written': asWritten, loose };

/** True when a card line of the day carries no TID (then a payment's candidate may be by MID). */
export async function someCardLineWithoutTid(trx: Knex.Transaction, regionId: string, date: string): Promise<boolean> {
  const { rows } = await trx.raw(
    `select exists (select 1 from settlement_lines sl where sl.region_id = :region and sl.transaction_date = cast(:date as date)
                      and sl.tid is null and sl.approval_code is not null) as without_tid`,
    { region: regionId, date },
  );
  return rows[0].without_tid;
}

/** A key (acquirer, TID, approval code as written, amount) that exactly one open payment and
 * exactly one open line of the day carry pairs them, in one statement without candidate tables.
 * Without a temporary table in it (on a day without duplicates) PostgreSQL may run it in parallel. */
export async function pairUniqueCardKeys(
  trx: Knex.Transaction,
  regionId: string,
  date: string,
  duplicates: boolean,
): Promise<number> {
  return insertPairs(
    trx,
    `with p as (
       select p.acquirer_id, p.tid, p.approval_code, p.amount, (array_agg(p.id))[1] as id, count(*) as n,
              bool_and(p.rrn is null) as no_rrn, min(p.business_date) as business_date
         from payments p
        where p.region_id = :region and p.business_date = cast(:date as date) and p.channel = 'card' and ${SETTLEABLE}
          and p.approval_code is not null and ${UNMATCHED_PAYMENT}
        group by 1, 2, 3, 4),
     l as (
       select sl.acquirer_id, sl.tid, sl.approval_code, sl.gross, min(sl.id) as id, count(*) as n, bool_and(sl.rrn is null) as no_rrn
         from settlement_lines sl
        where sl.region_id = :region and sl.transaction_date = cast(:date as date) and sl.approval_code is not null
          and sl.tid is not null and ${UNMATCHED_LINE} ${duplicates ? `and not ${DUPLICATE_LINE}` : ''}
        group by 1, 2, 3, 4)
     select cast(:region as uuid) as region_id, p.id as payment_id, l.id as line_id, 'card'::text as method, p.business_date
       from p join l on l.acquirer_id = p.acquirer_id and l.tid = p.tid and l.approval_code = p.approval_code and l.gross = p.amount
      where p.n = 1 and l.n = 1 and (p.no_rrn or l.no_rrn)`,
    { region: regionId, date },
  );
}

/** The open card lines of the day into recon_open_lines; true when there is any. */
export async function openCardLines(trx: Knex.Transaction, regionId: string, date: string): Promise<boolean> {
  await trx.raw('drop table if exists recon_open_lines');
  await trx.raw(
    `create temp table recon_open_lines on commit drop as
     select sl.id, sl.acquirer_id, sl.tid, sl.mid, sl.approval_code, sl.gross, sl.masked_pan, sl.terminal_batch, sl.rrn
       from settlement_lines sl
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and sl.approval_code is not null
        and ${UNMATCHED_LINE} and not ${DUPLICATE_LINE}`,
    { region: regionId, date },
  );
  const { rows } = await trx.raw('select exists (select 1 from recon_open_lines) as some');
  return rows[0].some;
}

/** The open card payments of the day into recon_open_payments, and both open tables analyzed. */
export async function openCardPayments(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await trx.raw('drop table if exists recon_open_payments');
  await trx.raw(
    `create temp table recon_open_payments on commit drop as
     select p.id, p.acquirer_id, p.tid, p.mid, p.approval_code, p.amount, p.masked_pan, p.terminal_batch, p.rrn, p.business_date
       from payments p
      where p.region_id = :region and p.business_date = cast(:date as date) and p.channel = 'card' and ${SETTLEABLE}
        and p.approval_code is not null and ${UNMATCHED_PAYMENT}`,
    { region: regionId, date },
  );
  await trx.raw('analyze recon_open_payments');
  await trx.raw('analyze recon_open_lines');
}

/** How well a candidate fits beyond the step's key: the masked card (first 6 and last 4 digits
 * both shown and equal) counts most, the EDC batch where both sides carry it next. */
const TIE_SCORE = `(case when p.masked_pan is not null and l.masked_pan is not null
        and left(p.masked_pan, 6) ~ '^[0-9]{6}$' and right(p.masked_pan, 4) ~ '^[0-9]{4}$'
        and left(p.masked_pan, 6) = left(l.masked_pan, 6) and right(p.masked_pan, 4) = right(l.masked_pan, 4) then 2 else 0 end
   + case when p.terminal_batch is not null and l.terminal_batch is not null
        and ltrim(p.terminal_batch, '0') = ltrim(l.terminal_batch, '0') then 1 else 0 end)`;

/** One card step over the open tables: its pairs inserted (the number returned), its equal
 * candidates into recon_ambiguous_members, and what it paired taken out of the open tables. */
export async function pairCardStep(trx: Knex.Transaction, regionId: string, step: CardStep): Promise<number> {
  const code = CODE[step.code];
  const amount = step.withAmount ? 'and l.gross = p.amount' : '';
  // Where the line has a TID it must be the payment's; BRI writes none, then its MID must be.
  // Two equi-joins rather than one CASE, so that each is a hash join over a million rows.
  const join = (terminal: string) => `
    select p.id as payment_id, l.id as line_id, p.acquirer_id, ${TIE_SCORE} as score,
           p.acquirer_id || '|' || ${terminal === 'tid' ? "'T:' || l.tid" : "'M:' || l.mid"} || '|' || ${code('l')}
             ${step.withAmount ? "|| '|' || trim_scale(l.gross)::text" : ''} as grp
      from recon_open_payments p
      join recon_open_lines l on l.acquirer_id = p.acquirer_id and l.${terminal} = p.${terminal}
           and ${code('l')} = ${code('p')} ${amount}
     where ${terminal === 'tid' ? 'l.tid is not null' : 'l.tid is null and l.mid is not null'}
       and (l.rrn is null or p.rrn is null or l.rrn = p.rrn)
       and not exists (select 1 from recon_ambiguous_members am where am.payment_id = p.id or am.line_id = l.id)`;
  await trx.raw('drop table if exists recon_candidates');
  await trx.raw(`create temp table recon_candidates on commit drop as ${join('tid')} union all ${join('mid')}`);
  const { rows } = await trx.raw(`select count(*)::int as n from recon_candidates`);
  if (rows[0].n === 0) return 0;
  // A candidate is taken when it is the only one of its payment and of its line, or else when
  // its tie score is the best of both its payment's and its line's candidates, and no other
  // candidate of either reaches that score.
  await trx.raw(`
    create temp table recon_taken on commit drop as
    with scored as (
      select c.*,
             count(*) over (partition by payment_id) as np, count(*) over (partition by line_id) as nl,
             max(score) over (partition by payment_id) as best_p, max(score) over (partition by line_id) as best_l
        from recon_candidates c),
    best as (
      select s.*, count(*) filter (where score = best_p) over (partition by payment_id) as np_best,
                  count(*) filter (where score = best_l) over (partition by line_id) as nl_best
        from scored s)
    select payment_id, line_id, acquirer_id, grp from best
     where (np = 1 and nl = 1)
        or (score > 0 and score = best_p and score = best_l and np_best = 1 and nl_best = 1)`);
  const res = await trx.raw(
    `insert into settlement_matches (region_id, payment_id, settlement_line_id, method, business_date)
     select ?, t.payment_id, t.line_id, ?, p.business_date
       from recon_taken t join recon_open_payments p on p.id = t.payment_id
      order by t.payment_id
     on conflict do nothing`,
    [regionId, step.method],
  );
  // What is left of a group with a taken pair may now be alone: it waits for the next step or
  // the next run, never for a guess. The rest of the candidates fit equally: ambiguous.
  await trx.raw(`
    insert into recon_ambiguous_members (grp, acquirer_id, payment_id, line_id)
    select c.grp, c.acquirer_id, c.payment_id, null from recon_candidates c
     where not exists (select 1 from recon_taken t where t.payment_id = c.payment_id)
       and not exists (select 1 from recon_taken t where t.line_id = c.line_id)
     group by c.grp, c.acquirer_id, c.payment_id
    union all
    select c.grp, c.acquirer_id, null, c.line_id from recon_candidates c
     where not exists (select 1 from recon_taken t where t.payment_id = c.payment_id)
       and not exists (select 1 from recon_taken t where t.line_id = c.line_id)
     group by c.grp, c.acquirer_id, c.line_id`);
  await trx.raw(
    `delete from recon_open_payments p where exists (select 1 from recon_taken t where t.payment_id = p.id)`,
  );
  await trx.raw(`delete from recon_open_lines l where exists (select 1 from recon_taken t where t.line_id = l.id)`);
  await trx.raw('drop table recon_taken');
  return res.rowCount ?? 0;
}

// ---- What is left: STAN, and amount within a time window --------------------------------

export interface OpenPayment {
  id: string;
  acquirer_id: string;
  rrn: string | null;
  tid: string | null;
  stan: string | null;
  amount: string;
  paid_at: Date;
  business_date: string;
}

export interface OpenLine {
  id: string;
  acquirer_id: string;
  rrn: string | null;
  tid: string | null;
  stan: string | null;
  gross: string;
  transacted_at: Date | null;
  transaction_date: string;
}

/** The day's open lines that carry a STAN or a time, the only ones that can pair by them. */
export async function leftoverLines(trx: Knex.Transaction, regionId: string, date: string): Promise<OpenLine[]> {
  return (
    await trx.raw(
      `select sl.id::text as id, sl.acquirer_id, sl.rrn, sl.tid, sl.stan, sl.gross::text as gross, sl.transacted_at,
              sl.transaction_date::text as transaction_date
         from settlement_lines sl
        where sl.region_id = ? and sl.transaction_date = ?::date and (sl.stan is not null or sl.transacted_at is not null)
          and ${UNMATCHED_LINE} and not ${DUPLICATE_LINE} and not ${AMBIGUOUS_LINE}
        order by sl.id`,
      [regionId, date],
    )
  ).rows;
}

/** The day's open settleable payments, by the time they were paid. */
export async function leftoverPayments(trx: Knex.Transaction, regionId: string, date: string): Promise<OpenPayment[]> {
  return (
    await trx.raw(
      `select p.id, p.acquirer_id, p.rrn, p.tid, p.stan, p.amount::text as amount, p.paid_at, p.business_date::text as business_date
         from payments p
        where p.region_id = ? and p.business_date = ?::date and ${SETTLEABLE}
          and ${UNMATCHED_PAYMENT} and not ${AMBIGUOUS_PAYMENT}
        order by p.paid_at, p.id`,
      [regionId, date],
    )
  ).rows;
}

export async function insertMatch(
  trx: Knex.Transaction,
  regionId: string,
  m: { paymentId: string; lineId: string; method: string; businessDate: string },
): Promise<void> {
  await trx.raw(
    `insert into settlement_matches (region_id, payment_id, settlement_line_id, method, business_date)
       values (?, ?, ?, ?, ?) on conflict do nothing`,
    [regionId, m.paymentId, m.lineId, m.method, m.businessDate],
  );
}
