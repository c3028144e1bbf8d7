// The reconciliation calendar and a day's page: the summary, the differences (selisih) each with
// what identifies it and, while open, a decision form; the upload of bank files and the run.
import { bulanTahun } from '../../reports/format';
import { localTimeLabel } from '../core/time';
import type { ExceptionKind } from '../reconcile/exceptions';
import { channelLabel, hariTanggal, html, type Html, qs, rupiah, tanggal, type Part } from './html';
import type { DayExceptionRow } from './reconcile-pages.repository';
import { decisionLabel, KIND_HELP, KIND_LABEL } from './reconcile-decisions';
import {
  type DecisionValues,
  decisionForm,
  type FormError,
  fileNoteView,
  runButton,
  type UploadFormInput,
  uploadForm,
} from './reconcile-forms.views';
import type { RegionScope } from './scope';
import type { CalendarCell, DayState, DayView, FileNote, MonthView, UploadSource } from './reconcile.service';

export { KIND_LABEL };

const monthLabel = bulanTahun;

const STATE: Record<DayState, { long: string; short: string }> = {
  clean: { long: 'Bersih', short: 'Bersih' },
  awaiting: { long: 'Menunggu setelmen', short: 'Tunggu' },
  exceptions: { long: 'Ada selisih', short: '⚠' },
  none: { long: 'Belum direkonsiliasi', short: 'Belum' },
  empty: { long: 'Tidak ada transaksi', short: 'Nihil' },
  future: { long: '', short: '' },
};

const regionQ = (own: boolean, region: RegionScope): Record<string, string | undefined> =>
  own ? {} : { regionId: region.id };

/** A clean day on which nothing happened reads as such. */
function cellText(c: CalendarCell): { long: string; short: string } {
  if (c.state === 'exceptions') return { long: `⚠ ${c.open} selisih`, short: `⚠ ${c.open}` };
  if (c.state === 'clean' && !c.hasTransactions) return STATE.empty;
  return STATE[c.state];
}

function stateText(c: CalendarCell): string {
  if (c.state === 'exceptions') return `${c.open} selisih terbuka`;
  if (c.state === 'clean' && !c.hasTransactions) return 'Bersih, tidak ada transaksi';
  return STATE[c.state].long;
}

export interface PageForms {
  csrf: string;
  canResolve: boolean;
  sources: UploadSource[];
  upload?: { error?: FormError; chosen?: string };
  file?: { note: FileNote; again: boolean };
}

function tabs(q: Record<string, string | undefined>, here: 'kalender' | 'log'): Html {
  return html`<nav aria-label="Rekonsiliasi" class="tabs"><a href="/rekonsiliasi${qs(q)}"${here === 'kalender' ? html` aria-current="page"` : ''}>Kalender</a>
<a href="/rekonsiliasi/keputusan${qs(q)}"${here === 'log' ? html` aria-current="page"` : ''}>Log keputusan</a></nav>`;
}

export { tabs as reconcileTabs };

function uploadPart(f: PageForms, back: Record<string, string | undefined>, date?: string): Part {
  if (!f.canResolve) return '';
  const i: UploadFormInput = {
    csrf: f.csrf,
    sources: f.sources,
    back,
    date,
    error: f.upload?.error,
    chosen: f.upload?.chosen,
    folded: date !== undefined,
  };
  return uploadForm(i);
}

export function calendarBody(region: RegionScope, own: boolean, v: MonthView, f: PageForms): Html {
  const q = regionQ(own, region);
  const cell = (c: CalendarCell): Html => {
    const cls = `day ${c.state}${c.date === region.today ? ' today' : ''}`;
    const label = `${tanggal(c.date)}: ${c.state === 'future' ? 'belum tiba' : stateText(c)}`;
    const t = cellText(c);
    const inner = html`<span class="n">${c.day}</span>${c.state === 'future' ? '' : html`<span class="long">${t.long}</span><span class="short">${t.short}</span>`}`;
    return c.state === 'future'
      ? html`<div class="${cls}" aria-label="${label}">${inner}</div>`
      : html`<a class="${cls}" href="/rekonsiliasi/${c.date}${qs(q)}" aria-label="${label}" data-state="${c.state}">${inner}</a>`;
  };
  const counts = (s: DayState) => v.cells.filter((c) => c.state === s).length;
  return html`<h1>Rekonsiliasi — ${region.name}</h1><p class="sub">Setiap hari usaha: pembayaran di sistem dicocokkan dengan setelmen bank dan rekening koran.</p>
${tabs(q, 'kalender')}
${f.file ? fileNoteView(f.file.note, { again: f.file.again, csrf: f.csrf, canRun: f.canResolve, back: q, today: region.today }) : ''}
${uploadPart(f, q)}
<nav aria-label="Bulan" class="tabs"><a href="/rekonsiliasi${qs({ ...q, month: v.prev })}">← ${monthLabel(v.prev)}</a>
${v.next ? html`<a href="/rekonsiliasi${qs({ ...q, month: v.next })}">${monthLabel(v.next)} →</a>` : ''}</nav>
<h2>${monthLabel(v.month)}</h2>
<div class="legend"><span class="badge b-ok">Bersih: ${counts('clean')}</span><span class="badge b-warn">Menunggu setelmen: ${counts('awaiting')}</span>
<span class="badge b-bad">Ada selisih: ${counts('exceptions')}</span><span class="badge b-na">Belum direkonsiliasi: ${counts('none')}</span>
<span class="badge b-na">Tidak ada transaksi: ${counts('empty')}</span></div>
<div class="cal" role="group" aria-label="Kalender ${monthLabel(v.month)}">
${['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min'].map((d) => html`<div class="dow" aria-hidden="true">${d}</div>`)}
${Array.from({ length: v.lead }, () => html`<div class="blank" aria-hidden="true"></div>`)}
${v.cells.map(cell)}</div>`;
}

function facts(e: DayExceptionRow, tz: string): [string, string][] {
  const out: [string, string][] = [];
  const add = (k: string, val: string | null | undefined) => {
    if (val) out.push([k, val]);
  };
  add('Bank', e.acquirer_name ? `${e.acquirer_name}${e.channel ? ` (${channelLabel(e.channel)})` : ''}` : undefined);
  add('Tempat usaha', e.stall_code);
  add('TID', e.tid ?? (typeof e.details?.tid === 'string' ? e.details.tid : undefined));
  add('Kode otorisasi', e.approval_code);
  add('Kartu', e.masked_pan);
  add('Waktu bayar', e.paid_at ? localTimeLabel(new Date(e.paid_at), tz) : undefined);
  add('RRN', e.rrn);
  add('Batch', e.batch);
  add('Berkas bank', e.file_name ? `${e.file_name}, baris ${e.line_number}` : undefined);
  if (typeof e.details?.dueBy === 'string') add('Jatuh tempo setelmen', tanggal(e.details.dueBy));
  if (e.ledger_amount !== null)
    add(e.kind === 'fee-mismatch' ? 'MDR menurut tarif' : 'Di sistem', rupiah(e.ledger_amount));
  if (e.bank_amount !== null) add(e.kind === 'fee-mismatch' ? 'MDR dipotong bank' : 'Di bank', rupiah(e.bank_amount));
  if (e.difference !== null) add('Selisih', rupiah(e.difference));
  return out;
}

export interface DecisionError {
  id: string;
  error: FormError;
  values: DecisionValues;
}

function exceptionPanel(e: DayExceptionRow, tz: string, form: Part): Html {
  const kind = e.kind as ExceptionKind;
  return html`<section class="panel" id="selisih-${e.id}" data-exception="${e.id}" data-status="${e.status}" data-kind="${e.kind}"><h3>${KIND_LABEL[kind] ?? 'Selisih'}
${e.status === 'open' ? html` <span class="badge b-bad">Terbuka</span>` : html` <span class="badge b-ok">Diputuskan</span>`}</h3>
${KIND_HELP[kind] ? html`<p class="muted">${KIND_HELP[kind]}</p>` : ''}
<dl class="kv">${facts(e, tz).map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>
${e.status === 'resolved' ? html`<p class="decided">${decisionLabel(e.kind, e.resolution)}: “${e.resolution_note ?? ''}” — ${e.resolver_name ?? 'petugas'}${e.resolved_at ? `, ${localTimeLabel(new Date(e.resolved_at), tz)}` : ''}</p>` : ''}
${form}</section>`;
}

export function dayBody(
  region: RegionScope,
  own: boolean,
  v: DayView,
  o: PageForms & { resolved: boolean; ran: boolean; error?: DecisionError },
): Html {
  const q = regionQ(own, region);
  const s = v.summary;
  const open = v.exceptions.filter((e) => e.status === 'open');
  const banner =
    v.state === 'clean'
      ? v.hasTransactions
        ? html`<p class="note ok" id="status" role="status">✔ Bersih — tidak ada selisih terbuka dan tidak ada yang masih ditunggu dari bank.</p>`
        : html`<p class="note ok" id="status" role="status">✔ Bersih — tidak ada transaksi kartu atau QRIS pada hari ini.</p>`
      : v.state === 'awaiting'
        ? html`<p class="note info" id="status" role="status">Menunggu setelmen — berkas bank untuk hari ini belum jatuh tempo atau belum masuk.</p>`
        : v.state === 'exceptions'
          ? html`<p class="note bad" id="status" role="status">⚠ ${open.length} selisih terbuka menunggu keputusan.</p>`
          : v.state === 'empty'
            ? html`<p class="note info" id="status" role="status">Tidak ada transaksi: tidak ada pembayaran kartu atau QRIS di sistem dan tidak ada baris bank untuk hari ini.</p>`
            : html`<p class="note info" id="status" role="status">Hari ini belum direkonsiliasi.</p>`;
  const canRun = o.canResolve && v.date <= region.today;
  const report = s
    ? html`<a class="button secondary" href="/laporan/unduh/daily-reconciliation${qs({ ...q, date: v.date, format: 'pdf' })}">Unduh Laporan Rekonsiliasi Harian (PDF)</a>`
    : '';
  const form = (e: DayExceptionRow): Part =>
    (e.status === 'open' || o.error?.id === e.id) && o.canResolve
      ? decisionForm({
          e,
          day: v.date,
          csrf: o.csrf,
          back: q,
          tz: region.timeZone,
          candidates: v.candidates.get(e.id),
          stalls: v.stalls,
          terminals: v.terminals,
          error: o.error?.id === e.id ? o.error.error : undefined,
          values: o.error?.id === e.id ? o.error.values : undefined,
        })
      : '';
  return html`<p><a href="/rekonsiliasi${qs({ ...q, month: v.date.slice(0, 7) })}">← Kalender</a></p>
<h1>Rekonsiliasi ${hariTanggal(v.date)}</h1><p class="sub">${region.name}${v.lastRunAt ? ` · dijalankan ${v.runs} kali, terakhir ${localTimeLabel(new Date(v.lastRunAt), region.timeZone)}` : ''}</p>
${o.resolved ? html`<p class="note ok" role="status">Keputusan disimpan; hari ini direkonsiliasi ulang.</p>` : ''}
${o.ran && s ? html`<p class="note ok" role="status" id="dijalankan">Rekonsiliasi dijalankan: ${s.exceptions.open} selisih terbuka, ${s.matched.count} dari ${s.ledger.count} transaksi cocok dengan bank.</p>` : ''}
${o.file ? fileNoteView(o.file.note, { again: o.file.again, csrf: o.csrf, canRun: o.canResolve, back: q, today: region.today }) : ''}
${banner}
${canRun || report ? html`<div class="actions">${canRun ? runButton(o.csrf, v.date, q, v.lastRunAt ? 'Jalankan ulang rekonsiliasi' : 'Jalankan rekonsiliasi') : ''}${report}</div>` : ''}
${uploadPart(o, q, v.date)}
${
  s
    ? html`<div class="cards"><div class="card"><span class="k">Tercatat di sistem</span><span class="v">${rupiah(s.ledger.amount)}</span><span class="s">${s.ledger.count} transaksi kartu/QRIS</span></div>
<div class="card"><span class="k">Cocok dengan bank</span><span class="v">${rupiah(s.matched.amount)}</span><span class="s">${s.matched.count} transaksi</span></div>
<div class="card${s.awaitingSettlement.count > 0 ? ' c-warn' : ''}"><span class="k">Menunggu setelmen</span><span class="v">${rupiah(s.awaitingSettlement.amount)}</span><span class="s">${s.awaitingSettlement.count} transaksi</span></div>
<div class="card"><span class="k">Setelmen bank (bersih)</span><span class="v">${rupiah(s.settled.net)}</span><span class="s">bruto ${rupiah(s.settled.gross)}, MDR ${rupiah(s.settled.mdr)}</span></div>
<div class="card"><span class="k">Masuk rekening kas</span><span class="v">${rupiah(s.statement.amount)}</span><span class="s">${s.statement.credits} kredit</span></div></div>
<div class="scroll"><table><caption>Per bank</caption><thead><tr><th scope="col">Bank</th><th scope="col" class="hide-sm">Saluran</th><th scope="col" class="hide-sm">Jatuh tempo</th>
<th scope="col" class="num">Sistem</th><th scope="col" class="num">Cocok</th><th scope="col" class="num hide-sm">Menunggu</th><th scope="col" class="num">Setelmen</th></tr></thead><tbody>
${s.acquirers.map(
  (
    a,
  ) => html`<tr><th scope="row">${v.acquirerNames.get(a.acquirer) ?? a.acquirer}</th><td class="hide-sm">${channelLabel(a.channel)}</td><td class="hide-sm">${tanggal(a.dueBy)}</td><td class="num">${rupiah(a.ledger.amount)}</td>
<td class="num">${rupiah(a.matched.amount)}</td><td class="num hide-sm">${rupiah(a.awaitingSettlement.amount)}</td><td class="num">${rupiah(a.settled.gross)}</td></tr>`,
)}
</tbody></table></div>`
    : ''
}
<h2>Selisih</h2>
${
  v.exceptions.length === 0
    ? html`<p class="muted">Tidak ada selisih pada hari ini.</p>`
    : v.exceptions.map((e) => exceptionPanel(e, region.timeZone, form(e)))
}`;
}
