// Report downloads from a browser. /laporan offers the reports the viewer may ask for, as PDF
// (the issued document), Excel (.xlsx) or CSV, and lists the documents issued on a day (the
// schedule's among them) with their numbers; /laporan/unduh/:kind hands the request to the API's
// own report route (GET /api/v1/reports/:kind) with the session's token, so the scope checks,
// defaults, numbering and register are the API's code, not a copy of it; a listed document is
// downloaded again through the same route by its number (?number=), as it was issued. Its errors
// come back here as pages.
import { Router, type Request, type Response, type NextFunction } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { reportRoutes } from '../reports/reports.routes';
import { issuedReports } from '../reports/reports.service';
import type { IssuedRow } from '../../reports/document';
import { reportDefinition } from '../../reports/registry';
import { waktuLokal } from '../../reports/format';
import { html, type Html, qs, type Part, tanggal, angka } from './html';
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
import { reportsPageQuery } from './reports.schemas';
import { regionPicker } from './market.views';

const PASSED_ON = ['format', 'regionId', 'marketId', 'date', 'asOf', 'month', 'number'];

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
<div class="field"><label for="${kind}-format">Berkas</label><select id="${kind}-format" name="format"><option value="pdf">PDF (dokumen resmi)</option><option value="xlsx">Excel (.xlsx)</option><option value="csv">CSV (data mentah)</option></select></div>
<button type="submit">Unduh</button></div></form>`;
}

/** Which file to choose: the .xlsx opens right in Excel with Indonesian settings; the CSV is for
 * programs (comma-separated, decimal point), which such an Excel reads as one column of text. */
const FORMATS_NOTE = html`<p class="sub">PDF: dokumen resmi, bernomor dan terdaftar; siapa pun yang memegangnya dapat memeriksa keasliannya lewat QR di kop.
Excel (.xlsx): baris dan jumlah yang sama, dengan angka dan tanggal yang langsung dapat dijumlahkan; pilih ini untuk membuka data di Excel.
CSV: data mentah yang sama untuk aplikasi lain (pemisah koma, desimal titik); Excel dengan pengaturan Indonesia membacanya sebagai teks, jadi untuk Excel pilih .xlsx.</p>`;

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
  return html`<h1>Laporan — ${m.name}</h1>${FORMATS_NOTE}
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
  return html`<h1>Laporan — ${r.name}</h1>${FORMATS_NOTE}
<div class="grid2">
${reportForm('daily-reconciliation', dateField('daily-reconciliation', 'date', 'Tanggal usaha', y, r.today), hidden)}
${reportForm('daily-collection', html`${dateField('daily-collection', 'date', 'Tanggal', y, r.today)}${marketSelect('daily-collection', markets, 'Semua pasar')}`, hidden)}
${reportForm('monthly-realisation', html`<div class="field"><label for="monthly-realisation-month">Bulan</label><input type="month" id="monthly-realisation-month" name="month" value="${r.today.slice(0, 7)}" max="${r.today.slice(0, 7)}" required></div>`, hidden)}
${reportForm('arrears', html`${dateField('arrears', 'asOf', 'Per tanggal', r.today, r.today)}${marketSelect('arrears', markets, 'Semua pasar')}`, hidden)}
${reportForm('strd', html`${dateField('strd', 'date', 'Tanggal terbit', r.today, r.today)}${marketSelect('strd', markets, undefined)}`, hidden)}
${reportForm('warning-letters', html`${dateField('warning-letters', 'date', 'Tanggal terbit', r.today, r.today)}${marketSelect('warning-letters', markets, undefined)}`, hidden)}
</div>`;
}

/** Who issued a document, as the list says it. */
function issuer(row: IssuedRow): string {
  if (row.made_by === 'schedule') return 'Jadwal otomatis';
  return row.made_by_name ?? '—';
}

/** What a document covers, as its letterhead says it (the subtitle kept in its covers). */
function coverage(row: IssuedRow): string {
  const lines = row.covers.subtitle;
  return Array.isArray(lines) ? lines.map(String).join('; ') : '';
}

function issuedRow(row: IssuedRow, timeZone: string): Html {
  const def = reportDefinition(row.kind);
  const download =
    row.kept && def
      ? html`<a href="/laporan/unduh/${row.kind}${qs({ number: row.number })}" download>Unduh PDF</a>`
      : html`<span class="muted">Berkas tidak disimpan</span>`;
  // The link next to the number: on a phone the columns after it are behind the table's scroll.
  return html`<tr data-number="${row.number}"><th scope="row">${row.number}</th><td>${download}</td><td>${row.title}<br><span class="muted">${coverage(row)}</span></td>
<td class="num">${waktuLokal(row.made_at, timeZone).replace(/^.* pukul /, '')}</td><td class="hide-sm">${issuer(row)}</td>
<td class="num hide-sm">${row.pages === null ? '—' : angka(row.pages)}</td></tr>`;
}

/**
 * The documents issued on one day, with their numbers: the schedule's (the day's reconciliation
 * and collection reports, the month's documents) and those asked for here. "Unduh PDF" hands out
 * the document as it was issued, under the same number, so the list is also the archive.
 */
function issuedSection(
  day: string,
  today: string,
  timeZone: string,
  issued: { rows: IssuedRow[]; more: boolean },
  hidden: Record<string, string>,
): Html {
  const rows = issued.rows;
  return html`<section id="terbit" aria-labelledby="terbit-judul"><h2 id="terbit-judul">Laporan yang terbit</h2>
<p class="sub">Setiap PDF yang pernah terbit, dengan nomornya. Mengunduhnya lagi memberikan dokumen yang sama (nomor dan isi yang sama), bukan nomor baru.</p>
<form class="filters" method="get" action="/laporan">${Object.entries(hidden).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}
<div class="field"><label for="terbit-tanggal">Tanggal terbit</label><input type="date" id="terbit-tanggal" name="terbit" value="${day}" max="${today}" required></div>
<button type="submit">Tampilkan</button></form>
${
  rows.length === 0
    ? html`<p class="note info">Tidak ada laporan yang terbit pada ${tanggal(day)}.</p>`
    : html`<div class="scroll"><table id="daftar-terbit"><caption>Terbit pada ${tanggal(day)} (${angka(rows.length)}${issued.more ? '+' : ''})</caption>
<thead><tr><th scope="col">Nomor</th><th scope="col">Berkas</th><th scope="col">Laporan</th><th scope="col" class="num">Pukul</th><th scope="col" class="hide-sm">Oleh</th><th scope="col" class="num hide-sm">Halaman</th></tr></thead>
<tbody>${rows.map((row) => issuedRow(row, timeZone))}</tbody></table></div>
${issued.more ? html`<p class="muted">Hanya ${angka(rows.length)} dokumen pertama hari itu yang ditampilkan.</p>` : ''}`
}</section>`;
}

export function reportPages(deps: Deps): Router {
  const r = Router();
  const api = reportRoutes(deps);

  r.get('/laporan', async (req: Request, res: Response) => {
    const q = parseInput(reportsPageQuery, req.query);
    const s = sessionOf(req);
    const p = s.principal;
    let body: Html;
    if (p.role === 'manager') {
      const m = (await marketFor(deps, p, undefined)) as MarketScope;
      const day = q.terbit ?? m.today;
      const issued = await issuedReports(deps, p, { regionId: m.regionId, timeZone: m.timeZone, marketId: m.id }, day);
      body = html`${managerForms(m)}${issuedSection(day, m.today, m.timeZone, issued, {})}`;
    } else {
      const region = await regionFor(deps, p, q.regionId);
      if (region) {
        const own = p.regionId === region.id;
        const day = q.terbit ?? region.today;
        const issued = await issuedReports(deps, p, { regionId: region.id, timeZone: region.timeZone }, day);
        body = html`${regionForms(region, own, await marketChoices(deps, region.id))}${issuedSection(
          day,
          region.today,
          region.timeZone,
          issued,
          own ? {} : { regionId: region.id },
        )}`;
      } else body = regionPicker(await regionChoices(deps), '/laporan');
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
