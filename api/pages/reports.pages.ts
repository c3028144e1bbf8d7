// Report downloads from a browser. /laporan offers the reports the viewer may ask for;
// /laporan/unduh/:kind hands the request to the API's own report route (GET
// /api/v1/reports/:kind) with the session's token, so the scope checks, defaults, numbering and
// register are the API's code, not a copy of it. Its errors come back here as pages.
import { Router, type Request, type Response, type NextFunction } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { reportRoutes } from '../reports/reports.routes';
import { reportDefinition } from '../../reports/registry';
import { html, type Html, qs, type Part } from './html';
import { staffPage } from './layout';
import { sessionOf } from './session.middleware';
import {
  marketChoices,
  marketFor,
  regionChoices,
  regionFor,
  viewerOf,
  type MarketScope,
  type RegionScope,
} from './scope';
import { regionQuery } from './pages.schemas';
import { regionPicker } from './market.views';

const PASSED_ON = ['format', 'regionId', 'marketId', 'date', 'asOf', 'month'];

function yesterday(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** A download form for a report kind; nothing for a kind this build does not register. */
function reportForm(kind: string, fields: Part, hidden: Record<string, string>, note?: string): Html {
  const def = reportDefinition(kind);
  if (!def) return html``;
  return html`<form class="panel stack" method="get" action="/laporan/unduh/${kind}" id="form-${kind}"><h2>${def.title}</h2>
${note ? html`<p class="muted">${note}</p>` : ''}
${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<div class="filters">${fields}
<div class="field"><label for="${kind}-format">Berkas</label><select id="${kind}-format" name="format"><option value="pdf">PDF</option><option value="csv">CSV</option></select></div>
<button type="submit">Unduh</button></div></form>`;
}

const dateField = (kind: string, name: string, label: string, value: string, max: string) =>
  html`<div class="field"><label for="${kind}-${name}">${label}</label><input type="date" id="${kind}-${name}" name="${name}" value="${value}" max="${max}" required></div>`;

function marketSelect(
  kind: string,
  markets: { id: string; code: string; name: string }[],
  all: string | undefined,
): Html {
  return html`<div class="field"><label for="${kind}-market">Pasar</label><select id="${kind}-market" name="marketId"${all ? '' : html` required`}>
${all ? html`<option value="">${all}</option>` : ''}${markets.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</select></div>`;
}

function managerForms(m: MarketScope): Html {
  const hidden = { marketId: m.id };
  return html`<h1>Laporan — ${m.name}</h1><p class="sub">PDF bernomor dan terdaftar: siapa pun yang memegangnya dapat memeriksa keasliannya lewat QR di kop. CSV berisi baris yang sama untuk diolah di lembar kerja.</p>
<div class="grid2">
${reportForm('daily-collection', dateField('daily-collection', 'date', 'Tanggal', yesterday(m.today), m.today), hidden)}
${reportForm('arrears', dateField('arrears', 'asOf', 'Per tanggal', m.today, m.today), hidden)}
${reportForm('strd', dateField('strd', 'date', 'Tanggal terbit', m.today, m.today), hidden, 'STRD yang diterbitkan pada tanggal itu.')}
${reportForm('warning-letters', dateField('warning-letters', 'date', 'Tanggal terbit', m.today, m.today), hidden, 'Surat teguran yang diterbitkan pada tanggal itu.')}
</div>`;
}

function regionForms(r: RegionScope, own: boolean, markets: { id: string; code: string; name: string }[]): Html {
  const hidden: Record<string, string> = own ? {} : { regionId: r.id };
  const y = yesterday(r.today);
  return html`<h1>Laporan — ${r.name}</h1><p class="sub">PDF bernomor dan terdaftar: siapa pun yang memegangnya dapat memeriksa keasliannya lewat QR di kop. CSV berisi baris yang sama untuk diolah di lembar kerja.</p>
<div class="grid2">
${reportForm('daily-reconciliation', dateField('daily-reconciliation', 'date', 'Tanggal usaha', y, r.today), hidden)}
${reportForm('daily-collection', html`${dateField('daily-collection', 'date', 'Tanggal', y, r.today)}${marketSelect('daily-collection', markets, 'Semua pasar')}`, hidden)}
${reportForm('monthly-realisation', html`<div class="field"><label for="monthly-realisation-month">Bulan</label><input type="month" id="monthly-realisation-month" name="month" value="${r.today.slice(0, 7)}" max="${r.today.slice(0, 7)}" required></div>`, hidden)}
${reportForm('arrears', html`${dateField('arrears', 'asOf', 'Per tanggal', r.today, r.today)}${marketSelect('arrears', markets, 'Semua pasar')}`, hidden)}
${reportForm('strd', html`${dateField('strd', 'date', 'Tanggal terbit', r.today, r.today)}${marketSelect('strd', markets, undefined)}`, hidden)}
${reportForm('warning-letters', html`${dateField('warning-letters', 'date', 'Tanggal terbit', r.today, r.today)}${marketSelect('warning-letters', markets, undefined)}`, hidden)}
</div>`;
}

export function reportPages(deps: Deps): Router {
  const r = Router();
  const api = reportRoutes(deps);

  r.get('/laporan', async (req: Request, res: Response) => {
    const q = parseInput(regionQuery, req.query);
    const s = sessionOf(req);
    const p = s.principal;
    let body: Html;
    if (p.role === 'manager') {
      body = managerForms((await marketFor(deps, p, undefined)) as MarketScope);
    } else {
      const region = await regionFor(deps, p, q.regionId);
      body = region
        ? regionForms(region, p.regionId === region.id, await marketChoices(deps, region.id))
        : regionPicker(await regionChoices(deps), '/laporan');
    }
    res.type('html').send(staffPage(await viewerOf(deps, p, s.csrf), { title: 'Laporan', path: req.path, body }));
  });

  r.get('/laporan/unduh/:kind', (req: Request, res: Response, next: NextFunction) => {
    const s = sessionOf(req);
    // A form's empty fields ("all markets") are left out; anything else goes on as asked, and
    // the API's schema refuses what it does not know.
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) {
      if (v === '' && PASSED_ON.includes(k)) continue;
      params[k] = String(v);
    }
    // "Unduh" saves the file: the API answers a PDF inline (for viewers), a page asks for the file.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name, value) =>
      setHeader(
        name,
        /^content-disposition$/i.test(name) && typeof value === 'string'
          ? value.replace(/^inline/, 'attachment')
          : value,
      );
    req.headers.authorization = `Bearer ${s.token}`;
    req.url = `/reports/${encodeURIComponent(req.params.kind as string)}${qs(params)}`;
    api(req, res, next);
  });
  return r;
}
