// The search page's HTML: what was looked for, then the stalls, traders and letters found, each
// linking to where the work goes on (the stall's page, the letter's PDF).
import { html, type Html, qs, rupiah, tanggal } from './html';
import { LETTER_KIND } from './stall-letters.views';
import { pager } from './market.views';
import type { LetterHit, StallHit, TraderHit } from './search.repository';
import { PREVIEW, SEARCH_MIN, type SearchResult, type Section } from './search.service';
import type { SearchKind } from './search.schemas';

const STALL_STATUS: Record<string, string> = { active: 'Aktif', vacant: 'Kosong', damaged: 'Rusak', closed: 'Tutup' };
const TITLES: Record<SearchKind, string> = { los: 'Tempat usaha', pedagang: 'Pedagang', surat: 'Surat' };

const stallLink = (id: string, code: string) => html`<a href="/kelola/los/${id}">${code}</a>`;

function stallsTable(hits: StallHit[], oneMarket: boolean): Html {
  return html`<div class="scroll"><table id="hasil-los"><caption class="sr">Tempat usaha yang cocok</caption><thead><tr>
<th scope="col">Los</th>${oneMarket ? '' : html`<th scope="col">Pasar</th>`}<th scope="col" class="hide-sm">Blok</th><th scope="col">Pedagang sekarang</th><th scope="col" class="hide-sm">Keadaan</th></tr></thead><tbody>
${hits.map(
  (s) => html`<tr><th scope="row">${stallLink(s.id, s.code)}</th>${oneMarket ? '' : html`<td>${s.market_name}</td>`}
<td class="hide-sm">${s.block ?? '—'}</td><td>${s.occupant ?? html`<span class="muted">kosong</span>`}</td><td class="hide-sm">${STALL_STATUS[s.status] ?? s.status}</td></tr>`,
)}</tbody></table></div>`;
}

function tenancy(t: TraderHit): Html {
  if (t.current) return html`sejak ${tanggal(t.effective_from)}`;
  if (t.effective_to) return html`<span class="muted">dulu, sampai ${tanggal(t.effective_to)}</span>`;
  return html`<span class="muted">mulai ${tanggal(t.effective_from)}</span>`;
}

function tradersTable(hits: TraderHit[], oneMarket: boolean): Html {
  return html`<div class="scroll"><table id="hasil-pedagang"><caption class="sr">Pedagang yang cocok</caption><thead><tr>
<th scope="col">Pedagang</th><th scope="col">Los</th>${oneMarket ? '' : html`<th scope="col">Pasar</th>`}<th scope="col" class="hide-sm">Menempati</th></tr></thead><tbody>
${hits.map(
  (
    t,
  ) => html`<tr data-trader="${t.trader_id}"><th scope="row">${t.trader_name}</th><td>${stallLink(t.stall_id, t.stall_code)}</td>
${oneMarket ? '' : html`<td>${t.market_name}</td>`}<td class="hide-sm">${tenancy(t)}</td></tr>`,
)}</tbody></table></div>`;
}

function lettersTable(hits: LetterHit[], oneMarket: boolean): Html {
  return html`<div class="scroll"><table id="hasil-surat"><caption class="sr">Surat yang cocok</caption><thead><tr>
<th scope="col">Nomor</th><th scope="col" class="hide-sm">Jenis</th><th scope="col">Pedagang</th><th scope="col">Los</th>${oneMarket ? '' : html`<th scope="col" class="hide-sm">Pasar</th>`}
<th scope="col" class="hide-sm">Tanggal</th><th scope="col" class="num hide-sm">Jumlah</th><th scope="col">PDF</th></tr></thead><tbody>
${hits.map(
  (
    l,
  ) => html`<tr><th scope="row">${l.number}</th><td class="hide-sm">${LETTER_KIND[l.kind]}</td><td>${l.trader_name}</td>
<td>${l.stalls.map((s, i) => html`${i ? ', ' : ''}${stallLink(s.id, s.code)}`)}</td>${oneMarket ? '' : html`<td class="hide-sm">${l.market_name}</td>`}
<td class="hide-sm">${tanggal(l.issued_on)}</td><td class="num hide-sm">${rupiah(l.total)}</td>
<td><a href="/kelola/surat/${l.id}/cetak" aria-label="Cetak surat ${l.number}">Cetak</a></td></tr>`,
)}</tbody></table></div>`;
}

function section<T>(
  r: SearchResult,
  kind: SearchKind,
  s: Section<T> | undefined,
  table: (hits: T[], oneMarket: boolean) => Html,
): Html {
  if (!s) return html``;
  const q = r.q as string;
  const head = html`<h2 id="${kind}">${TITLES[kind]}</h2>`;
  if (s.hits.length === 0) return html`${head}<p class="muted">Tidak ada ${TITLES[kind].toLowerCase()} yang cocok.</p>`;
  const foot = r.kind
    ? pager((page) => `/cari${qs({ q, jenis: kind, page })}`, r.page, undefined, s.more)
    : s.more
      ? html`<p><a href="/cari${qs({ q, jenis: kind })}">Lihat semua ${TITLES[kind].toLowerCase()} yang cocok</a> (lebih dari ${PREVIEW})</p>`
      : '';
  return html`${head}${table(s.hits, r.oneMarket)}${foot}`;
}

export function searchBody(r: SearchResult): Html {
  if (!r.q || r.tooShort) {
    return html`<h1>Cari</h1>
${r.tooShort ? html`<p class="note info" role="status">Ketik sedikitnya ${SEARCH_MIN} huruf.</p>` : ''}
<p class="sub">Ketik kode los (misalnya A-01), sebagian nama pedagang, atau nomor surat teguran/STRD di kotak Cari di bagian atas halaman.</p>`;
  }
  const none = [r.stalls, r.traders, r.letters].every((s) => !s || s.hits.length === 0);
  return html`<h1>Hasil pencarian “${r.q}”</h1>
<p class="sub">${r.oneMarket ? 'Di pasar Anda.' : 'Di wilayah yang dapat Anda lihat.'}${r.kind ? html` <a href="/cari${qs({ q: r.q })}">Semua jenis hasil</a>` : ''}</p>
${none ? html`<p class="note info" role="status">Tidak ada los, pedagang atau surat yang cocok dengan “${r.q}”.</p>` : ''}
${none ? '' : html`${section(r, 'los', r.stalls, stallsTable)}${section(r, 'pedagang', r.traders, tradersTable)}${section(r, 'surat', r.letters, lettersTable)}`}`;
}
