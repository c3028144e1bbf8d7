// Errors on a page are pages too: the same AppError a route throws for the API becomes an
// Indonesian page with its status (403 out of scope, 404 not found, 400 bad input); anything
// unknown is a 500 page with an id that is also in the log, like the API's error handler.
import type { ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError, type z, type ZodType } from 'zod';
import type { Logger } from '../core/logger';
import { fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
import { type FieldProblem, parseInput } from '../core/schemas';
import { html } from './html';
import { plainPage } from './layout';

const TITLES: Record<number, [string, string]> = {
  400: ['Permintaan tidak sah', 'Isian atau alamat halaman ini tidak dapat dibaca.'],
  401: ['Perlu masuk', 'Silakan masuk terlebih dahulu.'],
  403: ['Akses ditolak', 'Halaman atau data ini di luar wewenang akun Anda.'],
  404: ['Tidak ditemukan', 'Data yang diminta tidak ada.'],
  409: ['Tidak dapat diproses', 'Data ini sudah berubah; muat ulang halaman.'],
  422: ['Tidak dapat diproses', 'Permintaan ini tidak dapat dijalankan.'],
};

export function errorPage(status: number, detail?: string, errorId?: string): string {
  const [title, text] =
    TITLES[status] ??
    (status >= 500 ? ['Terjadi kesalahan', 'Sistem sedang bermasalah; coba lagi sebentar lagi.'] : TITLES[400]);
  return plainPage(
    title,
    html`<h1>${title}</h1><p>${text}</p>
${detail ? html`<p class="muted">Rincian: ${detail}</p>` : ''}${errorId ? html`<p class="muted">Kode kesalahan: ${errorId}</p>` : ''}
<p><a href="/">Kembali ke beranda</a></p>`,
  );
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
    let detail: string | undefined;
    let errorId: string | undefined;
    if (problem) {
      // Input that did not parse reads the same whichever way it was parsed: "field: message".
      status = 400;
      detail = problem.first ? `${problem.first.field}: ${problem.first.message}` : undefined;
    } else if (known && known.status < 500) {
      status = known.status;
      detail = known.message;
    } else if ((err as { status?: number }).status && (err as { status: number }).status < 500) {
      status = (err as { status: number }).status;
      detail = (err as Error).message;
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
