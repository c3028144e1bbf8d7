// Errors on a page are pages too: the same AppError a route throws for the API becomes an
// Indonesian page with its status (403 out of scope, 404 not found, 400 bad input); anything
// unknown is a 500 page with an id that is also in the log, like the API's error handler.
import type { ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { Logger } from '../core/logger';
import { fromDatabaseError } from '../core/db-errors';
import { AppError, zodDetails } from '../core/errors';
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

export function pageErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    let status: number;
    let detail: string | undefined;
    let errorId: string | undefined;
    if (known && known.status < 500) {
      status = known.status;
      detail = known.message;
    } else if (err instanceof ZodError) {
      status = 400;
      const d = zodDetails(err)[0];
      detail = d ? `${d.field}: ${d.message}` : undefined;
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
