// The verification page (Indonesian), with a file check that runs in the reader's browser and
// sends the file to POST /verify/:number.
import { bulanTahun, rupiah, tanggal } from '../../reports/format';
import { contentSecurityPolicy } from '../http/html-headers';

export interface DocumentView {
  number: string;
  kind: string;
  title: string;
  region: string;
  covers: Record<string, unknown>;
  sha256: string;
  sizeBytes: number;
  pages: number | null;
  madeAt: string;
  madeAtLocal: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// What a document covers is stored as data (its JSON answer keeps every key); the page shows
// the parts a person checks a paper against, in Indonesian, amounts as rupiah.
const COVER_LABELS: Record<string, string> = {
  date: 'Tanggal',
  month: 'Bulan',
  asOf: 'Per tanggal',
  issuedOn: 'Tanggal terbit',
  marketName: 'Pasar',
  markets: 'Pasar',
  rows: 'Jumlah baris',
  letters: 'Jumlah surat',
  firstNumber: 'Nomor pertama',
  lastNumber: 'Nomor terakhir',
  principal: 'Pokok',
  penalty: 'Sanksi bunga',
  credit: 'Titipan',
  total: 'Jumlah',
  ledger: 'Buku besar',
  settled: 'Disettle bank',
  mdr: 'MDR',
  statementCredited: 'Masuk rekening kas',
  voided: 'Dibatalkan',
  target: 'Target',
  monthTotal: 'Realisasi bulan ini',
  yearToDate: 'Realisasi s.d. bulan ini',
  percentOfTarget: 'Persentase target',
};
const MONEY = /^-?\d+(\.\d{1,2})?$/;
const AMOUNT_KEYS = new Set([
  'principal',
  'penalty',
  'credit',
  'total',
  'ledger',
  'settled',
  'mdr',
  'statementCredited',
  'voided',
  'target',
  'monthTotal',
  'yearToDate',
]);

function coverValue(key: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' && AMOUNT_KEYS.has(key) && MONEY.test(v)) return rupiah(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return tanggal(v);
  if (typeof v === 'string' && key === 'month' && /^\d{4}-\d{2}$/.test(v)) return bulanTahun(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const names = v.map((x) => (typeof x === 'string' ? x : (x as { code?: string })?.code)).filter(Boolean);
    return names.length ? names.join(', ') : undefined;
  }
  const o = v as { amount?: unknown; count?: unknown };
  if (typeof o.amount === 'string' && MONEY.test(o.amount))
    return `${rupiah(o.amount)}${o.count !== undefined ? ` (${o.count} transaksi)` : ''}`;
  return undefined;
}

function coverRows(covers: Record<string, unknown>): [string, string][] {
  // In the order of the labels (a jsonb object keeps no order of its own).
  return Object.entries(COVER_LABELS).flatMap(([k, label]): [string, string][] => {
    const value = k in covers ? coverValue(k, covers[k]) : undefined;
    return value !== undefined ? [[label, value]] : [];
  });
}

export function verifyPage(v: { status: 'genuine' | 'unknown'; number: string; doc?: DocumentView }): string {
  const head = `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Verifikasi Dokumen ${esc(v.number)}</title>
<style>${VERIFY_STYLE}</style></head><body><h1>Verifikasi Dokumen e-Retribusi</h1>`;
  if (v.status === 'unknown' || !v.doc) {
    return `${head}<p class="bad" id="status">✖ TIDAK DIKENAL — nomor dokumen ${esc(v.number)} tidak pernah diterbitkan oleh sistem ini.</p>
<p>Dokumen dengan nomor ini tidak boleh dianggap sah.</p></body></html>`;
  }
  const d = v.doc;
  const rows: [string, string][] = [
    ['Nomor dokumen', d.number],
    ['Judul', d.title],
    ['Wilayah', d.region],
    ...((d.covers.subtitle as string[] | undefined) ?? []).map((s): [string, string] => ['Keterangan', s]),
    ...coverRows(d.covers),
    ['Dibuat', d.madeAtLocal],
    ['Halaman', d.pages ? String(d.pages) : '-'],
    ['Ukuran berkas', `${d.sizeBytes} byte`],
    ['SHA-256', d.sha256],
  ];
  return `${head}<p class="ok" id="status">✔ ASLI — dokumen ini diterbitkan oleh sistem e-Retribusi.</p>
<table>${rows.map(([k, val]) => `<tr><th>${esc(k)}</th><td>${esc(val)}</td></tr>`).join('')}</table>
<h2>Periksa berkas</h2>
<p>Pilih berkas PDF yang Anda terima untuk memastikan isinya tidak diubah.</p>
<input type="file" id="file" accept="application/pdf"><div id="result"></div>
<script>${VERIFY_SCRIPT}</script></body></html>`;
}

// The page's inline blocks, allowed by their hashes in its Content-Security-Policy; the script
// sends the chosen file back to this page's own address (connect-src 'self').
const VERIFY_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
.ok{color:#0a6b2d;font-weight:bold}.bad{color:#b00020;font-weight:bold}th{text-align:left;padding-right:1rem;font-weight:normal;color:#555;vertical-align:top}
td{overflow-wrap:anywhere}#result{margin-top:.5rem}`;

const VERIFY_SCRIPT = `
document.getElementById('file').addEventListener('change', async (e) => {
  const f = e.target.files[0]; if (!f) return;
  const out = document.getElementById('result');
  out.textContent = 'Memeriksa…';
  const res = await fetch(location.pathname, { method: 'POST', body: f, headers: { 'content-type': 'application/octet-stream' } });
  const body = await res.json();
  out.className = body.status === 'genuine' ? 'ok' : 'bad';
  out.textContent = body.status === 'genuine'
    ? '✔ Berkas sama persis dengan dokumen yang diterbitkan.'
    : '✖ Berkas BERBEDA dari dokumen yang diterbitkan: isinya telah diubah.';
});
`;

export const VERIFY_CSP = contentSecurityPolicy({ styles: [VERIFY_STYLE], scripts: [VERIFY_SCRIPT], connect: true });
