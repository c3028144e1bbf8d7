// A stall's history page and a market's letters page.
import type { Role } from '../auth/principal';
import { Decimal } from '../core/money';
import { localTimeLabel } from '../core/time';
import type { LetterStatus, LetterView } from '../letters/letters.service';
import { CSRF_FIELD } from './session.middleware';
import { angka, channelLabel, html, type Html, qs, rupiah, tanggal } from './html';
import type { MarketScope } from './scope';
import type { AssessmentLine, LetterBatch, PaymentLine, StallInfo, StallLetter } from './pages.repository';
import { marketQuery, marketTabs } from './market.views';

const KIND_LABEL = { kios: 'Kios', los: 'Los', pelataran: 'Pelataran' } as Record<string, string>;
const STALL_STATUS = { active: 'Aktif', vacant: 'Kosong', damaged: 'Rusak', closed: 'Tutup' } as Record<string, string>;
export const LETTER_KIND = { warning: 'Surat teguran', strd: 'STRD' } as Record<string, string>;
const REPORT_KIND = { warning: 'warning-letters', strd: 'strd' } as Record<string, string>;
export const LETTER_STATUS: Record<LetterStatus, string> = {
  open: 'Belum dibayar',
  'partly-paid': 'Dibayar sebagian',
  paid: 'Lunas',
};
const STATUS_BADGE: Record<LetterStatus, string> = { open: 'b-bad', 'partly-paid': 'b-warn', paid: 'b-ok' };

/** A stall's letter with the status of the whole letter (what it bills on all its stalls). */
export type StallLetterStatus = StallLetter & { status: LetterStatus; outstanding: string };

/** Whether what a letter bills is paid, as a badge; partly paid says what is left. */
function letterStatus(l: { status: LetterStatus; outstanding: string }): Html {
  const left = l.status === 'partly-paid' ? html` · sisa ${rupiah(l.outstanding)}` : '';
  return html`<span class="badge ${STATUS_BADGE[l.status]}" data-status="${l.status}">${LETTER_STATUS[l.status]}</span>${left}`;
}

interface Owed {
  businessDate: string;
  traderName?: string;
  open: { businessDate: string; amount: string; paid: string; due: string }[];
  total: string;
  credit: string;
  /** interest charged to the occupant on this stall */
  penalty: string;
}

function assessmentStatus(a: AssessmentLine): Html {
  if (new Decimal(a.open_amount).isZero()) return html`<span class="badge b-ok">Lunas</span>`;
  if (new Decimal(a.open_amount).eq(a.amount)) return html`<span class="badge b-bad">Belum bayar</span>`;
  return html`<span class="badge b-warn">Sisa ${rupiah(a.open_amount)}</span>`;
}

function paymentsTable(payments: PaymentLine[], timeZone: string): Html {
  if (payments.length === 0) return html`<p class="muted">Belum ada pembayaran.</p>`;
  return html`<div class="scroll"><table><caption>Pembayaran terakhir</caption><thead><tr><th scope="col">Waktu</th><th scope="col">Cara bayar</th>
<th scope="col" class="num">Jumlah</th><th scope="col" class="hide-sm">Pedagang</th><th scope="col">Karcis</th></tr></thead><tbody>
${payments.map(
  (
    p,
  ) => html`<tr><th scope="row">${localTimeLabel(new Date(p.paid_at), timeZone)}</th><td>${channelLabel(p.channel)}${p.voided ? html` <span class="badge b-bad">dibatalkan</span>` : ''}</td>
<td class="num">${rupiah(p.amount)}</td><td class="hide-sm">${p.trader_name}</td>
<td>${p.receipt_code ? html`<a href="/receipts/${p.receipt_code}">${p.receipt_code}</a>` : '—'}</td></tr>`,
)}
</tbody></table></div>`;
}

function lettersTable(role: Role, m: MarketScope, letters: StallLetterStatus[]): Html {
  if (letters.length === 0) return html`<p class="muted">Belum ada surat untuk los ini.</p>`;
  const q = marketQuery(role, m);
  return html`<div class="scroll"><table><caption>Surat teguran dan STRD</caption><thead><tr><th scope="col">Nomor</th><th scope="col" class="hide-sm">Jenis</th><th scope="col">Tanggal</th>
<th scope="col" class="hide-sm">Jatuh tempo</th><th scope="col" class="num hide-sm">Hari</th><th scope="col" class="num">Pokok</th><th scope="col" class="num hide-sm">Sanksi bunga</th><th scope="col">Status</th><th scope="col">PDF</th></tr></thead><tbody>
${letters.map(
  (
    l,
  ) => html`<tr><th scope="row">${l.number}</th><td class="hide-sm">${LETTER_KIND[l.kind]}</td><td>${tanggal(l.issued_on)}</td><td class="hide-sm">${tanggal(l.due_on)}</td>
<td class="num hide-sm">${l.days}</td><td class="num">${rupiah(l.principal)}</td><td class="num hide-sm">${rupiah(l.penalty)}</td>
<td>${letterStatus(l)}</td><td><a href="/kelola/surat/${l.id}/cetak${qs(q)}" aria-label="Cetak surat ${l.number}">Cetak</a></td></tr>`,
)}
</tbody></table></div>`;
}

export function stallBody(
  role: Role,
  v: {
    stall: StallInfo;
    market: MarketScope;
    owed: Owed;
    assessments: AssessmentLine[];
    payments: PaymentLine[];
    letters: StallLetterStatus[];
  },
): Html {
  const { stall, market: m, owed } = v;
  const due = new Decimal(owed.total).plus(owed.penalty);
  return html`<p><a href="/kelola${qs(marketQuery(role, m))}">← ${m.name}</a></p>
<h1>Los ${stall.code}</h1><p class="sub">${KIND_LABEL[stall.kind] ?? stall.kind} · blok ${stall.block ?? '—'} · ${angka(stall.area_m2)} m² · ${STALL_STATUS[stall.status] ?? stall.status}${stall.exempt ? ' · dibebaskan' : ''}</p>
<div class="cards"><div class="card"><span class="k">Pedagang sekarang</span><span class="v">${owed.traderName ?? 'kosong'}</span></div>
<div class="card ${due.gt(0) ? 'c-bad' : 'c-ok'}"><span class="k">Terutang</span><span class="v">${rupiah(due)}</span><span class="s">${owed.open.length} hari belum lunas${new Decimal(owed.penalty).gt(0) ? ` · termasuk sanksi bunga ${rupiah(owed.penalty)}` : ''}</span></div>
<div class="card"><span class="k">Titipan (lebih bayar)</span><span class="v">${rupiah(owed.credit)}</span></div></div>
<p><a href="/los/${stall.public_code}">Halaman publik los ini</a> (yang dibuka dari stiker QR) · <a href="/kelola/stiker${qs({ ...marketQuery(role, m), code: stall.code })}">Cetak stiker QR los ini</a></p>
<h2>Ketetapan</h2>
${
  v.assessments.length === 0
    ? html`<p class="muted">Belum ada ketetapan.</p>`
    : html`<div class="scroll"><table><caption>${v.assessments.length} ketetapan terakhir</caption><thead><tr><th scope="col">Tanggal</th>
<th scope="col" class="hide-sm">Pedagang</th><th scope="col" class="num">Tagihan</th><th scope="col">Status</th></tr></thead><tbody>
${v.assessments.map((a) => html`<tr><th scope="row">${tanggal(a.business_date)}</th><td class="hide-sm">${a.trader_name}</td><td class="num">${rupiah(a.amount)}</td><td>${assessmentStatus(a)}</td></tr>`)}
</tbody></table></div>`
}
<h2>Pembayaran</h2>${paymentsTable(v.payments, m.timeZone)}
<h2>Surat</h2>${lettersTable(role, m, v.letters)}`;
}

export function lettersBody(
  role: Role,
  m: MarketScope,
  v: { batches: LetterBatch[]; latest: LetterView[] },
  o: { csrf: string; canIssue: boolean; notice?: Html },
): Html {
  const q = marketQuery(role, m);
  return html`<h1>Surat — ${m.name}</h1><p class="sub">Surat teguran (7 hari setelah jatuh tempo) dan STRD (pokok dan sanksi bunga) untuk dicetak dan diantar.</p>
${marketTabs(role, m, '/kelola/surat')}
${o.notice ?? ''}
${
  o.canIssue
    ? html`<form class="panel" method="post" action="/kelola/surat/terbitkan"><input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}">
${role === 'manager' ? '' : html`<input type="hidden" name="marketId" value="${m.id}">`}
<h2>Terbitkan surat yang jatuh tempo</h2><p>Menerbitkan setiap surat teguran dan STRD yang jatuh tempo per ${tanggal(m.today)}. Surat yang sudah terbit tidak diterbitkan lagi.</p>
<button type="submit">Terbitkan surat</button></form>`
    : ''
}
<h2>Siap cetak</h2>
${
  v.batches.length === 0
    ? html`<p class="muted">Belum ada surat yang diterbitkan di pasar ini.</p>`
    : html`<div class="scroll"><table><caption>Per tanggal terbit</caption><thead><tr>
<th scope="col">Tanggal</th><th scope="col">Jenis</th><th scope="col" class="num">Surat</th><th scope="col" class="hide-sm">Nomor</th><th scope="col" class="num">Jumlah</th><th scope="col">Unduh</th></tr></thead><tbody>
${v.batches.map((b) => {
  const href = (format: string) =>
    `/laporan/unduh/${REPORT_KIND[b.kind]}${qs({ ...q, marketId: m.id, date: b.issued_on, format })}`;
  return html`<tr><th scope="row">${tanggal(b.issued_on)}</th><td>${LETTER_KIND[b.kind]}</td><td class="num">${b.letters}</td>
<td class="hide-sm">${b.first_number}${b.letters > 1 ? html` s.d. ${b.last_number}` : ''}</td><td class="num">${rupiah(b.total)}</td>
<td><a href="${href('pdf')}">PDF</a> · <a href="${href('csv')}">CSV</a></td></tr>`;
})}</tbody></table></div>`
}
<h2>Surat terbaru</h2>
${
  v.latest.length === 0
    ? html`<p class="muted">—</p>`
    : html`<div class="scroll"><table><caption>100 surat terakhir</caption><thead><tr><th scope="col">Nomor</th><th scope="col">Jenis</th>
<th scope="col">Pedagang</th><th scope="col" class="hide-sm">Los</th><th scope="col" class="num">Jumlah</th><th scope="col" class="num hide-sm">Dibayar</th><th scope="col">Status</th><th scope="col" class="hide-sm">Jatuh tempo</th></tr></thead><tbody>
${v.latest.map(
  (
    l,
  ) => html`<tr><th scope="row">${l.number}</th><td>${LETTER_KIND[l.kind]}</td><td>${l.trader.name}</td><td class="hide-sm">${l.stalls.join(', ')}</td>
<td class="num">${rupiah(l.total)}</td><td class="num hide-sm">${rupiah(l.paid)}</td><td>${letterStatus(l)}</td><td class="hide-sm">${tanggal(l.dueOn)}</td></tr>`,
)}
</tbody></table></div>`
}`;
}
