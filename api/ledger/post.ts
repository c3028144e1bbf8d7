// The one writer of the journal. Every journal entry is posted here: a payment by the ledger's SQL
// functions (db/migrations: ledger_post_card_payment, ledger_post_qris_payment,
// ledger_record_payment, ledger_void_payment), which check the stall, the idempotency key and the
// balance in one statement, and a group of card payments by ledger_post_card_payments, set-based;
// a settlement as one entry with its lines; the daily assessments, credit applied and penalties
// as sets of entries, in one statement each. Nothing else inserts
// into journal_entries or journal_lines (test/unit/layers.test.ts keeps it so); the SQL is in
// journal.sql.ts.
import type { Db } from '../../db/knex';
import * as journal from './journal.sql';

export type { AccountOf, Entry, EntryLine, EntrySet, Posted } from './journal.sql';

/** A card payment from a terminal, keyed by its clientTxnId (and the acquirer's RRN). */
export const postCardPayment = (db: Db, params: Record<string, unknown>) =>
  journal.callLedgerFunction(db, 'ledger_post_card_payment', params);

/** What a group of card payments answers, item by item in the order given: posted (or a replay
 * of a recorded key) with its response, refused with the code and details ledger_fail would
 * have raised for it alone, or deferred (its stall was held by another transaction). */
export type GroupItemResult =
  | { replayed: boolean; response: Record<string, unknown>; error?: undefined; deferred?: undefined }
  | { error: string; detail: Record<string, unknown>; deferred?: undefined }
  | { deferred: true; error?: undefined };

/** Card payments of one region posted together (db/migrations/20261204230000_group_card_payments.ts):
 * one transaction, the stalls locked in id order (or skipped when another transaction holds one,
 * unless waitForLocks), each item keeping its own answer. Items must not share a key or an RRN. */
export const postCardPaymentGroup = (
  db: Db,
  group: { regionId: string; waitForLocks: boolean; items: Record<string, unknown>[] },
) => journal.callLedgerFunction<GroupItemResult[]>(db, 'ledger_post_card_payments', group);

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
