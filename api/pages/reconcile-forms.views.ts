// The reconciliation pages' forms: the decision on a difference (only the decisions that fit its
// kind, each with what it does; candidates to link as a list to choose from; the stall and
// terminal a payment made from a bank line takes), the bank-file upload, the run button, and the
// note of a file just uploaded. A refused form comes back with its message at the top of the
// form and with what was typed and chosen still in it.
import { localTimeLabel } from '../core/time';
import type { LinkCandidate } from '../reconcile/link-candidates';
import type { BankFileView } from '../reconcile/bank-files.service';
import type { SettlementTotals, StatementTotals } from '../reconcile/import.service';
import { CSRF_FIELD } from './session.middleware';
import { html, type Html, type Part, qs, rupiah, tanggal } from './html';
import { decisionsFor } from './reconcile-decisions';
import type { DayExceptionRow, OccupiedStallRow, TerminalRow } from './reconcile-pages.repository';
import type { FileNote, UploadSource } from './reconcile.service';

/** What a refused decision form held, to show it again. */
export interface DecisionValues {
  resolution?: string;
  note?: string;
  paymentId?: string;
  settlementLineId?: string;
  stallId?: string;
  terminalId?: string;
}

export interface FormError {
  message: string;
  /** the refusal's code, for support (not shown) */
  code?: string;
}

const checked = (on: boolean) => (on ? html` checked` : '');
const selected = (on: boolean) => (on ? html` selected` : '');

function alert(id: string, e: FormError | undefined): Part {
  return e ? html`<p class="note bad" role="alert" id="${id}" data-code="${e.code ?? ''}">${e.message}</p>` : '';
}

function when(c: LinkCandidate, tz: string): string {
  return c.at ? localTimeLabel(c.at, tz) : tanggal(c.date);
}

/** "Pembayaran 20/05/2020 08.00 WIB, TID 91241602, Rp 388.687, kode otorisasi 575907, ...": the
 * radio's name, so a screen reader (and a test) reads the whole row. */
function candidateName(side: 'payment' | 'line', c: LinkCandidate, tz: string): string {
  return [
    `${side === 'payment' ? 'Pembayaran' : 'Baris bank'} ${when(c, tz)}`,
    c.tid ? `TID ${c.tid}` : undefined,
    rupiah(c.amount),
    c.approvalCode ? `kode otorisasi ${c.approvalCode}` : undefined,
    c.maskedPan ? `kartu ${c.maskedPan}` : undefined,
    c.rrn ? `RRN ${c.rrn}` : undefined,
    c.stallCode ? `tempat usaha ${c.stallCode}` : undefined,
    c.fileName ? `berkas ${c.fileName} baris ${c.lineNumber}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The time of a candidate; without the date when it is the difference's own day. */
function shortWhen(c: LinkCandidate, day: string, tz: string): string {
  const full = when(c, tz);
  return c.at && c.date === day ? full.replace(/^\d\d\/\d\d\/\d{4} /, '') : full;
}

function candidateTable(
  exceptionId: string,
  day: string,
  side: 'payment' | 'line',
  list: LinkCandidate[],
  chosen: string | undefined,
  tz: string,
): Html {
  const field = side === 'payment' ? 'paymentId' : 'settlementLineId';
  const what = side === 'payment' ? 'pembayaran di sistem' : 'baris setelmen bank';
  if (list.length === 0)
    return html`<p class="muted" data-candidates="${field}">Tidak ada ${what} yang belum berpasangan pada tanggal ini untuk bank ini.</p>`;
  const where = (c: LinkCandidate) =>
    side === 'payment' ? (c.stallCode ?? '—') : `${c.fileName ?? ''} baris ${c.lineNumber ?? ''}`;
  return html`<div class="scroll"><table data-candidates="${field}"><caption>Pilih ${what}</caption><thead><tr><th scope="col"><span class="sr">Pilih</span></th><th scope="col">Waktu</th><th scope="col" class="hide-sm">TID</th>
<th scope="col" class="num">Nominal</th><th scope="col" class="hide-sm">Kode otorisasi</th><th scope="col" class="hide-sm">Kartu</th><th scope="col" class="hide-sm">${side === 'payment' ? 'Tempat usaha' : 'Berkas'}</th></tr></thead><tbody>
${list.map((c, i) => {
  const rid = `${field === 'paymentId' ? 'cp' : 'cl'}-${exceptionId}-${i}`;
  const flags = [
    c.sameTerminal ? '' : html` <span class="badge b-warn">TID lain</span>`,
    c.sameAmount ? '' : html` <span class="badge b-warn">nominal beda</span>`,
  ];
  return html`<tr><td><input type="radio" id="${rid}" name="${field}" value="${c.id}" aria-label="${candidateName(side, c, tz)}"${checked(chosen === c.id)}></td>
<td><label for="${rid}">${shortWhen(c, day, tz)}</label><span class="only-sm">kode ${c.approvalCode ?? '—'} · TID ${c.tid ?? '—'} · ${c.maskedPan ?? '—'} · ${where(c)}</span>${flags}</td><td class="hide-sm">${c.tid ?? '—'}</td><td class="num">${rupiah(c.amount)}</td><td class="hide-sm">${c.approvalCode ?? '—'}</td>
<td class="hide-sm">${c.maskedPan ?? '—'}</td><td class="hide-sm">${where(c)}</td></tr>`;
})}</tbody></table></div>`;
}

export interface DecisionFormInput {
  e: DayExceptionRow;
  /** the business date the difference is of */
  day: string;
  csrf: string;
  back: Record<string, string | undefined>;
  tz: string;
  candidates?: { payments: LinkCandidate[]; lines: LinkCandidate[] };
  stalls: OccupiedStallRow[];
  terminals: TerminalRow[];
  error?: FormError;
  values?: DecisionValues;
}

function acceptBankFields(i: DecisionFormInput): Html {
  const v = i.values ?? {};
  const tid = typeof i.e.details?.tid === 'string' ? i.e.details.tid : (i.e.tid ?? undefined);
  const known = tid ? i.terminals.find((t) => t.tid === tid) : undefined;
  // A receipt comes from a terminal of the stall's market: with the line's terminal known, only
  // that market's stalls can take the payment.
  const stalls = known ? i.stalls.filter((s) => s.market_id === known.market_id) : i.stalls;
  return html`<fieldset class="choices"><legend>Untuk “Terima data bank”</legend>
<div class="field"><label for="st-${i.e.id}">Tempat usaha yang dibayar</label><select id="st-${i.e.id}" name="stallId"><option value="">— pilih tempat usaha —</option>
${stalls.map((s) => html`<option value="${s.id}"${selected(v.stallId === s.id)}>${s.market_name} · ${s.code} — ${s.trader_name}</option>`)}</select></div>
${
  known
    ? html`<p class="muted">Bukti bayar diterbitkan atas terminal TID ${tid} (${known.market_name}).</p>`
    : html`<div class="field"><label for="tm-${i.e.id}">Terminal yang menerima transaksi${tid ? ` (TID ${tid} tidak dikenal)` : ''}</label><select id="tm-${i.e.id}" name="terminalId"><option value="">— pilih terminal —</option>
${i.terminals.map((t) => html`<option value="${t.id}"${selected(v.terminalId === t.id)}>${t.market_name} · ${t.id}${t.tid ? ` (TID ${t.tid})` : ''}</option>`)}</select></div>`
}</fieldset>`;
}

export function decisionForm(i: DecisionFormInput): Html {
  const { e } = i;
  const v = i.values ?? {};
  const offered = decisionsFor(e.kind);
  const link = offered.some(([r]) => r === 'link');
  const kindFields: Part[] = [];
  if (link && (e.kind === 'settled-not-in-ledger' || e.kind === 'ambiguous-match')) {
    kindFields.push(html`<fieldset class="choices"><legend>Untuk “Pasangkan”: pembayaran di sistem</legend>
${candidateTable(e.id, i.day, 'payment', i.candidates?.payments ?? [], v.paymentId, i.tz)}</fieldset>`);
  }
  if (link && (e.kind === 'in-ledger-not-settled' || e.kind === 'ambiguous-match')) {
    kindFields.push(html`<fieldset class="choices"><legend>Untuk “Pasangkan”: baris setelmen bank</legend>
${candidateTable(e.id, i.day, 'line', i.candidates?.lines ?? [], v.settlementLineId, i.tz)}</fieldset>`);
  }
  if (e.kind === 'settled-not-in-ledger') kindFields.push(acceptBankFields(i));
  return html`<details class="resolve"${i.error ? html` open` : ''}><summary>Putuskan</summary>
<form method="post" action="/rekonsiliasi/pengecualian/${e.id}/selesaikan${qs(i.back)}#selisih-${e.id}" class="stack">
<input type="hidden" name="${CSRF_FIELD}" value="${i.csrf}">
${alert(`galat-${e.id}`, i.error)}
<div class="field"><label for="rs-${e.id}">Keputusan</label><select id="rs-${e.id}" name="resolution" required><option value="">— pilih keputusan —</option>
${offered.map(([r, t]) => html`<option value="${r}"${selected(v.resolution === r)}>${t.label}</option>`)}</select></div>
<ul class="decisions">${offered.map(([, t]) => html`<li><strong>${t.label}</strong>: ${t.does}</li>`)}</ul>
${kindFields}
<div class="field"><label for="nt-${e.id}">Alasan (wajib, dicatat untuk audit)</label><textarea id="nt-${e.id}" name="note" required minlength="3" maxlength="2000">${v.note ?? ''}</textarea></div>
<button type="submit">Simpan keputusan</button></form></details>`;
}

// ---- Bank files ------------------------------------------------------------------------------

export interface UploadFormInput {
  csrf: string;
  sources: UploadSource[];
  back: Record<string, string | undefined>;
  /** the day page it is on */
  date?: string;
  error?: FormError;
  chosen?: string;
  /** shown as a panel (the calendar) or folded (a day) */
  folded: boolean;
}

export function uploadForm(i: UploadFormInput): Html {
  const form = html`<p class="muted">Berkas setelmen dari portal bank (CSV, XLSX atau XLS) atau rekening koran kas daerah (MT940 atau camt.053). Berkas yang sama diunggah dua kali hanya diimpor sekali.</p>
${alert('galat-unggah', i.error)}
<form method="post" action="/rekonsiliasi/berkas${qs(i.back)}#unggah" enctype="multipart/form-data" class="filters">
<input type="hidden" name="${CSRF_FIELD}" value="${i.csrf}">${i.date ? html`<input type="hidden" name="kembali" value="${i.date}">` : ''}
<div class="field"><label for="up-sumber">Sumber berkas</label><select id="up-sumber" name="sumber" required><option value="">— pilih sumber —</option>
${i.sources.map((s) => html`<option value="${s.value}"${selected(i.chosen === s.value)}>${s.label}</option>`)}</select></div>
<div class="field"><label for="up-berkas">Berkas</label><input type="file" id="up-berkas" name="berkas" required accept=".csv,.txt,.xlsx,.xls,.sta,.940,.mt940,.xml"></div>
<button type="submit">Unggah</button></form>`;
  return i.folded
    ? html`<details class="resolve panel" id="unggah"${i.error ? html` open` : ''}><summary>Unggah berkas bank</summary>${form}</details>`
    : html`<section class="panel" id="unggah"><h2>Unggah berkas bank</h2>${form}</section>`;
}

export function runButton(csrf: string, date: string, back: Record<string, string | undefined>, label?: string): Html {
  return html`<form method="post" action="/rekonsiliasi/${date}/jalankan${qs(back)}" class="inline">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button type="submit">${label ?? `Jalankan rekonsiliasi ${tanggal(date)}`}</button></form>`;
}

const FORMAT_LABEL: Record<string, string> = {
  bni: 'BNI',
  mandiri: 'Mandiri',
  bri: 'BRI',
  linkaja: 'LinkAja',
  mapped: 'tata letak kolom bank',
  mt940: 'MT940',
  camt053: 'camt.053',
  camt054: 'camt.054',
};

function isSettlement(t: BankFileView['totals'], kind: string): t is SettlementTotals {
  return kind === 'settlement' && typeof t === 'object' && t !== null && 'gross' in t;
}

/** What a file just uploaded held, with a run button for each date it brought. */
export function fileNoteView(
  f: FileNote,
  o: { again: boolean; csrf: string; canRun: boolean; back: Record<string, string | undefined>; today: string },
): Html {
  const name = f.name ? `“${f.name}”` : 'berkas';
  const fmt = FORMAT_LABEL[f.format] ?? f.format.toUpperCase();
  const head = o.again
    ? html`Berkas ${name} sudah pernah diimpor sebelumnya; tidak ada yang diimpor dua kali.`
    : html`Berkas ${name} diimpor.`;
  let body: Part;
  if (isSettlement(f.totals, f.kind)) {
    const t = f.totals;
    body = html` ${t.count} baris setelmen ${f.acquirerName ?? f.acquirerCode ?? ''} (format ${fmt}): bruto ${rupiah(t.gross)}, MDR ${rupiah(t.mdr)}, bersih ${rupiah(t.net)}.
${t.alreadyImported ? ` ${t.alreadyImported} baris sudah ada dari berkas sebelumnya dan tidak disimpan lagi.` : ''}${t.panMasked ? ` ${t.panMasked} nomor kartu lengkap di berkas disamarkan.` : ''}`;
  } else {
    const t = f.totals as StatementTotals;
    body = html` Rekening koran (format ${fmt}): ${f.statements?.length ?? t.statements} pernyataan, ${f.lines} mutasi, kredit ${rupiah(t.credits)}, debit ${rupiah(t.debits)}.
${(f.statements ?? []).some((s) => s.openingMismatch) ? ' Saldo awal tidak sama dengan saldo akhir pernyataan sebelumnya: ada pernyataan yang belum diimpor atau dikoreksi bank.' : ''} Jalankan ulang rekonsiliasi hari yang batch-nya dikreditkan di rekening koran ini.`;
  }
  const dates = (f.transactionDates ?? []).filter((d) => d <= o.today);
  return html`<section class="note ok" role="status" id="berkas" data-file="${f.fileId}"><p>${head}${body}</p>
${dates.length ? html`<p>Tanggal transaksi: ${dates.map((d) => tanggal(d)).join(', ')}.</p>` : ''}
${o.canRun && dates.length ? html`<div class="actions">${dates.slice(0, 10).map((d) => runButton(o.csrf, d, o.back))}</div>` : ''}</section>`;
}
