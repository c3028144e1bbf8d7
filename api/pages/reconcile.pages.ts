// The officer's reconciliation pages: the month calendar, a day, and the decision on an exception.
// Auditors see the same pages without the forms; the service refuses their decisions anyway.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../core/deps';
import { AppError, notFound } from '../core/errors';
import { parseInput } from '../core/schemas';
import { canManageRegion } from '../auth/principal';
import { resolveSchema } from '../reconcile/reconcile.schemas';
import { resolveException } from '../reconcile/resolve.service';
import { qs } from './html';
import { staffPage } from './layout';
import { requireCsrf, sessionOf } from './session.middleware';
import { regionChoices, regionFor, viewerOf, type RegionScope } from './scope';
import { calendarQuery, dayParams, dayQuery, exceptionParams, regionQuery, resolveForm } from './pages.schemas';
import { exceptionDay, monthCalendar, reconciliationDay } from './reconcile.service';
import { inputProblem } from './page-errors.middleware';
import { calendarBody, dayBody } from './reconcile.views';
import { regionPicker } from './market.views';

type Body = Parameters<typeof staffPage>[1]['body'];

async function send(deps: Deps, req: Request, res: Response, title: string, body: Body): Promise<void> {
  const s = sessionOf(req);
  res.type('html').send(staffPage(await viewerOf(deps, s.principal, s.csrf), { title, path: req.path, body }));
}

async function renderDay(
  deps: Deps,
  req: Request,
  res: Response,
  region: RegionScope,
  date: string,
  o: { resolved?: boolean; error?: { id: string; message: string } } = {},
) {
  const s = sessionOf(req);
  const v = await reconciliationDay(deps, region, date);
  const body = dayBody(region, s.principal.regionId === region.id, v, {
    csrf: s.csrf,
    canResolve: canManageRegion(s.principal, region.id),
    resolved: o.resolved ?? false,
    error: o.error,
  });
  await send(deps, req, res, `Rekonsiliasi ${date}`, body);
}

/** A refused decision, said the way the form's reader can act on it. */
function refusal(err: unknown): { status: number; message: string } | undefined {
  const problem = inputProblem(err);
  if (problem) {
    const d = problem.first;
    const message =
      d?.field === 'note'
        ? 'Tuliskan alasan keputusan (paling sedikit 3 huruf).'
        : d?.field === 'resolution'
          ? 'Pilih keputusan.'
          : `Isian tidak sah: ${d?.field} — ${d?.message}`;
    return { status: 400, message };
  }
  if (err instanceof AppError && err.status !== 403 && err.status !== 404 && err.status < 500) {
    return { status: err.status, message: `Keputusan ditolak: ${err.message} (${err.code}).` };
  }
  return undefined;
}

export function reconcilePages(deps: Deps): Router {
  const r = Router();

  r.get('/rekonsiliasi', async (req, res) => {
    const q = parseInput(calendarQuery, req.query);
    const p = sessionOf(req).principal;
    const region = await regionFor(deps, p, q.regionId);
    if (!region)
      return void (await send(
        deps,
        req,
        res,
        'Pilih wilayah',
        regionPicker(await regionChoices(deps), '/rekonsiliasi'),
      ));
    const v = await monthCalendar(deps, region, q.month ?? region.today.slice(0, 7));
    await send(deps, req, res, `Rekonsiliasi — ${region.name}`, calendarBody(region, p.regionId === region.id, v));
  });

  r.get('/rekonsiliasi/:date', async (req, res) => {
    const { date } = parseInput(dayParams, req.params);
    const q = parseInput(dayQuery, req.query);
    const region = await regionFor(deps, sessionOf(req).principal, q.regionId);
    if (!region)
      return void (await send(
        deps,
        req,
        res,
        'Pilih wilayah',
        regionPicker(await regionChoices(deps), '/rekonsiliasi'),
      ));
    await renderDay(deps, req, res, region, date, { resolved: q.resolved !== undefined });
  });

  r.post('/rekonsiliasi/pengecualian/:id/selesaikan', requireCsrf, async (req, res) => {
    const { id } = parseInput(exceptionParams, req.params);
    parseInput(regionQuery, req.query);
    const p = sessionOf(req).principal;
    const row = await exceptionDay(deps, id);
    const region = await regionFor(deps, p, row.region_id);
    if (!region) throw notFound('wilayah');
    const back = p.regionId === region.id ? {} : { regionId: region.id };
    try {
      const { _csrf: _token, ...fields } = parseInput(resolveForm, req.body);
      await resolveException(deps, p, id, parseInput(resolveSchema, fields));
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      res.status(refused.status);
      return void (await renderDay(deps, req, res, region, row.business_date, {
        error: { id, message: refused.message },
      }));
    }
    res.redirect(303, `/rekonsiliasi/${row.business_date}${qs({ ...back, resolved: '1' })}`);
  });
  return r;
}
