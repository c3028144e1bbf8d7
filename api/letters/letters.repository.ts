// Demand letters in SQL: which assessments are due a warning or an STRD as of a local date, and
// the one statement per kind that numbers and writes a whole market's letters at once.
import type { Db } from '../../db/knex';
import type { LetterKind } from './letters.schemas';

/** A region's letter rules, with the dates they give for a run as of `asOf`. */
export interface LetterRules {
  regionCode: string;
  marketCode: string;
  marketName: string;
  warningCutoff: string; // assessments due on or before this date are late enough for a warning
  warningDueOn: string;
  strdDueOn: string;
}

export async function letterRules(db: Db, regionId: string, marketId: string, asOf: string): Promise<LetterRules | undefined> {
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
  return r && {
    regionCode: r.region_code,
    marketCode: r.market_code,
    marketName: r.market_name,
    warningCutoff: r.warning_cutoff,
    warningDueOn: r.warning_due_on,
    strdDueOn: r.strd_due_on,
  };
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

/** Assessments of warnings whose grace ended before :asOf, still unpaid and in no STRD, with
 * the penalty charged on them up to :asOf. */
function strdDue(current: boolean): string {
  const u = unpaid(current);
  return `
    select a.id as assessment_id, a.trader_id, a.stall_id, a.business_date, ${u.amount} as principal,
           coalesce(pen.amount, 0) as penalty, l.id as follows_id, l.issued_on as follows_on, l.seq as follows_seq
      from letters l
      join letter_items li on li.region_id = l.region_id and li.letter_id = l.id
      join assessments a on a.region_id = li.region_id and a.id = li.assessment_id
      left join lateral (select sum(pc.amount) as amount from penalty_charges pc
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
  issued_by: string | null;
  items: string;
  stalls: string[];
}

export interface LetterFilter {
  regionId: string;
  marketId?: string;
  kind?: LetterKind;
  issuedOn?: string;
  traderId?: string;
  letterId?: string;
  limit?: number;
  offset?: number;
}

// A letter with whom it is addressed to, what it follows, and the stalls it covers.
const LETTERS = `
select l.id, l.region_id, l.kind, l.year, l.seq, l.number, l.market_id, m.code as market_code, m.name as market_name,
       l.trader_id, t.name as trader_name, t.address as trader_address,
       l.issued_on::text as issued_on, l.issued_at, l.due_on::text as due_on, l.principal, l.penalty, l.total,
       l.follows_letter_id, f.number as follows_number, l.issued_by, it.items, it.stalls
  from letters l
  join markets m on m.region_id = l.region_id and m.id = l.market_id
  join traders t on t.region_id = l.region_id and t.id = l.trader_id
  left join letters f on f.region_id = l.region_id and f.id = l.follows_letter_id
  cross join lateral (select count(*) as items, array_agg(distinct s.code order by s.code) as stalls
                        from letter_items li join stalls s on s.region_id = li.region_id and s.id = li.stall_id
                       where li.region_id = l.region_id and li.letter_id = l.id) it`;

export async function findLetters(db: Db, f: LetterFilter): Promise<LetterRow[]> {
  const where = ['l.region_id = :regionId'];
  if (f.marketId) where.push('l.market_id = :marketId');
  if (f.kind) where.push('l.kind = :kind');
  if (f.issuedOn) where.push('l.issued_on = cast(:issuedOn as date)');
  if (f.traderId) where.push('l.trader_id = :traderId');
  if (f.letterId) where.push('l.id = :letterId');
  const { rows } = await db.raw(
    `${LETTERS} where ${where.join(' and ')} order by l.issued_on desc, l.kind, l.seq limit :limit offset :offset`,
    { ...f, limit: f.limit ?? 1000, offset: f.offset ?? 0 },
  );
  return rows;
}

/** The region of a letter, looked up by id alone (scope is checked against it). */
export async function letterRegion(db: Db, letterId: string): Promise<{ region_id: string; market_id: string } | undefined> {
  return db('letters').where({ id: letterId }).first('region_id', 'market_id');
}

export interface ItemRow {
  assessment_id: string;
  stall_id: string;
  stall_code: string;
  business_date: string;
  principal: string;
  penalty: string;
}

export async function letterItems(db: Db, regionId: string, letterId: string): Promise<ItemRow[]> {
  const { rows } = await db.raw(
    `select li.assessment_id, li.stall_id, s.code as stall_code, li.business_date::text as business_date, li.principal, li.penalty
       from letter_items li join stalls s on s.region_id = li.region_id and s.id = li.stall_id
      where li.region_id = ? and li.letter_id = ?
      order by s.code, li.business_date`,
    [regionId, letterId],
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
