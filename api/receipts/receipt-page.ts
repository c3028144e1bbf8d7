// The verification page a trader or inspector opens from the karcis QR (Indonesian UI).
import type { ReceiptView } from './receipts.service';
import { contentSecurityPolicy } from '../http/html-headers';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const rupiah = (v: string) => `Rp ${v.replace(/\.00$/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;

export function receiptPage(r: ReceiptView): string {
  const banner =
    r.status === 'valid'
      ? '<p class="ok">✔ ASLI — bukti bayar ini tercatat di sistem e-Retribusi.</p>'
      : '<p class="void">✖ DIBATALKAN — pembayaran ini telah dibatalkan (void). Bukti ini tidak berlaku.</p>';
  const days = r.days.map((d) => `<li>${esc(d.businessDate)}: ${rupiah(d.amount)}</li>`).join('');
  const rows: [string, string][] = [
    ['Nomor karcis', `${r.terminalId ?? '-'} / ${r.serial}`],
    ['Kode verifikasi', r.code],
    ['Wilayah', r.region],
    ['Pasar', r.market],
    ['Tempat usaha', r.stallCode],
    ['Pedagang', r.trader],
    ['Jumlah', rupiah(r.amount)],
    ['Cara bayar', r.channel === 'card' ? `Kartu debit ${r.maskedPan ?? ''}` : r.channel.toUpperCase()],
    ['Waktu bayar', r.paidAtLocal],
    ['Tanggal usaha', r.businessDate],
    ['Titipan (lebih bayar)', rupiah(r.credit)],
  ];
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Verifikasi e-Karcis ${esc(r.code)}</title>
<style>${RECEIPT_STYLE}</style>
</head><body><h1>e-Karcis Retribusi Pasar</h1>${banner}
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Hari yang dibayar</h2><ul>${days || '<li>(seluruhnya titipan)</li>'}</ul>
</body></html>`;
}

// The page's one inline block, allowed by its hash in the page's Content-Security-Policy.
const RECEIPT_STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}
.ok{color:#0a6b2d;font-weight:bold}.void{color:#b00020;font-weight:bold}th{text-align:left;padding-right:1rem;font-weight:normal;color:#555}`;

export const RECEIPT_CSP = contentSecurityPolicy({ styles: [RECEIPT_STYLE] });
