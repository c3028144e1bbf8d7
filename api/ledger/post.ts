// The one writer of the journal. Every journal entry is posted here: a payment by the ledger's SQL
// functions (db/migrations: ledger_post_card_payment, ledger_post_qris_payment,
// ledger_record_payment, ledger_void_payment), which check the stall, the idempotency key and the
// balance in one statement; a settlement as one entry with its lines; the daily assessments,
// credit applied and penalties as sets of entries, in one statement each. Nothing else inserts
// into journal_entries or journal_lines (test/unit/layers.test.ts keeps it so); the SQL is in
// journal.sql.ts.
import type { Db } from '../../db/knex';
import * as journal from './journal.sql';

export type { AccountOf, Entry, EntryLine, EntrySet, Posted } from './journal.sql';

/** A card payment from a terminal, keyed by its clientTxnId (and the acquirer's RRN). */
export const postCardPayment = (db: Db, params: Record<string, unknown>) =>
  journal.callLedgerFunction(db, 'ledger_post_card_payment', params);

/** A QRIS payment the acquirer notified, keyed by the intent's reference. */
export const postQrisPayment = (db: Db, params: Record<string, unknown>) =>
  journal.callLedgerFunction(db, 'ledger_post_qris_payment', params);

/** The reversal of a card payment voided at the terminal on its own business day. */
export const postVoid = (db: Db, params: Record<string, unknown>) =>
  journal.callLedgerFunction(db, 'ledger_void_payment', params);

/** A payment the bank settled that the ledger never saw, recorded by an officer from the line. It
 * answers the payment's response itself: an officer's decision is not replayed. */
export const recordPayment = (db: Db, params: Record<string, unknown>) =>
  journal.callLedgerFunction<{ paymentId: string } & Record<string, unknown>>(db, 'ledger_record_payment', params);

/** One entry and its lines (a settlement batch); answers the entry's id. Balanced at commit. */
export const postEntry = (db: Db, entry: journal.Entry) => journal.insertEntry(db, entry);

/** Many entries in one statement, set-based (the day's assessments, credit applied, a penalty
 * run): the caller's SQL says which entries and lines; answers the rows of its main query. */
export const postEntries = <Row>(db: Db, set: journal.EntrySet) => journal.insertEntrySet<Row>(db, set);
