// The one writer of the journal. Every journal entry is posted here, by the ledger's SQL functions
// (db/migrations: ledger_post_card_payment, ledger_post_qris_payment, ledger_record_payment,
// ledger_void_payment), which check the stall, the idempotency key and the balance in one
// statement, or by the set-based posts below. Nothing else inserts into journal_entries or
// journal_lines (test/unit/layers.test.ts keeps it so).
import type { Db } from '../../db/knex';

/** What the payment functions answer: the response to send, and whether it is a replay. */
export interface Posted {
  replayed: boolean;
  response: Record<string, unknown>;
}

async function callLedger(db: Db, fn: string, params: unknown): Promise<Posted> {
  const { rows } = await db.raw(`select ${fn}(?::jsonb) as r`, [JSON.stringify(params)]);
  return rows[0].r as Posted;
}

/** A card payment from a terminal, keyed by its clientTxnId (and the acquirer's RRN). */
export const postCardPayment = (db: Db, params: Record<string, unknown>) =>
  callLedger(db, 'ledger_post_card_payment', params);

/** A QRIS payment the acquirer notified, keyed by the intent's reference. */
export const postQrisPayment = (db: Db, params: Record<string, unknown>) =>
  callLedger(db, 'ledger_post_qris_payment', params);

/** The reversal of a card payment voided at the terminal on its own business day. */
export const postVoid = (db: Db, params: Record<string, unknown>) => callLedger(db, 'ledger_void_payment', params);

/** A payment the bank settled that the ledger never saw, recorded by an officer from the line. */
export const recordPayment = (db: Db, params: Record<string, unknown>) =>
  callLedger(db, 'ledger_record_payment', params);
