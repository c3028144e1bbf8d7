// One error hierarchy: a machine code, an HTTP status, and details naming what was wrong.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { Logger } from './shared/logger';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'authentication required') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'outside your scope', details?: unknown) => new AppError(403, 'forbidden', message, details);
export const notFound = (what: string, details?: unknown) => new AppError(404, 'not-found', `${what} not found`, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);

// Failures raised inside the ledger's SQL functions (hint 'e-retribusi:<code>').
const ledgerCodes: Record<string, [number, string]> = {
  'idempotency-conflict': [409, 'this idempotency key (clientTxnId, or the acquirer RRN) was already used for a different payment'],
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
  'credit-already-used': [409, "the credit this payment created was already used; it cannot be voided"],
};

interface PgError {
  code?: string;
  hint?: string;
  message: string;
  detail?: string;
  constraint?: string;
}

export function fromDatabaseError(err: unknown): AppError | undefined {
  const e = err as PgError;
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

const RETRY_AFTER_SECONDS = 5;
const RETRY_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Marks a route whose retry cannot record anything twice (it is keyed by an idempotency key:
 * clientTxnId, the acquirer's RRN), so a 503 is the right answer even when the database went away
 * while its statement ran. */
export const retrySafe: RequestHandler = (_req, res, next) => {
  res.locals.retrySafe = true;
  next();
};

export function zodDetails(err: ZodError) {
  return err.issues.flatMap((i) =>
    // An unknown field is named itself, not its parent object.
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'unknown field' }))
      : [{ field: i.path.join('.') || '(body)', message: i.message }],
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    if (known && known.status < 500) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    if (err instanceof ZodError) {
      const details = zodDetails(err);
      res.status(400).json({ error: { code: 'invalid-input', message: `invalid ${details[0]?.field ?? 'input'}: ${details[0]?.message ?? ''}`, details } });
      return;
    }
    // express.json() errors: malformed JSON or a body over the limit.
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const code = type === 'entity.too.large' ? 'payload-too-large' : 'invalid-json';
      res.status(status).json({ error: { code, message: (err as Error).message } });
      return;
    }
    // The database is away: 503 with Retry-After when a retry is surely safe, i.e. nothing of the
    // request committed, or the request is safe or idempotent to repeat. Otherwise the outcome is
    // unknown and the client must look before it retries.
    const away = databaseUnavailable(err);
    if (away) {
      // Only the driver's words: knex puts the statement, with its parameters (card data),
      // before them.
      const e = err as { code?: string; message?: string };
      const message = String(e.message ?? '');
      const reason = message.slice(message.lastIndexOf(' - ') + (message.includes(' - ') ? 3 : 1)).slice(0, 200);
      logger.warn({ code: e.code, reason, method: req.method, path: req.path, away }, 'database unavailable');
      if (away === 'not-run' || RETRY_SAFE_METHODS.has(req.method) || res.locals.retrySafe === true) {
        res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        res.status(503).json({
          error: { code: 'database-unavailable', message: 'the database is unavailable; nothing was changed that a retry would repeat: retry shortly', details: { retryAfterSeconds: RETRY_AFTER_SECONDS } },
        });
        return;
      }
      const id = randomUUID();
      res.status(500).json({
        error: { code: 'outcome-unknown', message: 'the database connection was lost while this request ran; it may or may not have taken effect: check before retrying', details: { errorId: id } },
      });
      return;
    }
    const id = randomUUID();
    logger.error({ err, errorId: id, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error', details: { errorId: id } } });
  };
}
