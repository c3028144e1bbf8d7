import type { RequestHandler } from 'express';
import { AppError } from '../core/errors';
import { printable, textProblem } from '../core/text';

/** 400 invalid-input, answered by the one error handler: JSON to the API's clients, a page to a
 * browser. */
function invalidUrl(next: Parameters<RequestHandler>[2], field: string, message: string) {
  next(new AppError(400, 'invalid-input', `invalid ${field}: ${message}`, [{ field, message }]));
}

/**
 * Path segments and query parameters, for every route at once: ids and codes there are one-line
 * text, and a %00 must not reach a `where code = ?`. A query parameter is named by its key; a
 * path segment as "(path)" (the routes' own parameter names are not known yet at this point).
 */
export function refuseHostileUrl(): RequestHandler {
  return (req, _res, next) => {
    const q = req.originalUrl.indexOf('?');
    const path = q < 0 ? req.originalUrl : req.originalUrl.slice(0, q);
    const query = q < 0 ? '' : req.originalUrl.slice(q + 1);
    if (/%[01][0-9a-f]|%7f|[\u0000-\u001F\u007F]/i.test(path)) {
      for (const segment of path.split('/')) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(segment);
        } catch {
          continue; // malformed escapes are the router's 400, not ours
        }
        const problem = textProblem(decoded, 'line');
        if (problem) return invalidUrl(next, '(path)', problem);
      }
    }
    if (query) {
      for (const pair of query.split('&')) {
        const eq = pair.indexOf('=');
        const rawKey = eq < 0 ? pair : pair.slice(0, eq);
        const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
        let key: string;
        let value: string;
        try {
          key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
          value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
        } catch {
          continue;
        }
        const problem = textProblem(key, 'line') ?? textProblem(value, 'line');
        if (problem) return invalidUrl(next, printable(key), problem);
      }
    }
    next();
  };
}
