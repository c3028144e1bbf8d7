// The journal's SQL: calls of the ledger's SQL functions, and the inserts of journal entries and
// lines. Only api/ledger/post.ts calls it; it is the one place that writes journal_entries and
// journal_lines. The database checks each entry at commit (balanced, two lines at least:
// db/migrations/20261123100100_create_ledger.ts), so an entry and its lines are written in one
// transaction, in any order of statements.
import type { Db } from '../../db/knex';

/** The ledger's SQL functions that post a payment (db/migrations/20261123110000_create_qris_and_voids.ts). */
export type LedgerFunction =
  | 'ledger_post_card_payment'
  | 'ledger_post_qris_payment'
  | 'ledger_void_payment'
  | 'ledger_record_payment'
  | 'ledger_post_card_payments';

/** What the payment functions answer: the response to send, and whether it is a replay. */
export interface Posted {
  replayed: boolean;
  response: Record<string, unknown>;
}

export async function callLedgerFunction<T = Posted>(db: Db, fn: LedgerFunction, params: unknown): Promise<T> {
  const { rows } = await db.raw(`select ${fn}(?::jsonb) as r`, [JSON.stringify(params)]);
  return rows[0].r as T;
}

/** An account by what it is for, as ledger_account finds it (the market's or the acquirer's, when named). */
export interface AccountOf {
  purpose: string;
  marketId?: string;
  acquirerId?: string;
}

export interface EntryLine {
  account: AccountOf;
  /** decimal strings; exactly one of them above zero */
  debit: string;
  credit: string;
  traderId?: string;
  stallId?: string;
}

export interface Entry {
  regionId: string;
  kind: string;
  businessDate: string;
  memo: string;
  lines: EntryLine[];
}

/** One entry and its lines; answers the entry's id. */
export async function insertEntry(db: Db, e: Entry): Promise<string> {
  const { rows } = await db.raw(
    `insert into journal_entries (region_id, kind, business_date, memo) values (?, ?, ?, ?) returning id`,
    [e.regionId, e.kind, e.businessDate, e.memo],
  );
  const entryId = rows[0].id as string;
  // No lines: the entry is refused at commit (it has none), as any entry without lines is.
  if (e.lines.length === 0) return entryId;
  await db.raw(
    `insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id) values ${e.lines
      .map(() => '(?, ?, ledger_account(?, ?, ?::uuid, ?::uuid), ?, ?, ?::uuid, ?::uuid)')
      .join(', ')}`,
    e.lines.flatMap((l) => [
      e.regionId,
      entryId,
      e.regionId,
      l.account.purpose,
      l.account.marketId ?? null,
      l.account.acquirerId ?? null,
      l.debit,
      l.credit,
      l.traderId ?? null,
      l.stallId ?? null,
    ]),
  );
  return entryId;
}

/**
 * Many entries of one region, kind, business date and memo, posted by one statement: the
 * caller's common table expressions (`with`), the entries and their lines written from them,
 * then the caller's main query (`main`), which may read the same expressions and writes what
 * refers to the entries (assessments, allocations, charges). One statement, so one snapshot:
 * what is posted is exactly what the main query sees. Named bindings (`:name`) throughout; the
 * ledger's own are prefixed `journal`.
 */
export interface EntrySet {
  regionId: string;
  kind: string;
  businessDate: string;
  memo: string;
  /** The caller's common table expressions, without `with`. */
  with: string;
  /** A query of one row per entry, with the column entry_id (a uuid the caller chose). */
  entries: string;
  /** A query of one row per line: entry_id, account_id, debit, credit, trader_id, stall_id. */
  lines: string;
  /** The statement's main query, which runs with the journal's inserts (in the same snapshot). */
  main: string;
  bindings: Record<string, unknown>;
}

export async function insertEntrySet<Row>(db: Db, s: EntrySet): Promise<Row[]> {
  const { rows } = await db.raw(
    `with ${s.with},
  journal_entries_posted as (
    insert into journal_entries (region_id, id, kind, business_date, memo)
    select cast(:journalRegionId as uuid), e.entry_id, cast(:journalKind as text), cast(:journalDate as date),
           cast(:journalMemo as text)
      from (${s.entries}) e
  ), journal_lines_posted as (
    insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
    select cast(:journalRegionId as uuid), l.entry_id, l.account_id, l.debit, l.credit, l.trader_id, l.stall_id
      from (${s.lines}) l
  )
${s.main}`,
    {
      ...s.bindings,
      journalRegionId: s.regionId,
      journalKind: s.kind,
      journalDate: s.businessDate,
      journalMemo: s.memo,
    },
  );
  return rows;
}
