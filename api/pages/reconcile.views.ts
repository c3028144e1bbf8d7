// The reconciliation calendar and a day's page, with a decision form per open exception.
import { bulanTahun } from '../../reports/format';
import { localTimeLabel } from '../core/time';
import type { ExceptionLine } from './pages.repository';
import { CSRF_FIELD } from './session.middleware';
import { channelLabel, hariTanggal, html, type Html, qs, rupiah, tanggal, type Part } from './html';
import type { RegionScope } from './scope';
import type { CalendarCell, DayState, DayView } from './reconcile.service';

const monthLabel = bulanTahun;

const STATE: Record<DayState, { long: string; short: string; badge: string }> = {
  clean: { long: 'Bersih', short: 'Bersih', badge: 'b-ok' },
  awaiting: { long: 'Menunggu settlement', short: 'Tunggu', badge: 'b-warn' },
  exceptions: { long: 'Ada pengecualian', short: '⚠', badge: 'b-bad' },
  none: { long: 'Belum direkonsiliasi', short: 'Belum', badge: 'b-na' },
  future: { long: '', short: '', badge: '' },
};

export const KIND_LABEL: Record<string, string> = {
  'in-ledger-not-settled': 'Tercatat di sistem, tidak diselesaikan bank',
  'settled-not-in-ledger': 'Diselesaikan bank, tidak tercatat di sistem',
  'amount-mismatch': 'Jumlah berbeda',
  'duplicate-settlement-line': 'Baris settlement ganda',
  'batch-statement-mismatch': 'Batch tidak cocok dengan rekening koran',
  'settled-late': 'Settlement terlambat',
  'fee-mismatch': 'Biaya MDR tidak sesuai',
  'ambiguous-match': 'Lebih dari satu pasangan cocok',
};

const RESOLUTION_LABEL: Record<string, string> = {
  'write-off': 'Hapus selisih (write-off)',
  reversed: 'Dibatalkan / reversal oleh bank atau pedagang',
  'accept-bank': 'Terima data bank',
  link: 'Pasangkan manual dengan pembayaran / baris bank',
};

const regionQ = (own: boolean, region: RegionScope) => (own ? {} : { regionId: region.id });

function stateText(c: CalendarCell): string {
  if (c.state === 'exceptions') return `${c.open} pengecualian terbuka`;
  return STATE[c.state].long;
}

export function calendarBody(
  region: RegionScope,
  own: boolean,
  v: { month: string; lead: number; cells: CalendarCell[]; prev: string; next?: string },
): Html {
  const q = regionQ(own, region);
  const cell = (c: CalendarCell): Html => {
    const cls = `day ${c.state}${c.date === region.today ? ' today' : ''}`;
    const label = `${tanggal(c.date)}: ${c.state === 'future' ? 'belum tiba' : stateText(c)}`;
    const inner = html`<span class="n">${c.day}</span>${c.state === 'future' ? '' : html`<span class="long">${c.state === 'exceptions' ? `⚠ ${c.open} pengecualian` : STATE[c.state].long}</span><span class="short">${c.state === 'exceptions' ? `⚠ ${c.open}` : STATE[c.state].short}</span>`}`;
    return c.state === 'future'
      ? html`<div class="${cls}" aria-label="${label}">${inner}</div>`
      : html`<a class="${cls}" href="/rekonsiliasi/${c.date}${qs(q)}" aria-label="${label}" data-state="${c.state}">${inner}</a>`;
  };
  const counts = (s: DayState) => v.cells.filter((c) => c.state === s).length;
  return html`<h1>Rekonsiliasi — ${region.name}</h1><p class="sub">Setiap hari usaha: pembayaran di sistem dicocokkan dengan settlement bank dan rekening koran.</p>
<nav aria-label="Bulan" class="tabs"><a href="/rekonsiliasi${qs({ ...q, month: v.prev })}">← ${monthLabel(v.prev)}</a>
${v.next ? html`<a href="/rekonsiliasi${qs({ ...q, month: v.next })}">${monthLabel(v.next)} →</a>` : ''}</nav>
<h2>${monthLabel(v.month)}</h2>
<div class="legend"><span class="badge b-ok">Bersih: ${counts('clean')}</span><span class="badge b-warn">Menunggu settlement: ${counts('awaiting')}</span>
<span class="badge b-bad">Ada pengecualian: ${counts('exceptions')}</span><span class="badge b-na">Belum direkonsiliasi: ${counts('none')}</span></div>
<div class="cal" role="group" aria-label="Kalender ${monthLabel(v.month)}">
${['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min'].map((d) => html`<div class="dow" aria-hidden="true">${d}</div>`)}
${Array.from({ length: v.lead }, () => html`<div class="blank" aria-hidden="true"></div>`)}
${v.cells.map(cell)}</div>`;
}

function amounts(e: ExceptionLine): [string, string][] {
  const out: [string, string][] = [];
  if (e.ledger_amount !== null) out.push(['Di sistem', rupiah(e.ledger_amount)]);
  if (e.bank_amount !== null) out.push(['Di bank', rupiah(e.bank_amount)]);
  if (e.difference !== null) out.push(['Selisih', rupiah(e.difference)]);
  return out;
}

function resolveForm(
  e: ExceptionLine,
  v: DayView,
  csrf: string,
  back: Record<string, string | undefined>,
  error?: string,
): Html {
  const kindFields: Part[] = [];
  if (e.kind === 'settled-not-in-ledger') {
    kindFields.push(html`<div class="field"><label for="st-${e.id}">Tempat usaha (untuk "Terima data bank")</label>
<select id="st-${e.id}" name="stallId"><option value="">— pilih los —</option>${v.stalls.map((s) => html`<option value="${s.id}">${s.market_name} · ${s.code}</option>`)}</select></div>
<div class="field"><label for="tm-${e.id}">ID terminal (jika TID baris tidak dikenal)</label><input id="tm-${e.id}" name="terminalId" autocomplete="off"></div>
<div class="field"><label for="pm-${e.id}">ID pembayaran (untuk "Pasangkan")</label><input id="pm-${e.id}" name="paymentId" autocomplete="off"></div>`);
  }
  if (e.kind === 'in-ledger-not-settled') {
    kindFields.push(
      html`<div class="field"><label for="sl-${e.id}">Nomor baris settlement (untuk "Pasangkan")</label><input id="sl-${e.id}" name="settlementLineId" inputmode="numeric" autocomplete="off"></div>`,
    );
  }
  return html`<details class="resolve"${error ? html` open` : ''}><summary>Putuskan</summary>
<form method="post" action="/rekonsiliasi/pengecualian/${e.id}/selesaikan${qs(back)}" class="stack">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
${error ? html`<p class="note bad" role="alert">${error}</p>` : ''}
<div class="field"><label for="rs-${e.id}">Keputusan</label><select id="rs-${e.id}" name="resolution" required><option value="">— pilih keputusan —</option>${Object.entries(RESOLUTION_LABEL).map(([k, l]) => html`<option value="${k}">${l}</option>`)}</select></div>
${kindFields}
<div class="field"><label for="nt-${e.id}">Alasan (wajib, dicatat untuk audit)</label><textarea id="nt-${e.id}" name="note" required minlength="3" maxlength="2000"></textarea></div>
<button type="submit">Simpan keputusan</button></form></details>`;
}

function exceptionPanel(e: ExceptionLine, _v: DayView, tz: string, form: Part): Html {
  const facts: [string, string][] = [
    ...(e.stall_code ? [['Los', e.stall_code] as [string, string]] : []),
    ...(e.rrn ? [['RRN', e.rrn] as [string, string]] : []),
    ...(e.batch ? [['Batch', e.batch] as [string, string]] : []),
    ...(e.acquirer_code
      ? [['Bank', `${e.acquirer_code}${e.channel ? ` (${channelLabel(e.channel)})` : ''}`] as [string, string]]
      : []),
    ...(e.settlement_line_id ? [['Baris settlement', e.settlement_line_id] as [string, string]] : []),
    ...amounts(e),
  ];
  return html`<section class="panel" data-exception="${e.id}" data-status="${e.status}"><h3>${KIND_LABEL[e.kind] ?? e.kind}
${e.status === 'open' ? html` <span class="badge b-bad">Terbuka</span>` : html` <span class="badge b-ok">Diputuskan</span>`}</h3>
<dl class="kv">${facts.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>
${e.status === 'resolved' ? html`<p>${RESOLUTION_LABEL[e.resolution ?? ''] ?? e.resolution}: “${e.resolution_note ?? ''}” — ${e.resolver_name ?? e.resolved_by ?? ''}${e.resolved_at ? `, ${localTimeLabel(new Date(e.resolved_at), tz)}` : ''}</p>` : ''}
${form}</section>`;
}

export function dayBody(
  region: RegionScope,
  own: boolean,
  v: DayView,
  o: { csrf: string; canResolve: boolean; resolved: boolean; error?: { id: string; message: string } },
): Html {
  const q = regionQ(own, region);
  const s = v.summary;
  const open = v.exceptions.filter((e) => e.status === 'open');
  const banner =
    v.state === 'clean'
      ? html`<p class="note ok" id="status" role="status">✔ Bersih — tidak ada pengecualian terbuka dan tidak ada yang masih ditunggu dari bank.</p>`
      : v.state === 'awaiting'
        ? html`<p class="note info" id="status" role="status">Menunggu settlement — berkas bank untuk hari ini belum jatuh tempo atau belum masuk.</p>`
        : v.state === 'exceptions'
          ? html`<p class="note bad" id="status" role="status">⚠ ${open.length} pengecualian terbuka menunggu keputusan.</p>`
          : html`<p class="note info" id="status" role="status">Hari ini belum direkonsiliasi.</p>`;
  return html`<p><a href="/rekonsiliasi${qs({ ...q, month: v.date.slice(0, 7) })}">← Kalender</a></p>
<h1>Rekonsiliasi ${hariTanggal(v.date)}</h1><p class="sub">${region.name}${v.lastRunAt ? ` · dijalankan ${v.runs} kali, terakhir ${localTimeLabel(new Date(v.lastRunAt), region.timeZone)}` : ''}</p>
${o.resolved ? html`<p class="note ok" role="status">Keputusan disimpan; hari ini direkonsiliasi ulang.</p>` : ''}
${banner}
${
  s
    ? html`<div class="cards"><div class="card"><span class="k">Tercatat di sistem</span><span class="v">${rupiah(s.ledger.amount)}</span><span class="s">${s.ledger.count} transaksi kartu/QRIS</span></div>
<div class="card"><span class="k">Cocok dengan bank</span><span class="v">${rupiah(s.matched.amount)}</span><span class="s">${s.matched.count} transaksi</span></div>
<div class="card${s.awaitingSettlement.count > 0 ? ' c-warn' : ''}"><span class="k">Menunggu settlement</span><span class="v">${rupiah(s.awaitingSettlement.amount)}</span><span class="s">${s.awaitingSettlement.count} transaksi</span></div>
<div class="card"><span class="k">Settlement bank (bersih)</span><span class="v">${rupiah(s.settled.net)}</span><span class="s">bruto ${rupiah(s.settled.gross)}, MDR ${rupiah(s.settled.mdr)}</span></div>
<div class="card"><span class="k">Masuk rekening kas</span><span class="v">${rupiah(s.statement.amount)}</span><span class="s">${s.statement.credits} kredit</span></div></div>
<div class="scroll"><table><caption>Per bank</caption><thead><tr><th scope="col">Bank</th><th scope="col" class="hide-sm">Saluran</th><th scope="col" class="hide-sm">Jatuh tempo</th>
<th scope="col" class="num">Sistem</th><th scope="col" class="num">Cocok</th><th scope="col" class="num hide-sm">Menunggu</th><th scope="col" class="num">Settlement</th></tr></thead><tbody>
${s.acquirers.map(
  (
    a,
  ) => html`<tr><th scope="row">${a.acquirer}</th><td class="hide-sm">${channelLabel(a.channel)}</td><td class="hide-sm">${tanggal(a.dueBy)}</td><td class="num">${rupiah(a.ledger.amount)}</td>
<td class="num">${rupiah(a.matched.amount)}</td><td class="num hide-sm">${rupiah(a.awaitingSettlement.amount)}</td><td class="num">${rupiah(a.settled.gross)}</td></tr>`,
)}
</tbody></table></div>`
    : ''
}
<h2>Pengecualian</h2>
${
  v.exceptions.length === 0
    ? html`<p class="muted">Tidak ada pengecualian pada hari ini.</p>`
    : v.exceptions.map((e) =>
        exceptionPanel(
          e,
          v,
          region.timeZone,
          e.status === 'open' && o.canResolve
            ? resolveForm(e, v, o.csrf, q, o.error?.id === e.id ? o.error.message : undefined)
            : '',
        ),
      )
}`;
}
