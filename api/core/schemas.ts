// Input parsing for the master-data API. Zod reports an unknown key on the object itself
// (path []), so this expands each unknown key into its own detail: a client that sent
// `{ "colour": ... }` is told "colour", not "(body)".
import { z, type ZodError, type ZodType } from 'zod';
import { AppError, zodDetails } from './errors';
import { isValidDate, isValidTimeZone } from './time';
import { text, type TextKind } from './text';

export { text };

export interface FieldProblem {
  field: string;
  message: string;
}

/** One { field, message } per problem; an unknown key is named itself, not its parent. */
export const problemsOf = (err: ZodError): FieldProblem[] => zodDetails(err);

export function invalidInput(problems: FieldProblem[]): AppError {
  const first = problems[0];
  return new AppError(400, 'invalid-input', `invalid ${first?.field ?? 'input'}: ${first?.message ?? ''}`, problems);
}

/** Parses or throws 400 invalid-input with one { field, message } per problem. */
export function parseInput<T extends ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw invalidInput(problemsOf(result.error));
  return result.data;
}

// Money fields are core/money.ts's moneyString and positiveMoney: one rule for every amount.
// numeric(10,2): at most 8 digits before the point.
export const areaM2 = z
  .string()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, {
    message: 'must be a decimal string of square metres such as "6" or "7.5"',
    abort: true,
  })
  .refine((v) => /[1-9]/.test(v), 'must be greater than zero');
export const businessDate = z.string().refine(isValidDate, 'must be a real date YYYY-MM-DD');
export const timeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Jakarta');
export const regionCode = z.string().regex(/^[A-Z0-9-]{2,16}$/, 'must be 2-16 of A-Z, 0-9 and -');
// Text fields are built on text() (api/shared/text.ts): no NUL or other control characters.
export const name = text().trim().min(1).max(120);
/** kind 'lines' for free text that may run over lines (an address); block and zone are one line. */
export const optionalText = (max: number, kind: TextKind = 'line') =>
  text(kind).trim().min(1).max(max).nullable().optional();
export const id = z.guid('must be a uuid');

/** Path parameters: a malformed id is a 400 naming the parameter, not a database error. */
export const idParams = <K extends string>(...keys: K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, id])) as Record<K, typeof id>);

export const page = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/**
 * A PATCH must change something: an empty body is almost always a client bug. Checked only when
 * the body is otherwise valid, so `{ "timeZone": ... }` is reported as an unknown field alone.
 */
export const nonEmpty = (v: object) => Object.keys(v).length > 0;
export const NOTHING_TO_CHANGE = {
  message: 'give at least one field to change',
  when: (payload: { issues: unknown[] }) => payload.issues.length === 0,
};
