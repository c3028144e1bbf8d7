// Errors on a page are pages too: the same AppError a route throws for the API becomes an
// Indonesian page with its status (403 out of scope, 404 not found, 400 bad input); anything
// unknown is a 500 page with an id that is also in the log, like the API's error handler. What
// the page says comes from the glossary by the error's code, never the API's English message.
import type { ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError, type z, type ZodType } from 'zod';
import type { Logger } from '../core/logger';
import { fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
import { capitalise, fieldName, messageOf, readsIndonesian } from '../core/glossary';
import { type FieldProblem, parseInput } from '../core/schemas';
import { html, type Part } from './html';
import { plainPage } from './layout';

const TITLES: Record<number, [string, string]> = {
  400: ['Permintaan tidak sah', 'Isian atau alamat halaman ini tidak dapat dibaca.'],
  401: ['Perlu masuk', 'Silakan masuk terlebih dahulu.'],
  403: ['Akses ditolak', 'Halaman atau data ini di luar wewenang akun Anda.'],
  404: ['Tidak ditemukan', 'Data yang diminta tidak ada.'],
  409: ['Tidak dapat diproses', 'Permintaan ini tidak sesuai dengan keadaan data sekarang.'],
  413: ['Terlalu besar', 'Berkas atau isian yang dikirim terlalu besar.'],
  415: ['Jenis berkas tidak diterima', 'Jenis berkas ini tidak dapat dibaca.'],
  422: ['Tidak dapat diproses', 'Permintaan ini tidak dapat dijalankan.'],
  429: ['Terlalu banyak permintaan', 'Tunggu sebentar, lalu coba lagi.'],
  502: ['Bank tidak menjawab', 'Layanan bank sedang bermasalah; coba lagi sebentar lagi.'],
  503: ['Sedang tidak tersedia', 'Sistem sedang bermasalah; coba lagi sebentar lagi.'],
  504: ['Bank tidak menjawab', 'Layanan bank tidak menjawab tepat waktu; coba lagi sebentar lagi.'],
};

/** A page for an error status: its title and what it means, the detail (Indonesian) if any, and
 * the id of an unexpected error, which is also in the log. */
export function errorPage(status: number, detail?: Part, errorId?: string): string {
  const [title, text] =
    TITLES[status] ??
    (status >= 500 ? ['Terjadi kesalahan', 'Sistem sedang bermasalah; coba lagi sebentar lagi.'] : TITLES[400]);
  return plainPage(
    title,
    html`<h1>${title}</h1><p>${text}</p>
${detail ? html`<p class="muted">Rincian: ${detail}</p>` : ''}${errorId ? html`<p class="muted">Kode kesalahan: <code>${errorId}</code></p>` : ''}
<p><a href="/">Kembali ke beranda</a></p>`,
  );
}

/** The page for an address no page has (the app's last handler, for a browser). It does not echo
 * what was typed. */
export function unknownAddressPage(): string {
  return plainPage(
    'Halaman tidak ditemukan',
    html`<h1>Halaman tidak ditemukan</h1><p>Alamat ini tidak ada di e-Retribusi Pasar. Periksa kembali alamat yang diketik, atau buka beranda.</p>
<p><a href="/">Kembali ke beranda</a></p>`,
  );
}

/** What went wrong with one input field, in Indonesian: the field by its name (or its code). */
export function fieldProblemText(p: FieldProblem | undefined): Part {
  if (!p) return undefined;
  const name = fieldName(p.field);
  const field = name ? capitalise(name) : html`Isian <code>${p.field}</code>`;
  if (p.message === 'unknown field') return html`${field} tidak dikenal di sini.`;
  // A schema's own Indonesian words ("paling banyak 80 huruf") say more than "cannot be read".
  return readsIndonesian(p.message) ? html`${field}: ${p.message}` : html`${field} tidak dapat dibaca.`;
}

/** The detail of a refusal as a page shows it: the glossary's words for its code, or the code. */
export function refusalText(e: { code: string; message: string }): Part {
  return messageOf(e) ?? html`kode <code>${e.code}</code>`;
}

/**
 * The first problem of a request's input that did not parse: parseInput's 400 invalid-input (its
 * message names the first field), or a zod error thrown as it is. Undefined for anything else,
 * including a service's own refusals that happen to be 400s.
 */
export function inputProblem(err: unknown): { first?: FieldProblem } | undefined {
  if (err instanceof ZodError) return { first: zodDetails(err)[0] };
  if (!(err instanceof AppError) || err.code !== 'invalid-input' || !Array.isArray(err.details)) return undefined;
  const first = err.details[0] as FieldProblem | undefined;
  return first && err.message === `invalid ${first.field}: ${first.message}` ? { first } : undefined;
}

/** parseInput, for a page that answers input it cannot read itself (the login form again, a
 * sticker's 404): the parsed input, or undefined when it did not parse. */
export function parsedOrUndefined<T extends ZodType>(schema: T, input: unknown): z.infer<T> | undefined {
  try {
    return parseInput(schema, input);
  } catch (err) {
    if (inputProblem(err)) return undefined;
    throw err;
  }
}

export function pageErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    const problem = inputProblem(err);
    let status: number;
    let detail: Part;
    let errorId: string | undefined;
    if (problem) {
      // Input that did not parse reads the same whichever way it was parsed: which field.
      status = 400;
      detail = fieldProblemText(problem.first);
    } else if (known && known.status < 500) {
      status = known.status;
      detail = refusalText(known);
    } else if (known && known.status >= 502 && known.status <= 504) {
      // A party upstream failed (an acquirer down): as the API's handler, its status, logged.
      status = known.status;
      detail = refusalText(known);
      logger.warn({ code: known.code, details: known.details, path: req.path }, known.message);
    } else if ((err as { status?: number }).status && (err as { status: number }).status < 500) {
      // body-parser's refusals (a form too large, a body that does not parse)
      status = (err as { status: number }).status;
      detail = undefined;
    } else {
      status = 500;
      errorId = randomUUID();
      logger.error({ err, errorId, method: req.method, url: req.path }, 'unhandled page error');
    }
    // A document that failed half-way cannot become an error page: cut the response instead.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(errorPage(status, detail, errorId));
  };
}
