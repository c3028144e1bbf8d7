// The acquirer's failures as the terminal should see them. The app's error handler shows only
// 4xx errors and makes anything else a 500 "internal"; a bank that is down or answers a code we
// cannot use is neither our bug nor the terminal's: 502 with what went wrong, so the officer knows
// to try again or call the bank, and the log says which acquirer.
import type { ErrorRequestHandler } from 'express';
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';

const UPSTREAM = new Set(['acquirer-bad-qr', 'acquirer-unavailable', 'acquirer-refused']);

export function acquirerErrors(deps: Deps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!(err instanceof AppError) || !UPSTREAM.has(err.code)) return next(err);
    deps.logger.warn({ code: err.code, details: err.details, path: req.path }, err.message);
    res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
  };
}
