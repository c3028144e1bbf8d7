// The decision log across days, as the auditor reads it: who decided, when, on which difference,
// what, and why; and the same rows as a CSV that Excel in Indonesian settings opens as columns
// (a BOM so it reads UTF-8, ';' between cells, a decimal comma).
import Decimal from 'decimal.js';
import { csvCell } from '../../reports/document';
import { localStamp } from '../../reports/format';
import { localTimeLabel } from '../core/time';
import type { ExceptionKind } from '../reconcile/exceptions';
import { html, type Html, qs, rupiah, tanggal } from './html';
import { decisionLabel, KIND_LABEL } from './reconcile-decisions';
import type { DecisionLogRow } from './reconcile-pages.repository';
import type { LogView } from './reconcile.service';
import { reconcileTabs } from './reconcile.views';
import type { RegionScope } from './scope';

const who = (r: DecisionLogRow) => r.decider_name ?? r.decider_username ?? 'akun tidak dikenal';

export function logBody(region: RegionScope, own: boolean, v: LogView): Html {
  const q: Record<string, string | undefined> = own ? {} : { regionId: region.id };
  const period = { ...q, dari: v.from, sampai: v.to };
  const span =
    v.from && v.to
      ? `${tanggal(v.from)} sampai ${tanggal(v.to)}`
      : v.from
        ? `sejak ${tanggal(v.from)}`
        : v.to
          ? `sampai ${tanggal(v.to)}`
          : 'semua tanggal';
  return html`<h1>Log keputusan rekonsiliasi — ${region.name}</h1>
<p class="sub">Setiap keputusan atas selisih: siapa, kapan, atas selisih mana, apa keputusannya, dan alasannya. Keputusan tidak dapat diubah atau dihapus.</p>
${reconcileTabs(q, 'log')}
<form class="filters" method="get" action="/rekonsiliasi/keputusan">${own ? '' : html`<input type="hidden" name="regionId" value="${region.id}">`}
<div class="field"><label for="log-dari">Diputuskan dari</label><input type="date" id="log-dari" name="dari" value="${v.from ?? ''}" max="${region.today}"></div>
<div class="field"><label for="log-sampai">sampai</label><input type="date" id="log-sampai" name="sampai" value="${v.to ?? ''}" max="${region.today}"></div>
<button type="submit">Tampilkan</button>
<a class="button secondary" href="/rekonsiliasi/keputusan/unduh${qs(period)}" download>Unduh CSV (Excel)</a></form>
<p class="muted">CSV untuk Excel berbahasa Indonesia: pemisah titik koma, desimal koma.</p>
${
  v.rows.length === 0
    ? html`<p class="muted" id="log-kosong">Tidak ada keputusan (${span}).</p>`
    : html`<div class="scroll"><table id="log-keputusan"><caption>Keputusan, ${span}, terbaru di atas</caption><thead><tr>
<th scope="col">Waktu</th><th scope="col">Petugas</th><th scope="col">Tanggal usaha</th><th scope="col" class="hide-sm">Bank</th><th scope="col">Selisih</th>
<th scope="col">Keputusan</th><th scope="col">Alasan</th><th scope="col" class="num hide-sm">Nominal selisih</th></tr></thead><tbody>
${v.rows.map(
  (
    r,
  ) => html`<tr data-decision="${r.id}"><td>${localTimeLabel(new Date(r.decided_at), region.timeZone)}</td><td>${who(r)}</td>
<td><a href="/rekonsiliasi/${r.business_date}${qs(q)}#selisih-${r.exception_id}">${tanggal(r.business_date)}</a></td><td class="hide-sm">${r.acquirer_name ?? '—'}</td>
<td>${KIND_LABEL[r.kind as ExceptionKind] ?? 'Selisih'}${r.stall_code ? ` · ${r.stall_code}` : ''}${r.approval_code ? ` · kode ${r.approval_code}` : ''}</td>
<td>${decisionLabel(r.kind, r.resolution)}</td><td>${r.note}</td>
<td class="num hide-sm">${r.difference !== null ? rupiah(r.difference) : r.bank_amount !== null ? rupiah(r.bank_amount) : r.ledger_amount !== null ? rupiah(r.ledger_amount) : '—'}</td></tr>`,
)}</tbody></table></div>`
}
${
  v.page > 1 || v.more
    ? html`<nav class="tabs" aria-label="Halaman">${v.page > 1 ? html`<a href="/rekonsiliasi/keputusan${qs({ ...period, halaman: v.page - 1 })}">← Sebelumnya</a>` : ''}
${v.more ? html`<a href="/rekonsiliasi/keputusan${qs({ ...period, halaman: v.page + 1 })}">Berikutnya →</a>` : ''}</nav>`
    : ''
}`;
}

// ---- CSV for Excel in Indonesian settings ----------------------------------------------------

/** A text cell: made inert for a spreadsheet (reports/document's csvCell), quoted when it holds
 * the separator, a quote or a line break. */
function textCell(v: string | null | undefined): string {
  const c = csvCell(v ?? '');
  return /[;"\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
}

/** A number as Excel reads it with a decimal comma: "-1000,50"; empty when there is none. */
function numberCell(v: string | null): string {
  return v === null ? '' : new Decimal(v).toFixed(2).replace('.', ',');
}

export const LOG_CSV_HEADER = [
  'Waktu keputusan',
  'Petugas',
  'Nama pengguna',
  'Tanggal usaha',
  'Bank',
  'Jenis selisih',
  'Keputusan',
  'Alasan',
  'Di sistem',
  'Di bank',
  'Selisih',
  'Tempat usaha',
  'TID',
  'Kode otorisasi',
  'ID selisih',
];

export function logCsv(region: RegionScope, rows: DecisionLogRow[]): string {
  const line = (cells: string[]) => `${cells.join(';')}\r\n`;
  let out = `\uFEFF${line(LOG_CSV_HEADER.map(textCell))}`;
  for (const r of rows) {
    out += line([
      textCell(localStamp(new Date(r.decided_at), region.timeZone)),
      textCell(r.decider_name),
      textCell(r.decider_username),
      textCell(r.business_date),
      textCell(r.acquirer_name),
      textCell(KIND_LABEL[r.kind as ExceptionKind] ?? r.kind),
      textCell(decisionLabel(r.kind, r.resolution)),
      textCell(r.note),
      numberCell(r.ledger_amount),
      numberCell(r.bank_amount),
      numberCell(r.difference),
      textCell(r.stall_code),
      textCell(r.tid),
      textCell(r.approval_code),
      textCell(r.exception_id),
    ]);
  }
  return out;
}
