// The HTTP edge's one error handler, registered last: an AppError becomes its status and
// { error: { code, message, details } }; anything unknown a 500 with an id that is also logged.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { databaseUnavailable, fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
import type { Logger } from '../core/logger';

const RETRY_AFTER_SECONDS = 5;
const RETRY_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Marks a route whose retry cannot record anything twice (it is keyed by an idempotency key:
 * clientTxnId, the acquirer's RRN), so a 503 is the right answer even when the database went away
 * while its statement ran. */
export const retrySafe: RequestHandler = (_req, res, next) => {
  res.locals.retrySafe = true;
  next();
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    if (known && known.status < 500) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    // A party upstream failed (an acquirer down, or answering what we cannot use): neither our bug
    // nor the client's, so 502/503/504 with what went wrong, and the log says which.
    if (known && known.status >= 502 && known.status <= 504) {
      logger.warn({ code: known.code, details: known.details, path: req.path }, known.message);
      res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    if (err instanceof ZodError) {
      const details = zodDetails(err);
      res.status(400).json({
        error: {
          code: 'invalid-input',
          message: `invalid ${details[0]?.field ?? 'input'}: ${details[0]?.message ?? ''}`,
          details,
        },
      });
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
          error: {
            code: 'database-unavailable',
            message: 'the database is unavailable; nothing was changed that a retry would repeat: retry shortly',
            details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
          },
        });
        return;
      }
      const id = randomUUID();
      res.status(500).json({
        error: {
          code: 'outcome-unknown',
          message:
            'the database connection was lost while this request ran; it may or may not have taken effect: check before retrying',
          details: { errorId: id },
        },
      });
      return;
    }
    const id = randomUUID();
    logger.error({ err, errorId: id, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error', details: { errorId: id } } });
  };
}
