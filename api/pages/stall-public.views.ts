// The public stall page's HTML: what is owed (each day's fee and each month of sanksi bunga, in
// the order a payment settles them), the last payments and what each settled, and "Bayar dengan
// QRIS": a code made on the page, shown there, and the e-karcis once the bank's notification is
// recorded. The page's one small script (allowed by its hash in the page's Content-Security-
// Policy, calling back only to this origin) posts the form with fetch and polls the code's status
// every two seconds; without script the form posts and the page answers with the code instead.
import { contentSecurityPolicy } from '../http/html-headers';
import { Decimal } from '../core/money';
import { channelLabel, html, type Html, raw, rupiah, tanggal } from './html';
import { plainPage } from './layout';
import type { CodeView, PublicStall, SettledLine } from './stall-public.service';

const ORDER_NOTE: Record<PublicStall['order'], string> = {
  'oldest-month':
    'Setiap pembayaran melunasi tagihan terlama lebih dahulu: retribusi satu bulan, lalu sanksi bunga bulan itu, lalu bulan berikutnya. Sisa pembayaran menjadi titipan untuk hari berikutnya.',
  'penalty-first':
    'Setiap pembayaran melunasi sanksi bunga lebih dahulu, lalu retribusi yang terlama. Sisa pembayaran menjadi titipan untuk hari berikutnya.',
};

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
    ? html`<p class="note info">Tempat usaha ini sedang tidak ditempati; tidak ada tagihan.</p>${v.shown ? payPanel(v) : ''}`
    : html`
<div id="ringkasan"><p class="note ${owes ? 'bad' : 'ok'}" id="owed">${owes ? html`Yang harus dibayar: <strong>${rupiah(v.total)}</strong>` : html`✔ Tidak ada tagihan terutang.`}</p>
<dl class="kv"><dt>Tagihan hari ini (${tanggal(v.today)})</dt><dd>${today}</dd>
<dt>Tunggakan hari sebelumnya</dt><dd>${rupiah(v.arrears.principal)}${v.arrears.days ? html` <span class="muted">(${v.arrears.days} hari)</span>` : ''}</dd>
${new Decimal(v.arrears.penalty).gt(0) ? html`<dt>Sanksi bunga</dt><dd>${rupiah(v.arrears.penalty)}</dd>` : ''}
${new Decimal(v.credit).gt(0) ? html`<dt>Titipan (lebih bayar)</dt><dd>${rupiah(v.credit)}</dd>` : ''}</dl></div>
${payPanel(v)}
<div id="riwayat">${v.items.length ? owedTable(v) : ''}
<h2>Pembayaran terakhir</h2>
${
  v.payments.length === 0
    ? html`<p class="muted">Belum ada pembayaran.</p>`
    : html`<div class="scroll"><table id="pembayaran"><thead><tr><th scope="col">Waktu</th><th scope="col">Cara bayar</th><th scope="col" class="num">Jumlah</th><th scope="col">Melunasi</th></tr></thead><tbody>
${v.payments.map(
  (p) =>
    html`<tr><td>${p.at}</td><td>${channelLabel(p.channel)}${p.voided ? html` <span class="badge b-bad">dibatalkan</span>` : ''}</td><td class="num">${rupiah(p.amount)}</td><td>${p.summary}${
      p.lines.length > 1 ? html`<details><summary>Rincian</summary>${settledList(p.lines)}</details>` : ''
    }</td></tr>`,
)}
</tbody></table></div>`
}</div>`
}
<p class="muted">Per ${v.asOfLabel}. Bayar dengan QRIS di halaman ini, atau kepada petugas pasar dengan kartu debit atau QRIS; setiap pembayaran mendapat e-karcis yang dapat diperiksa keasliannya.</p>
<script>${raw(PAY_SCRIPT)}</script>`,
  );
}

function owedTable(v: PublicStall): Html {
  return html`<h2>Rincian tagihan</h2>
<p class="muted">Urutan pelunasan: ${ORDER_NOTE[v.order]}</p>
<div class="scroll"><table id="rincian"><thead><tr><th scope="col">No.</th><th scope="col">Tagihan</th><th scope="col" class="num">Sisa</th></tr></thead><tbody>
${v.items.map(
  (i, n) =>
    html`<tr data-kind="${i.kind}"><td>${n + 1}</td><td>${i.label}${i.partlyPaid ? html` <span class="badge b-warn">sebagian dibayar</span>` : ''}</td><td class="num">${rupiah(i.due)}</td></tr>`,
)}
</tbody><tfoot><tr><th scope="row" colspan="2">Jumlah</th><td class="num">${rupiah(v.total)}</td></tr></tfoot></table></div>`;
}

function payPanel(v: PublicStall): Html {
  const box = html`<div id="qris" class="panel" aria-live="polite"${
    v.shown
      ? html` data-state="${v.shown.status}" data-status-url="${v.shown.statusUrl}">${codePanel(v.shown)}`
      : html` hidden>`
  }</div>`;
  if (!v.offer) return v.shown ? html`<section id="bayar">${box}</section>` : html``;
  const action = `/los/${v.publicCode}/qris`;
  return html`<section id="bayar" aria-labelledby="bayar-judul"><h2 id="bayar-judul">Bayar sekarang</h2>
<div id="pilihan"><div class="actions"><form method="post" action="${action}" data-bayar><input type="hidden" name="bagian" value="semua"><button type="submit">Bayar dengan QRIS · ${rupiah(v.offer.total)}</button></form>
${
  v.offer.today
    ? html`<form method="post" action="${action}" data-bayar><input type="hidden" name="bagian" value="hari-ini"><button type="submit" class="secondary">Hari ini saja · ${rupiah(v.offer.today)}</button></form>`
    : ''
}</div>
${v.offer.today ? html`<p class="muted">"Hari ini saja" membayar sebesar tagihan hari ini, tetapi tetap melunasi tagihan terlama lebih dahulu.</p>` : ''}</div>
${box}</section>`;
}

/** The inside of the code's panel for each state; the script puts the status answer's copy in. */
export function codePanel(c: CodeView): Html {
  if (c.status === 'paid' && c.receipt) return receiptPanel(c, c.receipt);
  if (c.status === 'pending')
    return html`<p id="qris-pesan">Pindai kode QRIS ini dengan aplikasi bank atau dompet digital apa pun. Halaman ini menampilkan e-karcis begitu pembayaran diterima.</p>
${c.image ? html`<p><img id="qris-gambar" src="${c.image}" alt="Kode QRIS sebesar ${rupiah(c.amount)}" width="280" height="280"></p>` : ''}
<dl class="kv"><dt>Jumlah</dt><dd id="qris-jumlah">${rupiah(c.amount)}</dd><dt>Berlaku sampai</dt><dd>${c.expiresLabel}</dd></dl>
<p class="muted" id="qris-menunggu">Menunggu pembayaran…</p>`;
  return html`<p class="note bad" id="qris-pesan">Kode QRIS sebesar ${rupiah(c.amount)} sudah tidak berlaku (${c.status === 'expired' ? 'kedaluwarsa' : 'diganti'}). Bila belum membayar, buat kode baru.</p>`;
}

function receiptPanel(c: CodeView, r: NonNullable<CodeView['receipt']>): Html {
  return html`<div id="karcis" data-receipt="${r.code}"><p class="note ok">✔ Pembayaran ${rupiah(r.amount)} diterima. Terima kasih.</p>
<h3>E-karcis</h3>
<dl class="kv"><dt>Nomor karcis</dt><dd id="karcis-nomor">${r.serial}</dd><dt>Kode verifikasi</dt><dd id="karcis-kode">${r.code}</dd>
<dt>Jumlah</dt><dd>${rupiah(r.amount)}</dd><dt>Waktu bayar</dt><dd>${r.paidAtLabel}</dd></dl>
<p><strong>Yang dilunasi</strong></p>${settledList(r.lines)}
<p><a id="karcis-tautan" href="${r.url}">Buka e-karcis</a> · <a href="${c.pageUrl}">Lihat tagihan terbaru</a></p></div>`;
}

function settledList(lines: SettledLine[]): Html {
  return html`<div class="scroll"><table class="lunas"><tbody>${lines.map(
    (l) => html`<tr><td>${l.label}</td><td class="num">${rupiah(l.amount)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The panel's copy for a refusal (too many codes, nothing owed, the bank down). */
export function refusalPanel(message: string): Html {
  return html`<p class="note bad" id="qris-pesan">${message}</p>`;
}

/** A refusal as a page, for the form posted without script. */
export function publicRefusalPage(status: number, message: string, publicCode?: string): string {
  const title = status === 429 ? 'Terlalu banyak permintaan' : 'Kode QRIS tidak dapat dibuat';
  return plainPage(
    title,
    html`<h1>${title}</h1>${refusalPanel(message)}${publicCode ? html`<p><a href="/los/${publicCode}">Kembali ke halaman los</a></p>` : ''}`,
  );
}

// The page's script. Posting a [data-bayar] form asks for a code with fetch (JSON) and shows the
// answer's panel in #qris; a pending code's status is asked every 2 s until it is paid (the
// e-karcis), expires or is replaced; the page itself is never reloaded. The panels' markup is the
// server's (escaped there): the script only moves it into place.
const PAY_SCRIPT = `
(() => {
  const box = document.getElementById('qris');
  if (!box) return;
  const busy = (on) => document.querySelectorAll('form[data-bayar] button').forEach((b) => { b.disabled = on; });
  const show = (state, markup) => {
    box.hidden = false;
    box.dataset.state = state;
    box.innerHTML = markup;
  };
  const say = (state, text) => {
    show(state, '');
    const p = document.createElement('p');
    p.className = state === 'error' ? 'note bad' : 'muted';
    p.textContent = text;
    box.appendChild(p);
  };
  // What is owed now, read from this page's own address: the summary, the choices and the lists.
  const refresh = async () => {
    try {
      const res = await fetch(location.pathname, { headers: { accept: 'text/html' }, cache: 'no-store' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const id of ['ringkasan', 'pilihan', 'riwayat']) {
        const now = document.getElementById(id);
        const next = doc.getElementById(id);
        if (now && next) now.replaceWith(next);
        else if (now) now.remove();
      }
    } catch (e) {}
  };
  let polling = 0;
  const poll = (url, run) => {
    setTimeout(async () => {
      if (run !== polling) return;
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
        const s = await res.json();
        if (run !== polling) return;
        if (res.ok && s.status !== 'pending') {
          show(s.status, s.html);
          if (s.status === 'paid') refresh();
          return;
        }
      } catch (e) {}
      poll(url, run);
    }, 2000);
  };
  document.addEventListener('submit', async (e) => {
    const f = e.target.closest('form[data-bayar]');
    if (!f) return;
    e.preventDefault();
    busy(true);
    const run = ++polling;
    say('making', 'Membuat kode QRIS…');
    try {
      const res = await fetch(f.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ bagian: f.elements.bagian.value }),
      });
      const b = await res.json();
      show(res.ok ? 'pending' : 'error', b.html);
      if (res.ok) poll(b.statusUrl, run);
      box.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      say('error', 'Kode QRIS tidak dapat dibuat saat ini. Periksa sambungan internet lalu coba lagi.');
    } finally {
      busy(false);
    }
  });
  if (box.dataset.state === 'pending') poll(box.dataset.statusUrl, polling);
})();
`;

/** The page's policy: the pages' own, plus its one script (by hash) calling back to this origin. */
export const PUBLIC_STALL_CSP = contentSecurityPolicy({ scripts: [PAY_SCRIPT], connect: true });
