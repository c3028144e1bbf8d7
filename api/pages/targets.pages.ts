// Targets per market: the year's target (set, or the market's standing one), what was collected
// towards it so far (the Laporan Realisasi's own numbers), and for officers a form to set it.
import { bulanTahun } from '../../reports/format';
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../core/deps';
import { AppError, forbidden } from '../core/errors';
import { parseInput } from '../core/schemas';
import { canManageRegion } from '../auth/principal';
import { putTarget } from '../targets/targets.service';
import { putTargetSchema } from '../targets/targets.schemas';
import { monthlyRealisation, type MarketRealisation } from '../../reports/data/monthly-realisation';
import { CSRF_FIELD, requireCsrf, sessionOf } from './session.middleware';
import { angka, html, type Html, qs, rupiah } from './html';
import { staffPage } from './layout';
import { loadMarketScope, regionChoices, regionFor, viewerOf, type RegionScope } from './scope';
import { targetForm, targetsQuery } from './pages.schemas';
import { regionPicker } from './market.views';

interface FormState {
  csrf: string;
  canSet: boolean;
  saved?: string;
  error?: { marketId: string; message: string; amount: string };
}

function body(
  region: RegionScope,
  own: boolean,
  year: number,
  month: string,
  markets: MarketRealisation[],
  f: FormState,
): Html {
  const q = own ? {} : { regionId: region.id };
  const upTo = bulanTahun(month);
  const form = (m: MarketRealisation) => {
    const err = f.error?.marketId === m.marketId ? f.error : undefined;
    return html`<form method="post" action="/target${qs(q)}" class="filters"><input type="hidden" name="${CSRF_FIELD}" value="${f.csrf}">
<input type="hidden" name="marketId" value="${m.marketId}"><input type="hidden" name="year" value="${year}">
<div class="field"><label for="t-${m.marketId}">Target ${year} (Rp)</label><input id="t-${m.marketId}" name="amount" inputmode="numeric" required value="${err?.amount ?? angka(m.target)}"${err ? html` aria-invalid="true" aria-describedby="e-${m.marketId}"` : ''}></div>
<button type="submit">Simpan</button>${err ? html`<p class="bad" id="e-${m.marketId}" role="alert">${err.message}</p>` : ''}</form>`;
  };
  // One panel per market: reads as well on a phone as on a desk, form included.
  const panel = (
    m: MarketRealisation,
  ) => html`<section class="panel" data-market="${m.code}"><h2>${m.name} <span class="muted">${m.code}</span></h2>
<dl class="kv"><dt>Target ${year}</dt><dd>${rupiah(m.target)} <span class="muted">(${m.targetSource === 'year' ? 'ditetapkan' : 'target tetap pasar'})</span></dd>
<dt>Realisasi s.d. ${upTo}</dt><dd>${rupiah(m.yearToDate.total.amount)}</dd>
<dt>Capaian</dt><dd>${m.percentOfTarget === null ? '— (belum ada target)' : `${m.percentOfTarget.replace('.', ',')}%`}</dd></dl>
${f.canSet ? form(m) : ''}</section>`;
  return html`<h1>Target retribusi ${year} — ${region.name}</h1><p class="sub">Realisasi: pembayaran yang diterima (tanpa yang dibatalkan) sejak awal tahun, dibandingkan dengan target tahun itu.</p>
<nav class="tabs" aria-label="Tahun"><a href="/target${qs({ ...q, year: year - 1 })}">← ${year - 1}</a><a href="/target${qs({ ...q, year: year + 1 })}">${year + 1} →</a></nav>
${f.saved ? html`<p class="note ok" role="status">Target pasar ${f.saved} disimpan.</p>` : ''}
${markets.length === 0 ? html`<p class="muted">Belum ada pasar di wilayah ini.</p>` : html`<div class="grid2">${markets.map(panel)}</div>`}`;
}

async function render(
  deps: Deps,
  req: Request,
  res: Response,
  region: RegionScope,
  year: number,
  f: Omit<FormState, 'csrf' | 'canSet'>,
) {
  const s = sessionOf(req);
  const thisYear = Number(region.today.slice(0, 4));
  const month = year === thisYear ? region.today.slice(0, 7) : year < thisYear ? `${year}-12` : `${year}-01`;
  const data = await monthlyRealisation(deps, region.id, month);
  const state: FormState = { ...f, csrf: s.csrf, canSet: canManageRegion(s.principal, region.id) };
  const page = body(region, s.principal.regionId === region.id, year, month, data.markets, state);
  res
    .type('html')
    .send(
      staffPage(await viewerOf(deps, s.principal, s.csrf), { title: `Target ${year}`, path: req.path, body: page }),
    );
}

export function targetPages(deps: Deps): Router {
  const r = Router();

  r.get('/target', async (req, res) => {
    const q = parseInput(targetsQuery, req.query);
    const p = sessionOf(req).principal;
    const region = await regionFor(deps, p, q.regionId);
    if (!region) {
      const s = sessionOf(req);
      const page = regionPicker(await regionChoices(deps), '/target');
      return void res
        .type('html')
        .send(staffPage(await viewerOf(deps, p, s.csrf), { title: 'Pilih wilayah', path: req.path, body: page }));
    }
    await render(deps, req, res, region, q.year ?? Number(region.today.slice(0, 4)), { saved: q.saved });
  });

  r.post('/target', requireCsrf, async (req, res) => {
    const f = parseInput(targetForm, req.body);
    const p = sessionOf(req).principal;
    const market = await loadMarketScope(deps, f.marketId);
    if (!market) throw forbidden('pasar ini di luar wewenang Anda');
    const region = await regionFor(deps, p, market.regionId);
    if (!region) throw forbidden('pasar ini di luar wewenang Anda');
    try {
      await putTarget(deps, p, market.id, f.year, parseInput(putTargetSchema, { amount: f.amount }));
    } catch (err) {
      // The amount as typed did not parse, or the service refused it: the form again, with a hint.
      if (!(err instanceof AppError && err.status === 400)) throw err;
      res.status(400);
      const message = 'Tulis jumlah rupiah tanpa huruf, misalnya 150.000.000';
      return void (await render(deps, req, res, region, f.year, {
        error: { marketId: market.id, message, amount: req.body.amount ?? '' },
      }));
    }
    const back = p.regionId === region.id ? {} : { regionId: region.id };
    res.redirect(303, `/target${qs({ ...back, year: f.year, saved: market.code })}`);
  });
  return r;
}
