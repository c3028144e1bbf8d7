// What a trader owes on a stall, read from ledger_open_items (db/migrations/
// 20261204210000_penalties_payable.ts): the one list a payment and credit allocate along.
import type { Db } from '../../db/knex';

export interface OpenItemRow {
  seq: string;
  kind: 'principal' | 'penalty';
  assessment_id: string;
  penalty_charge_id: string | null;
  business_date: string;
  month_no: number | null;
  amount: string;
  open_amount: string;
}

export async function openItems(db: Db, regionId: string, stallId: string, traderId: string): Promise<OpenItemRow[]> {
  const { rows } = await db.raw(
    `select seq, kind, assessment_id, penalty_charge_id, business_date::text as business_date, month_no,
            amount, open_amount
       from ledger_open_items(?, ?, ?) order by seq`,
    [regionId, stallId, traderId],
  );
  return rows;
}

export async function creditBalance(db: Db, regionId: string, stallId: string, traderId: string): Promise<string> {
  const { rows } = await db.raw(
    `select coalesce(sum(jl.credit - jl.debit), 0)::numeric(18,2) as bal
       from journal_lines jl
       join accounts ac on ac.region_id = jl.region_id and ac.id = jl.account_id and ac.purpose = 'trader_credit'
      where jl.region_id = ? and jl.stall_id = ? and jl.trader_id = ?`,
    [regionId, stallId, traderId],
  );
  return rows[0].bal;
}
