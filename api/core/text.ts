// Text from outside: one rule for every text field, query parameter and path segment.
//
// NUL (U+0000) is the one character PostgreSQL refuses outright: text columns and jsonb cannot
// hold it, so it used to surface as an anonymous 500. The other C0 controls (U+0001-U+001F) and
// DEL (U+007F) can be stored, but no name, code, address or reason a person types contains them;
// they are pasted by accident (a spreadsheet's bell, an escape sequence) or sent to break
// something downstream (receipt printers, CSV exports, PDFs, logs). So:
//   line    one-line fields (names, codes, block, zone, usernames, query parameters): no C0 at all.
//   lines   free text (addresses, reasons, notes, legal basis): tab, LF and CR are kept.
//   secret  passwords and shared secrets: only NUL is refused, so a credential that already
//           contains some other control character still works.
// Unpaired UTF-16 surrogates are refused everywhere: PostgreSQL would store U+FFFD instead (text)
// or refuse the value (jsonb). C1 controls (U+0080-U+009F) are valid Unicode and left alone.
import { z } from 'zod';

export type TextKind = 'line' | 'lines' | 'secret';

const FORBIDDEN: Record<TextKind, RegExp> = {
  line: /[\u0000-\u001F\u007F]/,
  lines: /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/,
  secret: /\u0000/,
};
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why this text cannot be accepted, or undefined when it can. */
export function textProblem(v: string, kind: TextKind = 'line'): string | undefined {
  const at = v.search(FORBIDDEN[kind]);
  if (at >= 0) return `must not contain control characters (${codePoint(v[at])} at character ${at + 1})`;
  const lone = v.search(LONE_SURROGATE);
  if (lone >= 0) return `must be well-formed Unicode text (an unpaired surrogate at character ${lone + 1})`;
  return undefined;
}

/**
 * The building block of every text schema: z.string() that refuses what textProblem refuses,
 * before trim/min/max run (so a NUL gets one message, naming the field through zod's path).
 */
export function text(kind: TextKind = 'line') {
  return z.string().superRefine((v, ctx) => {
    const problem = textProblem(v, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
  });
}

/** The text with control characters and unpaired surrogates written out (\u0000), e.g. to name a
 * hostile JSON key in an answer that is itself stored as jsonb. */
export function printable(v: string): string {
  return v.replace(
    /[\u0000-\u001F\u007F]|[\uD800-\uDFFF]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
