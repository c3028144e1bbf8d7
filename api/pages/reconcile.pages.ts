// The officer's reconciliation pages: the month calendar with the bank-file upload, a day with
// its run button and a decision form per open difference (selisih), and the decision log across
// days with its CSV. Auditors see the same pages without the forms; the services refuse their
// decisions, uploads and runs anyway. A refused decision or upload is the same page again, its
// message at the form, with what was typed and chosen kept.
import { raw, Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Deps } from '../core/deps';
import { AppError, forbidden, notFound, unprocessable } from '../core/errors';
import { parseInput } from '../core/schemas';
import { textProblem } from '../core/text';
import { canManageRegion } from '../auth/principal';
import { resolveSchema } from '../reconcile/reconcile.schemas';
import { resolveException } from '../reconcile/resolve.service';
import { qs } from './html';
import { staffPage } from './layout';
import { requireCsrf, sessionOf } from './session.middleware';
import { regionChoices, regionFor, viewerOf, type RegionScope } from './scope';
import { dayParams, exceptionParams, regionQuery } from './pages.schemas';
import {
  calendarPageQuery,
  dayPageQuery,
  decisionForm,
  fileName,
  logQuery,
  runForm,
  uploadForm,
} from './reconcile-pages.schemas';
import {
  decisionLogOf,
  exceptionDay,
  fileNote,
  monthCalendar,
  reconciliationDay,
  runFromPage,
  uploadFromPage,
  uploadSources,
} from './reconcile.service';
import { inputProblem, parsedOrUndefined } from './page-errors.middleware';
import { calendarBody, dayBody, type DecisionError, type PageForms } from './reconcile.views';
import { logBody, logCsv } from './reconcile-log.views';
import { FIELD_PROBLEM, fits, GENERAL_REFUSAL, REFUSAL, uploadRefusal } from './reconcile-decisions';
import type { DecisionValues, FormError } from './reconcile-forms.views';
import { MultipartError, parseMultipart, type UploadedFile } from './reconcile-multipart';
import { regionPicker } from './market.views';

type Body = Parameters<typeof staffPage>[1]['body'];

/** A bank file through the page, as through the API (whose limit this is). */
const MAX_UPLOAD = '200mb';

async function send(deps: Deps, req: Request, res: Response, title: string, body: Body): Promise<void> {
  const s = sessionOf(req);
  res.type('html').send(staffPage(await viewerOf(deps, s.principal, s.csrf), { title, path: req.path, body }));
}

const backOf = (req: Request, region: RegionScope): Record<string, string | undefined> =>
  sessionOf(req).principal.regionId === region.id ? {} : { regionId: region.id };

async function forms(
  deps: Deps,
  req: Request,
  region: RegionScope,
  extra: Pick<PageForms, 'upload' | 'file'> = {},
): Promise<PageForms> {
  const s = sessionOf(req);
  const canResolve = canManageRegion(s.principal, region.id);
  return { csrf: s.csrf, canResolve, sources: canResolve ? await uploadSources(deps, region.id) : [], ...extra };
}

async function fileFor(deps: Deps, req: Request, region: RegionScope, q: { berkas?: string; ulang?: string }) {
  if (!q.berkas) return undefined;
  return { note: await fileNote(deps, sessionOf(req).principal, region, q.berkas), again: q.ulang !== undefined };
}

async function renderCalendar(
  deps: Deps,
  req: Request,
  res: Response,
  region: RegionScope,
  month: string,
  extra: Pick<PageForms, 'upload' | 'file'> = {},
) {
  const v = await monthCalendar(deps, region, month);
  const own = sessionOf(req).principal.regionId === region.id;
  await send(
    deps,
    req,
    res,
    `Rekonsiliasi — ${region.name}`,
    calendarBody(region, own, v, await forms(deps, req, region, extra)),
  );
}

async function renderDay(
  deps: Deps,
  req: Request,
  res: Response,
  region: RegionScope,
  date: string,
  o: { resolved?: boolean; ran?: boolean; error?: DecisionError } & Pick<PageForms, 'upload' | 'file'> = {},
) {
  const s = sessionOf(req);
  const v = await reconciliationDay(deps, s.principal, region, date);
  const body = dayBody(region, s.principal.regionId === region.id, v, {
    ...(await forms(deps, req, region, { upload: o.upload, file: o.file })),
    resolved: o.resolved ?? false,
    ran: o.ran ?? false,
    error: o.error,
  });
  await send(deps, req, res, `Rekonsiliasi ${date}`, body);
}

/** What a refused decision form held, to put back into it (only our fields, as strings, bounded). */
function typedValues(body: unknown): DecisionValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (k: string, max: number) => {
    const v = b[k];
    return typeof v === 'string' && !textProblem(v, 'lines') ? v.slice(0, max) : undefined;
  };
  return {
    resolution: str('resolution', 40),
    note: str('note', 2000),
    paymentId: str('paymentId', 100),
    settlementLineId: str('settlementLineId', 100),
    stallId: str('stallId', 100),
    terminalId: str('terminalId', 100),
  };
}

/** A refused decision, said the way the form's reader can act on it; undefined for what is not
 * the form's to answer (out of scope, not found, a failure of ours). */
function refusal(err: unknown): (FormError & { status: number }) | undefined {
  const problem = inputProblem(err);
  if (problem) {
    const field = problem.first?.field ?? '';
    return { status: 400, message: FIELD_PROBLEM[field] ?? GENERAL_REFUSAL, code: 'invalid-input' };
  }
  if (err instanceof AppError && err.status !== 403 && err.status !== 404 && err.status < 500) {
    const cleared =
      err.code === 'exception-not-open' && (err.details as { status?: string } | undefined)?.status === 'cleared';
    const message = REFUSAL[cleared ? 'exception-cleared' : err.code] ?? GENERAL_REFUSAL;
    return { status: err.status, message, code: err.code };
  }
  return undefined;
}

interface UploadBody {
  fields: Record<string, unknown>;
  file?: UploadedFile;
  problem?: { status: number; code: string };
}

const UPLOAD = Symbol('upload');
const uploadOf = (req: Request): UploadBody =>
  (req as unknown as Record<symbol, UploadBody | undefined>)[UPLOAD] ?? { fields: {} };

/** The upload form's body: multipart read into fields and the file (the fields become req.body,
 * for the CSRF check); a body too large or unreadable is noted, to be answered on the page. */
function uploadBody(): RequestHandler {
  const bytes = raw({
    type: (req) => /^multipart\/form-data/i.test(req.headers['content-type'] ?? ''),
    limit: MAX_UPLOAD,
  });
  return (req, res, next) => {
    const set = (u: UploadBody) => {
      (req as unknown as Record<symbol, UploadBody>)[UPLOAD] = u;
    };
    bytes(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        set({
          fields: {},
          problem: { status: tooLarge ? 413 : 400, code: tooLarge ? 'payload-too-large' : 'unreadable-form' },
        });
        res.setHeader('Connection', 'close');
        return next();
      }
      if (!Buffer.isBuffer(req.body)) {
        set({ fields: (req.body as Record<string, unknown>) ?? {} });
        return next();
      }
      try {
        const form = parseMultipart(req.body, req.headers['content-type']);
        req.body = form.fields;
        set({ fields: form.fields, file: form.files.berkas });
      } catch (e) {
        if (!(e instanceof MultipartError)) throw e;
        req.body = {};
        set({ fields: {}, problem: { status: 400, code: 'unreadable-form' } });
      }
      next();
    });
  };
}

/** The file's name as people read it: its last segment, without controls, at most 200 characters. */
function nameOf(file: UploadedFile): string | undefined {
  const clean = file.filename.replace(/[\u0000-\u001F\u007F]/g, '').slice(0, 200);
  return parsedOrUndefined(fileName, clean);
}

/**
 * The region a reconciliation page shows (regionFor). A viewer with no region of their own who
 * names none (the admin) is answered with the region picker, which comes back to `path`; then
 * there is no region and the page has been sent.
 */
async function regionOrPicker(
  deps: Deps,
  req: Request,
  res: Response,
  regionId: string | undefined,
  path: string,
): Promise<RegionScope | undefined> {
  const region = await regionFor(deps, sessionOf(req).principal, regionId);
  if (!region) await send(deps, req, res, 'Pilih wilayah', regionPicker(await regionChoices(deps), path));
  return region;
}

export function reconcilePages(deps: Deps): Router {
  const r = Router();

  r.get('/rekonsiliasi', async (req, res) => {
    const q = parseInput(calendarPageQuery, req.query);
    const region = await regionOrPicker(deps, req, res, q.regionId, '/rekonsiliasi');
    if (!region) return;
    await renderCalendar(deps, req, res, region, q.month ?? region.today.slice(0, 7), {
      file: await fileFor(deps, req, region, q),
    });
  });

  r.get('/rekonsiliasi/keputusan', async (req, res) => {
    const q = parseInput(logQuery, req.query);
    const p = sessionOf(req).principal;
    const region = await regionOrPicker(deps, req, res, q.regionId, '/rekonsiliasi/keputusan');
    if (!region) return;
    const v = await decisionLogOf(deps, region, q);
    await send(deps, req, res, `Log keputusan — ${region.name}`, logBody(region, p.regionId === region.id, v));
  });

  r.get('/rekonsiliasi/keputusan/unduh', async (req, res) => {
    const q = parseInput(logQuery, req.query);
    const region = await regionFor(deps, sessionOf(req).principal, q.regionId);
    if (!region) throw notFound('wilayah');
    const v = await decisionLogOf(deps, region, q, { all: true });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="log-keputusan-rekonsiliasi-${[region.code, v.from, v.to].filter(Boolean).join('-')}.csv"`,
    );
    res.send(logCsv(region, v.rows));
  });

  // An unreadable body is answered on the page (there is no token to check in it); any other
  // upload carries the session's token like every form.
  const uploadCsrf: RequestHandler = (req, res, next) => (uploadOf(req).problem ? next() : requireCsrf(req, res, next));

  r.post('/rekonsiliasi/berkas', uploadBody(), uploadCsrf, async (req, res) => {
    const p = sessionOf(req).principal;
    const region = await regionFor(deps, p, parseInput(regionQuery, req.query).regionId);
    if (!region) throw notFound('wilayah');
    if (!canManageRegion(p, region.id)) throw forbidden('pengunggahan berkas bank di luar wewenang Anda');
    const u = uploadOf(req);
    const back = backOf(req, region);
    const kembali =
      typeof u.fields.kembali === 'string' ? parsedOrUndefined(dayParams, { date: u.fields.kembali }) : undefined;
    const again = async (status: number, code: string, details?: unknown) => {
      res.status(status);
      const upload = {
        error: { message: uploadRefusal(code, details), code },
        chosen: typeof u.fields.sumber === 'string' ? u.fields.sumber : undefined,
      };
      if (kembali) return renderDay(deps, req, res, region, kembali.date, { upload });
      return renderCalendar(deps, req, res, region, region.today.slice(0, 7), { upload });
    };
    // Nothing readable came (too large, not a form): said on the page.
    if (u.problem) return void (await again(u.problem.status, u.problem.code));
    let form: z.infer<typeof uploadForm>;
    try {
      form = parseInput(uploadForm, u.fields);
    } catch (err) {
      if (inputProblem(err)?.first?.field === 'sumber') return void (await again(400, 'no-source'));
      throw err;
    }
    if (!u.file || u.file.data.length === 0) return void (await again(400, 'no-file'));
    let result: Awaited<ReturnType<typeof uploadFromPage>>;
    try {
      result = await uploadFromPage(deps, p, region, {
        source: form.sumber,
        name: nameOf(u.file),
        content: u.file.data,
      });
    } catch (err) {
      if (err instanceof AppError && err.status !== 403 && err.status !== 404 && err.status < 500)
        return void (await again(err.status, err.code, err.details));
      throw err;
    }
    const note = { ...back, berkas: result.fileId, ulang: result.duplicate ? '1' : undefined };
    const dates = (result.kind === 'settlement' ? result.transactionDates : result.valueDates) ?? [];
    const day = form.kembali ?? (dates.length === 1 && dates[0] <= region.today ? dates[0] : undefined);
    if (day) return res.redirect(303, `/rekonsiliasi/${day}${qs(note)}#berkas`);
    const month = dates.length ? dates[dates.length - 1].slice(0, 7) : undefined;
    res.redirect(
      303,
      `/rekonsiliasi${qs({ ...note, month: month && month <= region.today.slice(0, 7) ? month : undefined })}#berkas`,
    );
  });

  r.get('/rekonsiliasi/:date', async (req, res) => {
    const { date } = parseInput(dayParams, req.params);
    const q = parseInput(dayPageQuery, req.query);
    const region = await regionOrPicker(deps, req, res, q.regionId, '/rekonsiliasi');
    if (!region) return;
    await renderDay(deps, req, res, region, date, {
      resolved: q.resolved !== undefined,
      ran: q.dijalankan !== undefined,
      file: await fileFor(deps, req, region, q),
    });
  });

  r.post('/rekonsiliasi/:date/jalankan', requireCsrf, async (req, res) => {
    const { date } = parseInput(dayParams, req.params);
    const p = sessionOf(req).principal;
    const region = await regionFor(deps, p, parseInput(regionQuery, req.query).regionId);
    if (!region) throw notFound('wilayah');
    parseInput(runForm, req.body);
    if (date > region.today)
      throw unprocessable('future-date', 'tanggal ini belum tiba; rekonsiliasi hanya untuk hari ini atau sebelumnya');
    await runFromPage(deps, p, region, date);
    res.redirect(303, `/rekonsiliasi/${date}${qs({ ...backOf(req, region), dijalankan: '1' })}`);
  });

  r.post('/rekonsiliasi/pengecualian/:id/selesaikan', requireCsrf, async (req, res) => {
    const { id } = parseInput(exceptionParams, req.params);
    parseInput(regionQuery, req.query);
    const p = sessionOf(req).principal;
    const row = await exceptionDay(deps, id);
    const region = await regionFor(deps, p, row.region_id);
    if (!region) throw notFound('wilayah');
    if (!canManageRegion(p, region.id)) throw forbidden('keputusan atas selisih di luar wewenang Anda');
    try {
      const { _csrf: _token, ...fields } = parseInput(decisionForm, req.body);
      if (!fits(row.kind, fields.resolution))
        throw unprocessable('decision-does-not-fit', `${fields.resolution} does not fit a ${row.kind}`);
      await resolveException(deps, p, id, parseInput(resolveSchema, fields));
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      res.status(refused.status);
      return void (await renderDay(deps, req, res, region, row.business_date, {
        error: { id, error: { message: refused.message, code: refused.code }, values: typedValues(req.body) },
      }));
    }
    res.redirect(303, `/rekonsiliasi/${row.business_date}${qs({ ...backOf(req, region), resolved: '1' })}`);
  });
  return r;
}
