// The SQL of batch matching (api/reconcile/match-batches.ts): the day's settlement batches, the
// treasury credits that may pay them, and the postings that record which credit paid which batch.
import type { Db } from '../../db/knex';

export interface Batch {
  acquirer_id: string;
  batch: string;
  settlement_date: string | null;
  gross: string;
  mdr: string;
  net: string;
  lines: number;
}

export interface Credit {
  id: string;
  value_date: string;
  amount: string;
  reference: string;
  description: string;
}

/** The batches that hold any line of this business date, with their totals over all their lines. */
export async function batchesOf(db: Db, regionId: string, date: string): Promise<Batch[]> {
  return (
    await db.raw(
      `with mine as (
         select distinct acquirer_id, batch from settlement_lines
          where region_id = :region and transaction_date = cast(:date as date) and batch is not null)
       select sl.acquirer_id, sl.batch, max(sl.settlement_date)::text as settlement_date,
              sum(sl.gross)::text as gross, sum(sl.mdr + sl.other_fees)::text as mdr, sum(sl.net)::text as net,
              count(*)::int as lines
         from settlement_lines sl join mine using (acquirer_id, batch)
        where sl.region_id = :region
        group by sl.acquirer_id, sl.batch
        order by sl.acquirer_id, sl.batch`,
      { region: regionId, date },
    )
  ).rows;
}

/** The batches already posted, as `acquirer_id|batch`. */
export async function postedBatches(db: Db, regionId: string): Promise<Set<string>> {
  const { rows } = await db.raw('select acquirer_id, batch from settlement_postings where region_id = ?', [regionId]);
  return new Set<string>(rows.map((r: { acquirer_id: string; batch: string }) => `${r.acquirer_id}|${r.batch}`));
}

/** The statement credits valued from the day before `from` to a week after `to` that paid no batch yet. */
export async function unusedCredits(db: Db, regionId: string, from: string, to: string): Promise<Credit[]> {
  const { rows } = await db.raw(
    `select e.id::text as id, e.value_date::text as value_date, e.amount::text as amount, e.reference, e.description
       from statement_entries e
      where e.region_id = ? and e.direction = 'credit' and not e.reversal
        and e.value_date between ?::date - 1 and ?::date + 7
        and not exists (select 1 from settlement_postings sp where sp.region_id = e.region_id and sp.statement_entry_id = e.id)
      order by e.value_date, e.id`,
    [regionId, from, to],
  );
  return rows;
}

export interface SettlementPosting {
  acquirerId: string;
  batch: string;
  settlementDate: string | null;
  statementEntryId: string;
  method: string;
  gross: string;
  mdr: string;
  net: string;
  credited: string;
  journalEntryId: string;
}

export async function insertSettlementPosting(db: Db, regionId: string, p: SettlementPosting): Promise<void> {
  await db.raw(
    `insert into settlement_postings (region_id, acquirer_id, batch, settlement_date, statement_entry_id, method, gross, mdr, net, credited, journal_entry_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      regionId,
      p.acquirerId,
      p.batch,
      p.settlementDate,
      p.statementEntryId,
      p.method,
      p.gross,
      p.mdr,
      p.net,
      p.credited,
      p.journalEntryId,
    ],
  );
}
