// The public stall page's HTML: what is owed, today and from earlier days, and the last payments.
import { Decimal } from '../core/money';
import { channelLabel, html, type Html, rupiah, tanggal } from './html';
import { plainPage } from './layout';
import type { PublicStall } from './stall-public.service';

export function publicStallPage(v: PublicStall): string {
  const owes = new Decimal(v.total).gt(0);
  const today: Html = !v.todayDue
    ? html`<span class="muted">tidak ada tagihan hari ini</span>`
    : new Decimal(v.todayDue.open).isZero()
      ? html`${rupiah(v.todayDue.amount)} <span class="badge b-ok">lunas</span>`
      : html`${rupiah(v.todayDue.open)} <span class="badge b-bad">belum dibayar</span>`;
  return plainPage(
    `Los ${v.code}`,
    html`<h1>Los ${v.code}</h1><p class="sub">${v.market} · ${v.region}</p>
${
  !v.occupied
    ? html`<p class="note info">Tempat usaha ini sedang tidak ditempati; tidak ada tagihan.</p>`
    : html`
<p class="note ${owes ? 'bad' : 'ok'}" id="owed">${owes ? html`Yang harus dibayar: <strong>${rupiah(v.total)}</strong>` : html`✔ Tidak ada tagihan terutang.`}</p>
<dl class="kv"><dt>Tagihan hari ini (${tanggal(v.today)})</dt><dd>${today}</dd>
<dt>Tunggakan hari sebelumnya</dt><dd>${rupiah(v.arrears.principal)}${v.arrears.days ? html` <span class="muted">(${v.arrears.days} hari)</span>` : ''}</dd>
${new Decimal(v.arrears.penalty).gt(0) ? html`<dt>Sanksi bunga (denda)</dt><dd>${rupiah(v.arrears.penalty)}</dd>` : ''}
${new Decimal(v.credit).gt(0) ? html`<dt>Titipan (lebih bayar)</dt><dd>${rupiah(v.credit)}</dd>` : ''}</dl>
<h2>Pembayaran terakhir</h2>
${
  v.payments.length === 0
    ? html`<p class="muted">Belum ada pembayaran.</p>`
    : html`<div class="scroll"><table><thead><tr><th scope="col">Waktu</th><th scope="col">Cara bayar</th><th scope="col" class="num">Jumlah</th></tr></thead><tbody>
${v.payments.map((p) => html`<tr><td>${p.at}</td><td>${channelLabel(p.channel)}${p.voided ? html` <span class="badge b-bad">dibatalkan</span>` : ''}</td><td class="num">${rupiah(p.amount)}</td></tr>`)}
</tbody></table></div>`
}`
}
<p class="muted">Per ${v.asOfLabel}. Bayar kepada petugas pasar dengan kartu debit atau QRIS; setiap pembayaran mendapat e-karcis yang dapat diperiksa keasliannya.</p>`,
  );
}
