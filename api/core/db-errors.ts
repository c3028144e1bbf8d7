// Constraint violations from Postgres become 4xx errors that name the field. The database is
// the final judge of uniqueness and overlap (two officers can race past any pre-check), so
// services let the insert fail and translate here instead of checking first.
import { AppError } from './errors';

// Failures raised inside the ledger's SQL functions (hint 'e-retribusi:<code>').
const ledgerCodes: Record<string, [number, string]> = {
  'idempotency-conflict': [
    409,
    'this idempotency key (clientTxnId, or the acquirer RRN) was already used for a different payment',
  ],
  'duplicate-payment': [409, 'this RRN is already recorded for this acquirer and day'],
  'stall-not-found': [404, 'stall not found'],
  'stall-outside-scope': [403, "the stall is not in this terminal's market"],
  'stall-not-occupied': [422, 'nobody occupies this stall on that business date'],
  'terminal-inactive': [403, 'this terminal is not active'],
  'tid-mismatch': [422, "card.tid is not this terminal's TID"],
  'mid-mismatch': [422, "card.mid is not this terminal's MID"],
  'ledger-account-missing': [500, 'a ledger account is missing for this region'],
  'unknown-reference': [404, 'no QRIS payment intent has this reference'],
  'payment-not-found': [404, 'payment not found'],
  'not-your-payment': [403, 'only the terminal that took a payment can void it'],
  'void-card-only': [422, 'only card payments can be voided at the terminal'],
  'void-window-closed': [422, 'a payment can be voided only on its own business day'],
  'credit-already-used': [409, 'the credit this payment created was already used; it cannot be voided'],
};

interface PgFailure {
  code?: string;
  hint?: string;
  message: string;
  detail?: string;
  constraint?: string;
}

export function fromDatabaseError(err: unknown): AppError | undefined {
  const e = err as PgFailure;
  const code = e?.hint?.startsWith('e-retribusi:') ? e.hint.slice('e-retribusi:'.length) : undefined;
  if (code && ledgerCodes[code]) {
    const [status, message] = ledgerCodes[code];
    let details: unknown;
    try {
      details = e.detail ? JSON.parse(e.detail) : undefined;
    } catch {
      details = e.detail;
    }
    return new AppError(status, code === 'ledger-account-missing' ? 'internal' : code, message, details);
  }
  return undefined;
}

// The database away (restarting, crashed, unreachable, out of connections). 'not-run': the
// request's statement never reached a live session, so nothing it did committed. 'interrupted':
// the session was lost while a statement ran; a transaction not yet committed is rolled back, but
// a COMMIT (or a single autocommitted statement) in flight may or may not have taken effect.
const NOT_RUN_PG = new Set(['57P03', '08001', '08004', '53300']);
const INTERRUPTED_PG = new Set(['57P01', '57P02', '08000', '08003', '08006', '08007']);
const NOT_RUN_NET = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const INTERRUPTED_NET = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function databaseUnavailable(err: unknown): 'not-run' | 'interrupted' | undefined {
  const e = err as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown[] } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if (code && (NOT_RUN_PG.has(code) || NOT_RUN_NET.has(code))) return 'not-run';
  if (code && (INTERRUPTED_PG.has(code) || INTERRUPTED_NET.has(code))) return 'interrupted';
  // knex: no connection came free from the pool in time (the database refusing new ones).
  if (e.name === 'KnexTimeoutError' && message.startsWith('Knex: Timeout acquiring a connection')) return 'not-run';
  // pg: a client whose connection already failed refuses the query without sending it.
  if (/not queryable|Connection terminated due to connection timeout/.test(message)) return 'not-run';
  if (/Connection terminated/.test(message)) return 'interrupted';
  // A connect to several addresses (localhost: ::1 and 127.0.0.1) fails with all of them.
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const each = e.errors.map(databaseUnavailable);
    if (each.every((x) => x === 'not-run')) return 'not-run';
    if (each.every((x) => x !== undefined)) return 'interrupted';
  }
  return undefined;
}

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

const UNIQUE = '23505';
const EXCLUSION = '23P01';
const FOREIGN_KEY = '23503';
const CHECK = '23514';
const NOT_NULL = '23502';
const BAD_TEXT = '22P02';
const OVERFLOW = '22003';

/** constraint name -> the error it means, with the field named in details. */
export type ConstraintMap = Record<string, () => AppError>;

export const fieldError = (status: number, code: string, field: string, message: string) =>
  new AppError(status, code, message, [{ field, message }]);

function generic(e: PgError): AppError | undefined {
  const field = e.column ?? e.constraint ?? '(body)';
  switch (e.code) {
    case UNIQUE:
      return fieldError(409, 'duplicate', field, `already exists (${e.constraint})`);
    case EXCLUSION:
      return fieldError(409, 'overlap', field, `overlaps an existing row (${e.constraint})`);
    case FOREIGN_KEY:
      return fieldError(
        422,
        'unknown-reference',
        field,
        `refers to a row that does not exist in this region (${e.constraint})`,
      );
    case CHECK:
    case NOT_NULL:
      return fieldError(400, 'invalid-input', field, `is not allowed here (${e.constraint ?? 'not null'})`);
    case BAD_TEXT:
    case OVERFLOW:
      return fieldError(400, 'invalid-input', field, 'is malformed or out of range');
    default:
      return undefined;
  }
}

export function translateDbError(err: unknown, known: ConstraintMap = {}): unknown {
  if (err instanceof AppError) return err;
  const e = err as PgError;
  if (!e || typeof e.code !== 'string') return err;
  const specific = e.constraint ? known[e.constraint] : undefined;
  return specific ? specific() : (generic(e) ?? err);
}

/** Runs a write and rethrows a constraint violation as the AppError it means. */
export async function guarded<T>(write: () => Promise<T>, known: ConstraintMap = {}): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw translateDbError(err, known);
  }
}
