// One error hierarchy: a machine code, an HTTP status, and details naming what was wrong.
import type { ZodError } from 'zod';

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

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'authentication required') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'outside your scope', details?: unknown) =>
  new AppError(403, 'forbidden', message, details);
export const notFound = (what: string, details?: unknown) =>
  new AppError(404, 'not-found', `${what} not found`, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);

export function zodDetails(err: ZodError) {
  return err.issues.flatMap((i) =>
    // An unknown field is named itself, not its parent object.
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'unknown field' }))
      : [{ field: i.path.join('.') || '(body)', message: i.message }],
  );
}
