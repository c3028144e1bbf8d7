// Ledger payments <-> settlement lines, for one region and business date. Matches are only ever
// added, strongest evidence first, each key used only where both sides carry it:
//   1. acquirer + RRN (or, for QRIS, the reference label of the intent the payment paid);
//   2. a card line without RRN (real BNI, Mandiri and BRI files carry none, nor STAN nor time):
//      acquirer + TID (MID where the bank writes no TID, as BRI) + transaction date + approval
//      code + amount, in four steps:
//        card                 the code as the terminal and the bank wrote it, and the amount;
//        card-code-as-written the code compared without case and leading zeros (an Excel copy
//                             turns 014177 into 14177), and the amount;
//        card-amount-differs  the code as written, any amount: a pair the bank settled for another
//                             amount (then an amount-mismatch exception);
//        (the same without case and leading zeros);
//      where several candidates fit a step, the masked card (first 6 / last 4) and then the EDC
//      batch break the tie; candidates that still fit equally are never guessed between: they
//      become one ambiguous-match exception listing them, and no later step touches them;
//   3. acquirer + TID + STAN + date, for layouts that carry a STAN;
//   4. acquirer + amount within a short time window, only where both sides have a time and
//      exactly one line and one payment fit each other.
// Steps 1 and 2 are set-based statements (they carry a million lines); 3 and 4 look at what is left.
// A payment and a line that both carry an RRN and disagree on it are never paired.
import Decimal from 'decimal.js';
import type { Knex } from 'knex';

/** Step 4's window between the terminal's time and the acquirer's. */
export const AMOUNT_TIME_WINDOW_SECONDS = 180;

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

const UNMATCHED_PAYMENT = `not exists (select 1 from settlement_matches m where m.region_id = p.region_id and m.payment_id = p.id)`;
const UNMATCHED_LINE = `not exists (select 1 from settlement_matches m where m.region_id = sl.region_id and m.settlement_line_id = sl.id)`;

/** A line's identity as a transaction, where it has no RRN. */
const CARD_IDENTITY = `coalesce('R:' || sl.rrn,
  'C:' || coalesce(sl.tid, '') || '|' || coalesce(sl.mid, '') || '|' || sl.approval_code || '|' || trim_scale(sl.gross)::text || '|' || coalesce(sl.masked_pan, ''))`;

/** True when the day has any duplicate line. */
async function findDuplicates(trx: Knex.Transaction, regionId: string, date: string): Promise<boolean> {
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
  const duplicates = await findDuplicates(trx, regionId, date);
  await ambiguityTables(trx);
  let matched = await matchByRrn(trx, regionId, date);
  // Rows written in this transaction are not in the statistics yet.
  if (matched > ANALYZE_AFTER_ROWS) await trx.raw('analyze settlement_matches');
  await matchByReference(trx, regionId, date);
  matched = await matchCards(trx, regionId, date, duplicates);
  if (matched > ANALYZE_AFTER_ROWS) await trx.raw('analyze settlement_matches');
  await matchLeftovers(trx, regionId, date);
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

async function matchByRrn(trx: Knex.Transaction, regionId: string, date: string): Promise<number> {
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

async function matchByReference(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
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

interface CardStep {
  method: 'card' | 'card-code-as-written' | 'card-amount-differs';
  /** The approval code as compared */
  code: (alias: string) => string;
  withAmount: boolean;
}

const asWritten = (a: string) => `${a}.approval_code`;
/** Without case and leading zeros: what survives an Excel copy of the code. */
const loose = (a: string) => `upper(ltrim(${a}.approval_code, '0'))`;

const CARD_STEPS: CardStep[] = [
  { method: 'card', code: asWritten, withAmount: true },
  { method: 'card-code-as-written', code: loose, withAmount: true },
  { method: 'card-amount-differs', code: asWritten, withAmount: false },
  { method: 'card-amount-differs', code: loose, withAmount: false },
];

async function ambiguityTables(trx: Knex.Transaction): Promise<void> {
  await trx.raw('drop table if exists recon_ambiguous_members');
  await trx.raw(`create temp table recon_ambiguous_members (
      grp text not null, acquirer_id uuid not null, payment_id uuid, line_id bigint) on commit drop`);
}

/** The open card payments and lines of the day, after RRN and reference matching, into temp
 * tables the four steps read (on a normal day almost all of them pair in the first step). */
async function matchCards(trx: Knex.Transaction, regionId: string, date: string, duplicates: boolean): Promise<number> {
  const b = { region: regionId, date };
  const first = await matchUniqueCardKeys(trx, regionId, date, duplicates);
  if (first > ANALYZE_AFTER_ROWS) await trx.raw('analyze settlement_matches');
  await trx.raw('drop table if exists recon_open_lines');
  await trx.raw(
    `create temp table recon_open_lines on commit drop as
     select sl.id, sl.acquirer_id, sl.tid, sl.mid, sl.approval_code, sl.gross, sl.masked_pan, sl.terminal_batch, sl.rrn
       from settlement_lines sl
      where sl.region_id = :region and sl.transaction_date = cast(:date as date) and sl.approval_code is not null
        and ${UNMATCHED_LINE} and not ${DUPLICATE_LINE}`,
    b,
  );
  // Nothing left to pair on the bank's side: the payments need not be read again.
  const { rows } = await trx.raw('select exists (select 1 from recon_open_lines) as some');
  if (!rows[0].some) return first;
  await trx.raw('drop table if exists recon_open_payments');
  await trx.raw(
    `create temp table recon_open_payments on commit drop as
     select p.id, p.acquirer_id, p.tid, p.mid, p.approval_code, p.amount, p.masked_pan, p.terminal_batch, p.rrn, p.business_date
       from payments p
      where p.region_id = :region and p.business_date = cast(:date as date) and p.channel = 'card' and ${SETTLEABLE}
        and p.approval_code is not null and ${UNMATCHED_PAYMENT}`,
    b,
  );
  await trx.raw('analyze recon_open_payments');
  await trx.raw('analyze recon_open_lines');
  let matched = first;
  for (const step of CARD_STEPS) matched += await cardStep(trx, regionId, step);
  return matched;
}

/** The first step's common case in one set-based statement, without candidate tables: a key
 * (acquirer, TID, approval code as written, amount) that exactly one open payment and exactly one
 * open line of the day carry pairs them, as the first step would (a candidate alone on both
 * sides). Only on a day whose lines all carry a TID, so that no line could also be a payment's
 * candidate by MID. The rest, if any, goes through the steps. Without a temporary table in it
 * (on a day without duplicates) PostgreSQL may run it in parallel. */
async function matchUniqueCardKeys(
  trx: Knex.Transaction,
  regionId: string,
  date: string,
  duplicates: boolean,
): Promise<number> {
  const b = { region: regionId, date };
  const { rows } = await trx.raw(
    `select exists (select 1 from settlement_lines sl where sl.region_id = :region and sl.transaction_date = cast(:date as date)
                      and sl.tid is null and sl.approval_code is not null) as without_tid`,
    b,
  );
  if (rows[0].without_tid) return 0;
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
    b,
  );
}

/** How well a candidate fits beyond the step's key: the masked card (first 6 and last 4 digits
 * both shown and equal) counts most, the EDC batch where both sides carry it next. */
const TIE_SCORE = `(case when p.masked_pan is not null and l.masked_pan is not null
        and left(p.masked_pan, 6) ~ '^[0-9]{6}$' and right(p.masked_pan, 4) ~ '^[0-9]{4}$'
        and left(p.masked_pan, 6) = left(l.masked_pan, 6) and right(p.masked_pan, 4) = right(l.masked_pan, 4) then 2 else 0 end
   + case when p.terminal_batch is not null and l.terminal_batch is not null
        and ltrim(p.terminal_batch, '0') = ltrim(l.terminal_batch, '0') then 1 else 0 end)`;

async function cardStep(trx: Knex.Transaction, regionId: string, step: CardStep): Promise<number> {
  const amount = step.withAmount ? 'and l.gross = p.amount' : '';
  // Where the line has a TID it must be the payment's; BRI writes none, then its MID must be.
  // Two equi-joins rather than one CASE, so that each is a hash join over a million rows.
  const join = (terminal: string) => `
    select p.id as payment_id, l.id as line_id, p.acquirer_id, ${TIE_SCORE} as score,
           p.acquirer_id || '|' || ${terminal === 'tid' ? "'T:' || l.tid" : "'M:' || l.mid"} || '|' || ${step.code('l')}
             ${step.withAmount ? "|| '|' || trim_scale(l.gross)::text" : ''} as grp
      from recon_open_payments p
      join recon_open_lines l on l.acquirer_id = p.acquirer_id and l.${terminal} = p.${terminal}
           and ${step.code('l')} = ${step.code('p')} ${amount}
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
  // Only lines that carry a STAN or a time can pair here; real card files carry neither.
  const lines: OpenLine[] = (
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
  if (lines.length === 0) return;
  const payments: OpenPayment[] = (
    await trx.raw(
      `select p.id, p.acquirer_id, p.rrn, p.tid, p.stan, p.amount::text as amount, p.paid_at, p.business_date::text as business_date
         from payments p
        where p.region_id = ? and p.business_date = ?::date and ${SETTLEABLE}
          and ${UNMATCHED_PAYMENT} and not ${AMBIGUOUS_PAYMENT}
        order by p.paid_at, p.id`,
      [regionId, date],
    )
  ).rows;
  if (payments.length === 0) return;

  const pairs: { payment: OpenPayment; line: OpenLine; method: 'tid-stan' | 'amount-time' }[] = [];
  const takenP = new Set<string>();
  const takenL = new Set<string>();

  // TID + STAN + date: a card transaction's identity at its terminal.
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

  // Amount within the window, when both sides have a time and the pairing is unambiguous from both.
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
