// The reads the pages need beyond what the API's services already give: a market's takings of
// today, a stall's history, the letters of a market by date, the reconciliation calendar.
import type { Db } from '../../db/knex';

const NOT_VOIDED = `not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)`;

export interface ChannelTakings {
  channel: string;
  count: number;
  amount: string;
}

/** What a market took on a business date, by channel, less the voided payments. */
export async function takingsByChannel(
  db: Db,
  regionId: string,
  marketId: string,
  date: string,
): Promise<ChannelTakings[]> {
  const { rows } = await db.raw(
    `select p.channel, count(*)::int as count, sum(p.amount)::text as amount
       from payments p
      where p.region_id = ? and p.market_id = ? and p.business_date = ?::date and ${NOT_VOIDED}
      group by p.channel order by p.channel`,
    [regionId, marketId, date],
  );
  return rows;
}

export interface MarketScopeRow {
  id: string;
  code: string;
  name: string;
  region_id: string;
  region_code: string;
  region_name: string;
  time_zone: string;
}

/** A market with its region, for the scope of a market page. */
export function marketWithRegion(db: Db, marketId: string): Promise<MarketScopeRow | undefined> {
  return db('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .where('m.id', marketId)
    .first('m.id', 'm.code', 'm.name', 'm.region_id', 'r.code as region_code', 'r.name as region_name', 'r.time_zone');
}

/** A region's markets by code, for a picker. */
export function regionMarkets(db: Db, regionId: string): Promise<{ id: string; code: string; name: string }[]> {
  return db('markets').where({ region_id: regionId }).orderBy('code').select('id', 'code', 'name');
}

/** Who a user is, for the page header: their name and the region or market they work for. */
export function viewerRow(
  db: Db,
  userId: string,
): Promise<
  { display_name: string | null; username: string; region_name: string | null; market_name: string | null } | undefined
> {
  return db('users as u')
    .leftJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('markets as m', 'm.id', 'u.market_id')
    .where('u.id', userId)
    .first('u.display_name', 'u.username', 'r.name as region_name', 'm.name as market_name');
}

/** The blocks of a market's stalls, in order (null: stalls in no block). */
export async function stallBlocks(db: Db, regionId: string, marketId: string): Promise<(string | null)[]> {
  const rows = await db('stalls')
    .where({ region_id: regionId, market_id: marketId })
    .distinct('block')
    .orderBy('block');
  return rows.map((r: { block: string | null }) => r.block);
}

/** A market's stalls as the sticker sheet prints them: by block (none last), then code. */
export function stickerStalls(
  db: Db,
  regionId: string,
  marketId: string,
): Promise<{ code: string; block: string | null; public_code: string }[]> {
  return db('stalls')
    .where({ region_id: regionId, market_id: marketId })
    .orderByRaw('block nulls last, code')
    .select('code', 'block', 'public_code');
}

export interface StallInfo {
  id: string;
  region_id: string;
  market_id: string;
  code: string;
  kind: string;
  area_m2: string;
  block: string | null;
  status: string;
  exempt: boolean;
  public_code: string;
}

export function stallById(db: Db, stallId: string): Promise<StallInfo | undefined> {
  return db('stalls')
    .where({ id: stallId })
    .first('id', 'region_id', 'market_id', 'code', 'kind', 'area_m2', 'block', 'status', 'exempt', 'public_code');
}

export function stallByPublicCode(db: Db, code: string): Promise<StallInfo | undefined> {
  return db('stalls')
    .where({ public_code: code })
    .first('id', 'region_id', 'market_id', 'code', 'kind', 'area_m2', 'block', 'status', 'exempt', 'public_code');
}

/** Where a stall's market is, as the public stall page heads it (a stall's market always exists),
 * and the order the region's payments settle what is owed. */
export function marketPlace(
  db: Db,
  marketId: string,
): Promise<{ market: string; region: string; time_zone: string; allocation_order: 'oldest-month' | 'penalty-first' }> {
  return db('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .where('m.id', marketId)
    .first('m.name as market', 'r.name as region', 'r.time_zone', 'r.allocation_order');
}

/** A stall's assessment of one business date, paid or not. */
export function assessmentOn(
  db: Db,
  regionId: string,
  stallId: string,
  date: string,
): Promise<{ amount: string; open_amount: string } | undefined> {
  return db('assessments')
    .where({ region_id: regionId, stall_id: stallId, business_date: date })
    .first('amount', 'open_amount');
}

/** The interest charged to a trader on a stall up to a date (what an STRD bills beside the principal). */
export async function penaltyCharged(
  db: Db,
  regionId: string,
  stallId: string,
  traderId: string,
  asOf: string,
): Promise<string> {
  const row = await db('penalty_charges')
    .where({ region_id: regionId, stall_id: stallId, trader_id: traderId })
    .where('charged_on', '<=', asOf)
    .first(db.raw('coalesce(sum(amount), 0)::text as amount'));
  return row.amount;
}

export interface AssessmentLine {
  business_date: string;
  amount: string;
  open_amount: string;
  trader_name: string;
}

export async function stallAssessments(
  db: Db,
  regionId: string,
  stallId: string,
  limit: number,
): Promise<AssessmentLine[]> {
  const { rows } = await db.raw(
    `select a.business_date::text as business_date, a.amount, a.open_amount, t.name as trader_name
       from assessments a join traders t on t.region_id = a.region_id and t.id = a.trader_id
      where a.region_id = ? and a.stall_id = ?
      order by a.business_date desc limit ?`,
    [regionId, stallId, limit],
  );
  return rows;
}

export interface PaymentLine {
  id: string;
  paid_at: Date;
  business_date: string;
  amount: string;
  channel: string;
  credit_amount: string;
  trader_id: string;
  trader_name: string;
  receipt_code: string | null;
  voided: boolean;
  /** what the payment settled, in the order it did (its answer's allocations: principal and penalty) */
  allocations:
    | { kind?: 'principal' | 'penalty'; businessDate: string; monthNo?: number | null; amount: string }[]
    | null;
}

/** A stall's payments, newest first; only one trader's when traderId is given. */
export async function stallPayments(
  db: Db,
  regionId: string,
  stallId: string,
  limit: number,
  traderId?: string,
): Promise<PaymentLine[]> {
  const { rows } = await db.raw(
    `select p.id, p.paid_at, p.business_date::text as business_date, p.amount, p.channel, p.credit_amount,
            p.trader_id, t.name as trader_name, r.code as receipt_code, not ${NOT_VOIDED} as voided,
            p.response->'allocations' as allocations
       from payments p
       join traders t on t.region_id = p.region_id and t.id = p.trader_id
       left join receipts r on r.region_id = p.region_id and r.payment_id = p.id
      where p.region_id = :regionId and p.stall_id = :stallId ${traderId ? 'and p.trader_id = :traderId' : ''}
      order by p.paid_at desc, p.id limit :limit`,
    { regionId, stallId, limit, traderId: traderId ?? null },
  );
  return rows;
}

export interface StallLetter {
  id: string;
  kind: 'warning' | 'strd';
  number: string;
  issued_on: string;
  due_on: string;
  trader_name: string;
  days: number;
  principal: string;
  penalty: string;
}

/** The letters that demanded days of this stall, with what they demanded for it. */
export async function stallLetters(db: Db, regionId: string, stallId: string): Promise<StallLetter[]> {
  const { rows } = await db.raw(
    `select l.id, l.kind, l.number, l.issued_on::text as issued_on, l.due_on::text as due_on, t.name as trader_name,
            count(*)::int as days, sum(li.principal)::text as principal, sum(li.penalty)::text as penalty
       from letter_items li
       join letters l on l.region_id = li.region_id and l.id = li.letter_id
       join traders t on t.region_id = l.region_id and t.id = l.trader_id
      where li.region_id = ? and li.stall_id = ?
      group by l.id, l.kind, l.number, l.issued_on, l.due_on, t.name, l.seq
      order by l.issued_on desc, l.kind, l.seq`,
    [regionId, stallId],
  );
  return rows;
}

export interface LetterBatch {
  issued_on: string;
  kind: 'warning' | 'strd';
  letters: number;
  first_number: string;
  last_number: string;
  total: string;
}

/** A market's letters per issue date and kind: each is one printable PDF. */
export async function letterBatches(db: Db, regionId: string, marketId: string, limit: number): Promise<LetterBatch[]> {
  const { rows } = await db.raw(
    `select issued_on::text as issued_on, kind, count(*)::int as letters,
            (array_agg(number order by seq))[1] as first_number, (array_agg(number order by seq desc))[1] as last_number,
            sum(total)::text as total
       from letters where region_id = ? and market_id = ?
      group by issued_on, kind order by issued_on desc, kind desc limit ?`,
    [regionId, marketId, limit],
  );
  return rows;
}
