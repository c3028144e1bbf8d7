// The verification page (Indonesian), with a file check that runs in the reader's browser and
// sends the file to POST /verify/:number.
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

const COVER_LABELS: Record<string, string> = {
  region: 'Wilayah', market: 'Pasar', date: 'Tanggal', month: 'Bulan', asOf: 'Per tanggal', totals: 'Jumlah',
  letters: 'Jumlah surat', rows: 'Jumlah baris', total: 'Total',
};

function coverRows(covers: Record<string, unknown>): [string, string][] {
  return Object.entries(covers)
    .filter(([k]) => k !== 'subtitle')
    .map(([k, v]) => [COVER_LABELS[k] ?? k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]);
}

export function verifyPage(v: { status: 'genuine' | 'unknown'; number: string; doc?: DocumentView }): string {
  const head = `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Verifikasi Dokumen ${esc(v.number)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
.ok{color:#0a6b2d;font-weight:bold}.bad{color:#b00020;font-weight:bold}th{text-align:left;padding-right:1rem;font-weight:normal;color:#555;vertical-align:top}
td{word-break:break-all}#result{margin-top:.5rem}</style></head><body><h1>Verifikasi Dokumen e-Retribusi</h1>`;
  if (v.status === 'unknown' || !v.doc) {
    return `${head}<p class="bad" id="status">✖ TIDAK DIKENAL — nomor dokumen ${esc(v.number)} tidak pernah diterbitkan oleh sistem ini.</p>
<p>Dokumen dengan nomor ini tidak boleh dianggap sah.</p></body></html>`;
  }
  const d = v.doc;
  const rows: [string, string][] = [
    ['Nomor dokumen', d.number],
    ['Judul', d.title],
    ['Wilayah', d.region],
    ...coverRows(d.covers),
    ...((d.covers.subtitle as string[] | undefined) ?? []).map((s): [string, string] => ['Keterangan', s]),
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
<script>
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
</script></body></html>`;
}
