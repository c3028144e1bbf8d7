// The search's reads: stalls by part of their code, traders by part of their name (with the
// stalls they occupy or occupied), letters by part of their number, within the viewer's scope
// (one market, one region, or every region). Each is ILIKE '%text%' on a trigram index
// (migration 20261204220500), so a region of 50,000 stalls is searched, not read whole; what
// matches exactly, then what starts with the text, comes first.
import type { Db } from '../../db/knex';

export interface SearchScope {
  /** undefined: every region (the admin, an auditor of all regions) */
  regionId?: string;
  marketId?: string;
}

export interface SearchWindow {
  limit: number;
  offset: number;
}

/** The text as a LIKE pattern that matches itself only: \, % and _ escaped (escape '\'). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function bindings(q: string, scope: SearchScope, w: SearchWindow, now: Date) {
  const lit = likeEscape(q);
  return {
    exact: q,
    prefix: `${lit}%`,
    contains: `%${lit}%`,
    regionId: scope.regionId ?? null,
    marketId: scope.marketId ?? null,
    now: now.toISOString(),
    limit: w.limit,
    offset: w.offset,
  };
}

// The scope of a stall `s`: the binding null means "not limited" (one plan for every role).
const STALL_SCOPE = `(cast(:regionId as uuid) is null or s.region_id = cast(:regionId as uuid))
   and (cast(:marketId as uuid) is null or s.market_id = cast(:marketId as uuid))`;
// The business date of a stall's region now (its own time zone).
const LOCAL_TODAY = `(cast(:now as timestamptz) at time zone r.time_zone)::date`;

export interface StallHit {
  id: string;
  code: string;
  block: string | null;
  kind: string;
  status: string;
  market_id: string;
  market_name: string;
  region_name: string;
  occupant: string | null;
}

export async function stallsByCode(
  db: Db,
  q: string,
  scope: SearchScope,
  w: SearchWindow,
  now: Date,
): Promise<StallHit[]> {
  const { rows } = await db.raw(
    `select s.id, s.code, s.block, s.kind, s.status, m.id as market_id, m.name as market_name, r.name as region_name,
            occ.name as occupant
       from stalls s
       join markets m on m.region_id = s.region_id and m.id = s.market_id
       join regions r on r.id = s.region_id
       left join lateral (
         select tr.name from tenancies tn join traders tr on tr.region_id = tn.region_id and tr.id = tn.trader_id
          where tn.region_id = s.region_id and tn.stall_id = s.id
            and daterange(tn.effective_from, tn.effective_to, '[]') @> ${LOCAL_TODAY}
          limit 1) occ on true
      where s.code ilike :contains escape '\\' and ${STALL_SCOPE}
      order by lower(s.code) = lower(:exact) desc, s.code ilike :prefix escape '\\' desc, s.code, m.name, s.id
      limit :limit offset :offset`,
    bindings(q, scope, w, now),
  );
  return rows;
}

export interface TraderHit {
  trader_id: string;
  trader_name: string;
  stall_id: string;
  stall_code: string;
  block: string | null;
  market_id: string;
  market_name: string;
  effective_from: string;
  effective_to: string | null;
  /** the trader occupies the stall today */
  current: boolean;
}

/** Traders whose name holds the text, one row per stall they occupy or occupied (in scope). */
export async function tradersByName(
  db: Db,
  q: string,
  scope: SearchScope,
  w: SearchWindow,
  now: Date,
): Promise<TraderHit[]> {
  const { rows } = await db.raw(
    `select tr.id as trader_id, tr.name as trader_name, s.id as stall_id, s.code as stall_code, s.block,
            m.id as market_id, m.name as market_name,
            tn.effective_from::text as effective_from, tn.effective_to::text as effective_to,
            daterange(tn.effective_from, tn.effective_to, '[]') @> ${LOCAL_TODAY} as current
       from traders tr
       join tenancies tn on tn.region_id = tr.region_id and tn.trader_id = tr.id
       join stalls s on s.region_id = tn.region_id and s.id = tn.stall_id
       join markets m on m.region_id = s.region_id and m.id = s.market_id
       join regions r on r.id = s.region_id
      where tr.name ilike :contains escape '\\' and ${STALL_SCOPE}
      order by lower(tr.name) = lower(:exact) desc, tr.name ilike :prefix escape '\\' desc, tr.name, tr.id,
               current desc, tn.effective_from desc, s.code
      limit :limit offset :offset`,
    bindings(q, scope, w, now),
  );
  return rows;
}

export interface LetterHit {
  id: string;
  kind: 'warning' | 'strd';
  number: string;
  issued_on: string;
  due_on: string;
  total: string;
  trader_name: string;
  market_id: string;
  market_name: string;
  /** the stalls the letter bills, by code */
  stalls: { id: string; code: string }[];
}

export async function lettersByNumber(
  db: Db,
  q: string,
  scope: SearchScope,
  w: SearchWindow,
  now: Date,
): Promise<LetterHit[]> {
  const { rows } = await db.raw(
    `select l.id, l.kind, l.number, l.issued_on::text as issued_on, l.due_on::text as due_on, l.total::text as total,
            tr.name as trader_name, m.id as market_id, m.name as market_name,
            coalesce((select json_agg(json_build_object('id', x.id, 'code', x.code) order by x.code)
                        from (select distinct st.id, st.code from letter_items li
                                join stalls st on st.region_id = li.region_id and st.id = li.stall_id
                               where li.region_id = l.region_id and li.letter_id = l.id) x), '[]') as stalls
       from letters l
       join traders tr on tr.region_id = l.region_id and tr.id = l.trader_id
       join markets m on m.region_id = l.region_id and m.id = l.market_id
      where l.number ilike :contains escape '\\'
        and (cast(:regionId as uuid) is null or l.region_id = cast(:regionId as uuid))
        and (cast(:marketId as uuid) is null or l.market_id = cast(:marketId as uuid))
      order by lower(l.number) = lower(:exact) desc, l.issued_on desc, l.number, l.id
      limit :limit offset :offset`,
    bindings(q, scope, w, now),
  );
  return rows;
}
