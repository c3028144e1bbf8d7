// The HTTP edge's one error handler, registered last: an AppError becomes its status and
// { error: { code, message, details } }; anything unknown a 500 with an id that is also logged.
// A browser (it asks for text/html first) outside /api and /snap gets the same status as an
// Indonesian page instead, in the glossary's words for the error's code; API clients keep JSON.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { databaseUnavailable, fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Part } from '../pages/html';
import { errorPage, fieldProblemText, refusalText } from '../pages/page-errors.middleware';

const RETRY_AFTER_SECONDS = 5;
const RETRY_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Marks a route whose retry cannot record anything twice (it is keyed by an idempotency key:
 * clientTxnId, the acquirer's RRN), so a 503 is the right answer even when the database went away
 * while its statement ran. */
export const retrySafe: RequestHandler = (_req, res, next) => {
  res.locals.retrySafe = true;
  next();
};

/** A person's browser rather than a client of the API: it prefers HTML to JSON (a bare Accept
 * or *\/* prefers JSON), on an address outside the API and the banks' SNAP calls. */
export function prefersPage(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.path === '/api' || req.path.startsWith('/snap/')) return false;
  return req.accepts(['json', 'html']) === 'html';
}

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** The error as the client asked for it: the API's JSON, or for a browser an Indonesian page. */
function answer(req: Request, res: Response, status: number, error: ErrorBody): void {
  if (!prefersPage(req)) {
    res.status(status).json({ error });
    return;
  }
  const details = error.details as { errorId?: string } | undefined;
  const detail: Part =
    error.code === 'invalid-input' && Array.isArray(error.details)
      ? fieldProblemText(error.details[0])
      : error.code === 'internal'
        ? undefined
        : refusalText(error);
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(errorPage(status, detail, typeof details?.errorId === 'string' ? details.errorId : undefined));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    if (known && known.status < 500) {
      answer(req, res, known.status, { code: known.code, message: known.message, details: known.details });
      return;
    }
    // A party upstream failed (an acquirer down, or answering what we cannot use): neither our bug
    // nor the client's, so 502/503/504 with what went wrong, and the log says which.
    if (known && known.status >= 502 && known.status <= 504) {
      logger.warn({ code: known.code, details: known.details, path: req.path }, known.message);
      answer(req, res, known.status, { code: known.code, message: known.message, details: known.details });
      return;
    }
    if (err instanceof ZodError) {
      const details = zodDetails(err);
      answer(req, res, 400, {
        code: 'invalid-input',
        message: `invalid ${details[0]?.field ?? 'input'}: ${details[0]?.message ?? ''}`,
        details,
      });
      return;
    }
    // express.json() errors: malformed JSON or a body over the limit.
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const code = type === 'entity.too.large' ? 'payload-too-large' : 'invalid-json';
      answer(req, res, status, { code, message: (err as Error).message });
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
        answer(req, res, 503, {
          code: 'database-unavailable',
          message: 'the database is unavailable; nothing was changed that a retry would repeat: retry shortly',
          details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
        });
        return;
      }
      const id = randomUUID();
      answer(req, res, 500, {
        code: 'outcome-unknown',
        message:
          'the database connection was lost while this request ran; it may or may not have taken effect: check before retrying',
        details: { errorId: id },
      });
      return;
    }
    const id = randomUUID();
    logger.error({ err, errorId: id, method: req.method, url: req.originalUrl }, 'unhandled error');
    answer(req, res, 500, { code: 'internal', message: 'internal error', details: { errorId: id } });
  };
}
