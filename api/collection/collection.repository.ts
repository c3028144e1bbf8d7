// What a collector sees on the route: stalls, who occupies them today, what they owe.
import type { Db } from '../../db/knex';

export interface StallRow {
  id: string;
  code: string;
  kind: string;
  area_m2: string;
  block: string | null;
  status: string;
  trader_id: string | null;
  trader_name: string | null;
  today_amount: string | null;
  today_open: string | null;
  /** principal and penalty still owed */
  outstanding: string;
  penalty: string;
  open_days: string;
  credit: string;
}

export function findMarket(db: Db, marketId: string) {
  return db('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .where('m.id', marketId)
    .first('m.region_id', 'm.id', 'm.code', 'm.name', 'r.time_zone');
}

export function findStall(db: Db, stallId: string) {
  return db('stalls as s')
    .join('regions as r', 'r.id', 's.region_id')
    .where('s.id', stallId)
    .first('s.region_id', 's.id', 's.market_id', 's.code', 'r.time_zone');
}

// One statement for the whole market: the occupant on the business date, that day's
// assessment, and what the occupant owes (principal and penalty, ledger_open_items) and their
// advance credit on the stall.
export async function marketStalls(db: Db, regionId: string, marketId: string, date: string): Promise<StallRow[]> {
  const { rows } = await db.raw(
    `select s.id, s.code, s.kind, s.area_m2, s.block, s.status,
            ten.trader_id, tr.name as trader_name,
            a.amount as today_amount, a.open_amount as today_open,
            coalesce(o.total, 0)::numeric(18,2) as outstanding, coalesce(o.penalty, 0)::numeric(18,2) as penalty,
            coalesce(o.days, 0) as open_days,
            coalesce(c.bal, 0)::numeric(18,2) as credit
       from stalls s
       left join tenancies ten on ten.region_id = s.region_id and ten.stall_id = s.id
            and daterange(ten.effective_from, ten.effective_to, '[]') @> ?::date
       left join traders tr on tr.region_id = s.region_id and tr.id = ten.trader_id
       left join assessments a on a.region_id = s.region_id and a.stall_id = s.id and a.business_date = ?::date
       left join lateral (
         select sum(x.open_amount) as total, sum(x.open_amount) filter (where x.kind = 'penalty') as penalty,
                count(*) filter (where x.kind = 'principal') as days
           from ledger_open_items(s.region_id, s.id, ten.trader_id) x
          where ten.trader_id is not null
       ) o on true
       left join lateral (
         select sum(jl.credit - jl.debit) as bal from journal_lines jl
          join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
          where jl.region_id = s.region_id and jl.stall_id = s.id and jl.trader_id = ten.trader_id
       ) c on true
      where s.region_id = ? and s.market_id = ?
      order by s.block nulls last, s.code`,
    [date, date, regionId, marketId],
  );
  return rows;
}

export async function occupant(db: Db, regionId: string, stallId: string, date: string) {
  return db('tenancies as t')
    .join('traders as tr', function () {
      this.on('tr.region_id', 't.region_id').andOn('tr.id', 't.trader_id');
    })
    .where({ 't.region_id': regionId, 't.stall_id': stallId })
    .whereRaw(`daterange(t.effective_from, t.effective_to, '[]') @> ?::date`, [date])
    .first('t.trader_id', 'tr.name');
}

export function openAssessments(db: Db, regionId: string, stallId: string, traderId: string) {
  return db('assessments')
    .where({ region_id: regionId, stall_id: stallId, trader_id: traderId })
    .where('open_amount', '>', 0)
    .orderBy([{ column: 'business_date' }, { column: 'id' }])
    .select('id', 'business_date', 'amount', 'open_amount');
}

export async function stallCredit(db: Db, regionId: string, stallId: string, traderId: string): Promise<string> {
  const row = await db('journal_lines as jl')
    .join('accounts as ac', function () {
      this.on('ac.region_id', 'jl.region_id').andOn('ac.id', 'jl.account_id');
    })
    .where({
      'jl.region_id': regionId,
      'jl.stall_id': stallId,
      'jl.trader_id': traderId,
      'ac.purpose': 'trader_credit',
    })
    .first(db.raw('coalesce(sum(jl.credit - jl.debit), 0)::numeric(18,2) as bal'));
  return row.bal;
}
