// The verification page a trader or inspector opens from the karcis QR (Indonesian UI), in the
// pages' own shell and stylesheet (api/pages/layout.ts): what was paid, how and when, and line by
// line what it settled; DIBATALKAN across the top when the payment was voided. A code that is
// not one of ours gets its own page, which never repeats the code (a card number typed into
// the address stays out of the answer).
import { channelLabel, hariTanggal, html, type Html, rupiah } from '../pages/html';
import { plainPage } from '../pages/layout';
import { waktuLokal } from '../../reports/format';
import { Decimal } from '../core/money';
import type { ReceiptView } from './receipts.service';

interface Line {
  label: string;
  amount: string;
}

/** What the payment settled, day by day (a day's retribusi before the penalty months on it), then the titipan. */
export function receiptLines(r: ReceiptView): Line[] {
  const settled = [
    ...r.days.map((d) => ({
      date: d.businessDate,
      order: 0,
      label: `Retribusi ${hariTanggal(d.businessDate)}`,
      amount: d.amount,
    })),
    ...r.penalties.map((p) => ({
      date: p.businessDate,
      order: p.monthNo,
      label: `Sanksi bunga bulan ke-${p.monthNo} atas retribusi ${hariTanggal(p.businessDate)}`,
      amount: p.amount,
    })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  const lines: Line[] = settled.map(({ label, amount }) => ({ label, amount }));
  if (new Decimal(r.credit).gt(0))
    lines.push({ label: 'Titipan (lebih bayar, untuk tagihan berikutnya)', amount: r.credit });
  return lines;
}

const paidBy = (r: ReceiptView) =>
  r.channel === 'card' && r.maskedPan ? `${channelLabel(r.channel)} ${r.maskedPan}` : channelLabel(r.channel);

export function receiptPage(r: ReceiptView): string {
  const voided = r.status === 'voided';
  const banner: Html = voided
    ? html`<p class="note bad" id="status" role="alert"><strong>✖ DIBATALKAN</strong> — pembayaran ini telah dibatalkan${
        r.voidedAt ? ` pada ${waktuLokal(new Date(r.voidedAt), r.timeZone)}` : ''
      }. Bukti ini tidak berlaku: retribusi dan sanksi di bawah kembali menjadi tagihan.</p>`
    : html`<p class="note ok" id="status">✔ ASLI — bukti bayar ini tercatat di sistem e-Retribusi.</p>`;
  const lines = receiptLines(r);
  const part = (label: string, v: string) => (new Decimal(v).gt(0) ? html`<dt>${label}</dt><dd>${rupiah(v)}</dd>` : '');
  return plainPage(
    voided ? `e-Karcis ${r.code} (DIBATALKAN)` : `e-Karcis ${r.code}`,
    html`<h1>e-Karcis Retribusi Pasar${voided ? html` <span class="badge b-bad">DIBATALKAN</span>` : ''}</h1>
<p class="sub">Bukti bayar · ${r.market} · ${r.region}</p>
${banner}
<dl class="kv">
<dt>Nomor karcis</dt><dd>${r.terminalId ?? '—'} / ${r.serial}</dd>
<dt>Kode verifikasi</dt><dd>${r.code}</dd>
<dt>Pasar</dt><dd>${r.market}</dd>
<dt>Tempat usaha</dt><dd>${r.stallCode}</dd>
<dt>Pedagang</dt><dd>${r.trader}</dd>
<dt>Jumlah dibayar</dt><dd>${rupiah(r.amount)}</dd>
${part('Retribusi', r.principal)}${part('Sanksi bunga', r.penalty)}${part('Titipan (lebih bayar)', r.credit)}
<dt>Cara bayar</dt><dd>${paidBy(r)}</dd>
<dt>Waktu bayar</dt><dd>${waktuLokal(new Date(r.paidAt), r.timeZone)}</dd>
<dt>Tanggal transaksi</dt><dd>${hariTanggal(r.businessDate)}</dd>
</dl>
<h2>Rincian pembayaran</h2>
<div class="scroll"><table id="rincian"><thead><tr><th scope="col">Uraian</th><th scope="col" class="num">Jumlah</th></tr></thead><tbody>
${lines.map((l) => html`<tr><td>${l.label}</td><td class="num">${rupiah(l.amount)}</td></tr>`)}
</tbody><tfoot><tr><th scope="row">Jumlah dibayar</th><td class="num">${rupiah(r.amount)}</td></tr></tfoot></table></div>
<p class="muted">Pembayaran melunasi retribusi dan sanksi bunga yang terutang menurut urutan pelunasan daerah; sisanya disimpan sebagai titipan untuk tagihan berikutnya.</p>`,
  );
}

/** 404: no receipt has this code, or what was typed cannot be a code. */
export function unknownReceiptPage(): string {
  return plainPage(
    'Bukti bayar tidak dikenal',
    html`<h1>Bukti bayar tidak dikenal</h1>
<p class="note bad" id="status" role="alert">✖ Kode ini tidak tercatat di sistem e-Retribusi Pasar: ini bukan bukti pembayaran yang sah.</p>
<p>Periksa kembali kode verifikasi pada e-karcis: 16 huruf dan angka (tanpa huruf I, L, O dan U). Bila kode sudah benar dan tetap tidak dikenal, laporkan karcis ini kepada petugas atau kantor pasar.</p>`,
  );
}
