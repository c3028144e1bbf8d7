// Constraint violations from Postgres become 4xx errors that name the field. The database is
// the final judge of uniqueness and overlap (two officers can race past any pre-check), so
// services let the insert fail and translate here instead of checking first.
import { AppError } from '../errors';

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
      return fieldError(422, 'unknown-reference', field, `refers to a row that does not exist in this region (${e.constraint})`);
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
