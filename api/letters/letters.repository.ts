// Demand letters in SQL: which assessments are due a warning or an STRD as of a local date, and
// the one statement per kind that numbers and writes a whole market's letters at once; and
// whether what a letter bills is paid now (its status), computed with the letters it lists.
import type { Db } from '../../db/knex';
import type { LetterKind, LetterStatus } from './letters.schemas';

/** A region's letter rules, with the dates they give for a run as of `asOf`. */
export interface LetterRules {
  regionCode: string;
  marketCode: string;
  marketName: string;
  warningCutoff: string; // assessments due on or before this date are late enough for a warning
  warningDueOn: string;
  strdDueOn: string;
}

export async function letterRules(
  db: Db,
  regionId: string,
  marketId: string,
  asOf: string,
): Promise<LetterRules | undefined> {
  const { rows } = await db.raw(
    `select r.code as region_code, m.code as market_code, m.name as market_name,
            (cast(:asOf as date) - r.warning_after_days)::text as warning_cutoff,
            (cast(:asOf as date) + r.warning_grace_days)::text as warning_due_on,
            (cast(:asOf as date) + r.strd_due_days)::text as strd_due_on
       from markets m join regions r on r.id = m.region_id
      where m.region_id = :regionId and m.id = :marketId`,
    { regionId, marketId, asOf },
  );
  const r = rows[0];
  return (
    r && {
      regionCode: r.region_code,
      marketCode: r.market_code,
      marketName: r.market_name,
      warningCutoff: r.warning_cutoff,
      warningDueOn: r.warning_due_on,
      strdDueOn: r.strd_due_on,
    }
  );
}

/** Refreshes the planner's statistics of the tables a run reads when they changed a lot since it
 * last looked (autovacuum's own rule, done now): a run just after a market's first letters, or
 * after a month of assessments landed at once, would otherwise be planned for nearly empty tables
 * and join row by row (seconds per hundred traders instead of milliseconds). Outside the run's
 * transaction, so the lock ANALYZE takes is not held while the letters are written. */
export async function refreshStatistics(db: Db): Promise<void> {
  const { rows } = await db.raw(
    `select relname from pg_stat_user_tables
      where relname in ('assessments', 'letters', 'letter_items', 'penalty_charges')
        and n_mod_since_analyze > 1000 + 0.1 * n_live_tup`,
  );
  for (const r of rows as { relname: string }[]) await db.raw(`analyze ${r.relname}`);
}

/** Two runs for one market wait for each other (until the first commits or rolls back). */
export async function lockMarketLetters(trx: Db, regionId: string, marketId: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtextextended('letters:' || ? || ':' || ?, 0))`, [regionId, marketId]);
}

/** True when the region has ledger entries dated after `asOf`: only then can an assessment's
 * unpaid principal as of that date differ from its open amount now. */
export async function entriesAfter(db: Db, regionId: string, asOf: string): Promise<boolean> {
  const { rows } = await db.raw(
    `select exists (select 1 from journal_entries where region_id = ? and business_date > cast(? as date)) as later`,
    [regionId, asOf],
  );
  return rows[0].later === true;
}

// Unpaid principal as of :asOf = amount - allocations whose entry is dated on or before it. When
// nothing is dated after :asOf that is exactly open_amount (kept in step with the allocations),
// and only open assessments can qualify: the partial index finds them without touching the paid.
function unpaid(current: boolean) {
  if (current) return { amount: 'a.open_amount', filter: 'and a.open_amount > 0' };
  return {
    amount: `a.amount - coalesce((select sum(al.amount) from allocations al
                                   join journal_entries je on je.region_id = al.region_id and je.id = al.journal_entry_id
                                  where al.region_id = a.region_id and al.assessment_id = a.id
                                    and je.business_date <= cast(:asOf as date)), 0)`,
    filter: '',
  };
}

// Every due query yields (assessment_id, trader_id, stall_id, business_date, principal, penalty,
// follows_id, follows_on, follows_seq); rows with no unpaid principal are dropped by the caller.

/** Assessments at least warning_after_days past due, unpaid, and in no warning yet. */
function warningDue(current: boolean): string {
  const u = unpaid(current);
  return `
    select a.id as assessment_id, a.trader_id, a.stall_id, a.business_date, ${u.amount} as principal,
           cast(0 as numeric) as penalty, cast(null as uuid) as follows_id, cast(null as date) as follows_on,
           cast(null as int) as follows_seq
      from assessments a
     where a.region_id = :regionId and a.market_id = :marketId
       and a.business_date <= cast(:cutoff as date) ${u.filter}
       and not exists (select 1 from letter_items w
                        where w.region_id = a.region_id and w.kind = 'warning' and w.assessment_id = a.id)`;
}

// Unpaid penalty of a charge as of :asOf, the same way: amount - penalty allocations dated on or
// before it, or open_amount when nothing is dated after :asOf (penalties are payable since issue 16).
function unpaidPenalty(current: boolean): string {
  if (current) return 'pc.open_amount';
  return `pc.amount - coalesce((select sum(pa.amount) from penalty_allocations pa
                                 join journal_entries je on je.region_id = pa.region_id and je.id = pa.journal_entry_id
                                where pa.region_id = pc.region_id and pa.penalty_charge_id = pc.id
                                  and je.business_date <= cast(:asOf as date)), 0)`;
}

/** Assessments of warnings whose grace ended before :asOf, still unpaid and in no STRD, with
 * the penalty charged on them up to :asOf and still unpaid then (what is paid is not billed). */
function strdDue(current: boolean): string {
  const u = unpaid(current);
  return `
    select a.id as assessment_id, a.trader_id, a.stall_id, a.business_date, ${u.amount} as principal,
           coalesce(pen.amount, 0) as penalty, l.id as follows_id, l.issued_on as follows_on, l.seq as follows_seq
      from letters l
      join letter_items li on li.region_id = l.region_id and li.letter_id = l.id
      join assessments a on a.region_id = li.region_id and a.id = li.assessment_id
      left join lateral (select sum(${unpaidPenalty(current)}) as amount from penalty_charges pc
                          where pc.region_id = a.region_id and pc.assessment_id = a.id
                            and pc.charged_on <= cast(:asOf as date)) pen on true
     where l.region_id = :regionId and l.market_id = :marketId and l.kind = 'warning'
       and l.due_on < cast(:asOf as date) ${u.filter}
       and not exists (select 1 from letter_items s
                        where s.region_id = li.region_id and s.kind = 'strd' and s.assessment_id = li.assessment_id)`;
}

// One letter per trader, numbered in trader-name order from a block of numbers taken in one
// upsert of the (region, kind, year) counter. The counter row stays locked until the caller's
// transaction ends, so concurrent runs queue for their block and a rollback gives it back.
const ISSUE = (due: string) => `
with due as materialized (select * from (${due}) d where d.principal > 0),
heads as materialized (
  select d.trader_id, t.name as trader_name, gen_random_uuid() as id,
         sum(d.principal) as principal, sum(d.penalty) as penalty, count(*) as items,
         (array_agg(d.follows_id order by d.follows_on desc nulls last, d.follows_seq desc nulls last))[1] as follows_id,
         row_number() over (order by t.name, d.trader_id) as rn,
         count(*) over () as n
    from due d
    join traders t on t.region_id = :regionId and t.id = d.trader_id
   group by d.trader_id, t.name
),
block as (
  insert into document_sequences as ds (region_id, kind, year, last_number)
  select cast(:regionId as uuid), :seqKind, cast(:year as int), count(*) from heads having count(*) > 0
  on conflict (region_id, kind, year) do update set last_number = ds.last_number + excluded.last_number
  returning ds.last_number
),
ins as (
  insert into letters (region_id, id, kind, year, seq, number, market_id, trader_id, issued_on, due_on,
                       principal, penalty, total, follows_letter_id, issued_by)
  select cast(:regionId as uuid), h.id, :kind, cast(:year as int), h.seq,
         lpad(h.seq::text, greatest(5, length(h.seq::text)), '0') || :numberSuffix,
         cast(:marketId as uuid), h.trader_id, cast(:asOf as date), cast(:dueOn as date),
         h.principal, h.penalty, h.principal + h.penalty, h.follows_id, :issuedBy
    from (select h.*, b.last_number - h.n + h.rn as seq from heads h cross join block b) h
  returning id, seq, number
),
items as (
  insert into letter_items (region_id, letter_id, kind, assessment_id, stall_id, business_date, principal, penalty)
  select cast(:regionId as uuid), h.id, :kind, d.assessment_id, d.stall_id, d.business_date, d.principal, d.penalty
    from due d join heads h on h.trader_id = d.trader_id
)
select i.id, i.seq, i.number, h.trader_id, h.trader_name, h.principal, h.penalty, h.items
  from ins i join heads h on h.id = i.id
 order by i.seq`;

export interface IssuedRow {
  id: string;
  seq: number;
  number: string;
  trader_id: string;
  trader_name: string;
  principal: string;
  penalty: string;
  items: string;
}

export interface IssueArgs {
  regionId: string;
  marketId: string;
  asOf: string;
  regionCode: string;
  cutoff: string;
  dueOn: string;
  issuedBy: string | null;
  current: boolean;
}

const NUMBER_CODE: Record<LetterKind, string> = { warning: 'ST', strd: 'STRD' };

/** Issues every letter of one kind due in a market as of a date; must run in a transaction. */
export async function issueKind(trx: Db, kind: LetterKind, a: IssueArgs): Promise<IssuedRow[]> {
  const due = kind === 'warning' ? warningDue(a.current) : strdDue(a.current);
  const year = Number(a.asOf.slice(0, 4));
  const { rows } = await trx.raw(ISSUE(due), {
    regionId: a.regionId,
    marketId: a.marketId,
    asOf: a.asOf,
    cutoff: a.cutoff,
    dueOn: a.dueOn,
    kind,
    seqKind: `letter-${kind}`,
    year,
    numberSuffix: `/${NUMBER_CODE[kind]}/${a.regionCode}/${year}`,
    issuedBy: a.issuedBy,
  });
  return rows;
}

export interface LetterRow {
  id: string;
  region_id: string;
  kind: LetterKind;
  year: number;
  seq: number;
  number: string;
  market_id: string;
  market_code: string;
  market_name: string;
  trader_id: string;
  trader_name: string;
  trader_address: string | null;
  issued_on: string;
  issued_at: Date;
  due_on: string;
  principal: string;
  penalty: string;
  total: string;
  follows_letter_id: string | null;
  follows_number: string | null;
  follows_issued_on: string | null;
  issued_by: string | null;
  items: string;
  stalls: string[];
  /** what of the total is settled now, what is still owed, and so the letter's status */
  paid: string;
  outstanding: string;
  status: LetterStatus;
}

export interface LetterFilter {
  regionId: string;
  marketId?: string;
  kind?: LetterKind;
  issuedOn?: string;
  traderId?: string;
  letterId?: string;
  /** Keyset paging for documents that walk a whole market's letters in number order. */
  afterSeq?: number;
  limit?: number;
  offset?: number;
}

// What of one letter item (li, of letter l, on assessment a) is still owed now: its principal
// while the assessment is open (the open amount, never more than the item billed), and the
// penalty it billed while the day's penalty charged on or before the letter's date is open
// (their open amount, never more than the item billed). A warning bills no penalty.
const ITEM_PRINCIPAL_OWED = 'least(a.open_amount, li.principal)';
const ITEM_PENALTY_OWED = `case when li.penalty > 0 then
    least(coalesce((select sum(pc.open_amount) from penalty_charges pc
                     where pc.region_id = li.region_id and pc.assessment_id = li.assessment_id
                       and pc.charged_on <= l.issued_on), 0), li.penalty)
    else 0 end`;

/** A letter's status from its total and what of it is still owed. */
const STATUS = (total: string, owed: string) =>
  `case when ${owed} = 0 then 'paid' when ${owed} >= ${total} then 'open' else 'partly-paid' end`;

// A letter with whom it is addressed to, what it follows, the stalls it covers, and what of it
// is settled now (one lateral per letter over its items: one statement for a whole list).
const LETTERS = `
select l.id, l.region_id, l.kind, l.year, l.seq, l.number, l.market_id, m.code as market_code, m.name as market_name,
       l.trader_id, t.name as trader_name, t.address as trader_address,
       l.issued_on::text as issued_on, l.issued_at, l.due_on::text as due_on, l.principal, l.penalty, l.total,
       l.follows_letter_id, f.number as follows_number, f.issued_on::text as follows_issued_on, l.issued_by, it.items, it.stalls,
       l.total - it.outstanding as paid, it.outstanding, ${STATUS('l.total', 'it.outstanding')} as status
  from letters l
  join markets m on m.region_id = l.region_id and m.id = l.market_id
  join traders t on t.region_id = l.region_id and t.id = l.trader_id
  left join letters f on f.region_id = l.region_id and f.id = l.follows_letter_id
  cross join lateral (select count(*) as items, array_agg(distinct s.code order by s.code) as stalls,
                             coalesce(sum(${ITEM_PRINCIPAL_OWED} + ${ITEM_PENALTY_OWED}), 0) as outstanding
                        from letter_items li
                        join stalls s on s.region_id = li.region_id and s.id = li.stall_id
                        join assessments a on a.region_id = li.region_id and a.id = li.assessment_id
                       where li.region_id = l.region_id and li.letter_id = l.id) it`;

export async function findLetters(db: Db, f: LetterFilter): Promise<LetterRow[]> {
  const where = ['l.region_id = :regionId'];
  if (f.marketId) where.push('l.market_id = :marketId');
  if (f.kind) where.push('l.kind = :kind');
  if (f.issuedOn) where.push('l.issued_on = cast(:issuedOn as date)');
  if (f.traderId) where.push('l.trader_id = :traderId');
  if (f.letterId) where.push('l.id = :letterId');
  if (f.afterSeq !== undefined) where.push('l.seq > :afterSeq');
  const { rows } = await db.raw(
    `${LETTERS} where ${where.join(' and ')} order by l.issued_on desc, l.kind, l.seq limit :limit offset :offset`,
    { ...f, limit: f.limit ?? 1000, offset: f.offset ?? 0 },
  );
  return rows;
}

/** The region of a letter, looked up by id alone (scope is checked against it). */
export async function letterRegion(
  db: Db,
  letterId: string,
): Promise<{ region_id: string; market_id: string } | undefined> {
  return db('letters').where({ id: letterId }).first('region_id', 'market_id');
}

export interface ItemRow {
  assessment_id: string;
  stall_id: string;
  stall_code: string;
  business_date: string;
  principal: string;
  penalty: string;
  /** what of this item's principal and penalty is still owed now */
  outstanding: string;
}

export async function letterItems(db: Db, regionId: string, letterId: string): Promise<ItemRow[]> {
  const { rows } = await db.raw(
    `select li.assessment_id, li.stall_id, s.code as stall_code, li.business_date::text as business_date, li.principal, li.penalty,
            ${ITEM_PRINCIPAL_OWED} + ${ITEM_PENALTY_OWED} as outstanding
       from letter_items li
       join letters l on l.region_id = li.region_id and l.id = li.letter_id
       join stalls s on s.region_id = li.region_id and s.id = li.stall_id
       join assessments a on a.region_id = li.region_id and a.id = li.assessment_id
      where li.region_id = ? and li.letter_id = ?
      order by s.code, li.business_date`,
    [regionId, letterId],
  );
  return rows;
}

export interface StatusRow {
  id: string;
  total: string;
  paid: string;
  outstanding: string;
  status: LetterStatus;
}

/** The status of each of these letters, in one statement (a page listing letters read elsewhere). */
export async function letterStatuses(db: Db, regionId: string, letterIds: string[]): Promise<StatusRow[]> {
  if (letterIds.length === 0) return [];
  const { rows } = await db.raw(
    `select l.id, l.total, l.total - it.outstanding as paid, it.outstanding, ${STATUS('l.total', 'it.outstanding')} as status
       from letters l
       cross join lateral (select coalesce(sum(${ITEM_PRINCIPAL_OWED} + ${ITEM_PENALTY_OWED}), 0) as outstanding
                             from letter_items li
                             join assessments a on a.region_id = li.region_id and a.id = li.assessment_id
                            where li.region_id = l.region_id and li.letter_id = l.id) it
      where l.region_id = ? and l.id = any(?::uuid[])`,
    [regionId, letterIds],
  );
  return rows;
}

export interface MarketRow {
  region_id: string;
  id: string;
  time_zone: string;
}

export async function findMarket(db: Db, marketId: string): Promise<MarketRow | undefined> {
  return db('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .where('m.id', marketId)
    .first('m.region_id', 'm.id', 'r.time_zone');
}

/** A market of the region, as a letters document heads it. */
export function regionMarket(
  db: Db,
  regionId: string,
  marketId: string,
): Promise<{ id: string; code: string; name: string } | undefined> {
  return db('markets').where({ region_id: regionId, id: marketId }).first('id', 'code', 'name');
}

export interface LetterTotals {
  letters: number;
  first_number: string | null;
  last_number: string | null;
  principal: string;
  penalty: string;
  total: string;
}

/** What a market's letters of one kind issued on one date add up to. */
export async function letterTotals(
  db: Db,
  regionId: string,
  marketId: string,
  kind: LetterKind,
  issuedOn: string,
): Promise<LetterTotals> {
  const { rows } = await db.raw(
    `select count(*)::int as letters,
            (array_agg(number order by seq))[1] as first_number, (array_agg(number order by seq desc))[1] as last_number,
            coalesce(sum(principal), 0) as principal, coalesce(sum(penalty), 0) as penalty, coalesce(sum(total), 0) as total
       from letters
      where region_id = ? and market_id = ? and kind = ? and issued_on = cast(? as date)`,
    [regionId, marketId, kind, issuedOn],
  );
  return rows[0];
}

export interface MonthRow {
  letter_id: string;
  stall_code: string;
  month: string;
  days: number;
  day_numbers: number[];
  principal: string;
  penalty: string;
}

/** A letter's stall-days summed per stall and month (a letter may cover many months of days). */
export async function letterMonths(db: Db, regionId: string, letterIds: string[]): Promise<MonthRow[]> {
  if (letterIds.length === 0) return [];
  const { rows } = await db.raw(
    `select li.letter_id, s.code as stall_code, to_char(li.business_date, 'YYYY-MM') as month, count(*)::int as days,
            array_agg(extract(day from li.business_date)::int order by li.business_date) as day_numbers,
            sum(li.principal) as principal, sum(li.penalty) as penalty
       from letter_items li join stalls s on s.region_id = li.region_id and s.id = li.stall_id
      where li.region_id = ? and li.letter_id = any(?::uuid[])
      group by li.letter_id, s.code, to_char(li.business_date, 'YYYY-MM')
      order by li.letter_id, s.code, month`,
    [regionId, letterIds],
  );
  return rows;
}

export interface WarnedByRow {
  letter_id: string;
  number: string;
  issued_on: string;
}

/** The warnings an STRD follows: every warning that listed one of its stall-days, oldest first. */
export async function warningsOf(db: Db, regionId: string, strdIds: string[]): Promise<WarnedByRow[]> {
  if (strdIds.length === 0) return [];
  const { rows } = await db.raw(
    `select distinct s.letter_id, w.number, w.issued_on, w.seq
       from letter_items s
       join letter_items wi on wi.region_id = s.region_id and wi.kind = 'warning' and wi.assessment_id = s.assessment_id
       join letters w on w.region_id = wi.region_id and w.id = wi.letter_id
      where s.region_id = ? and s.letter_id = any(?::uuid[])
      order by s.letter_id, w.issued_on, w.seq`,
    [regionId, strdIds],
  );
  return rows;
}
