// The market pages' HTML: today, arrears, a stall's history, letters, and the market picker.
import type { Role } from '../auth/principal';
import type { Decimal } from '../core/money';
import type { ArrearsRow, ArrearsSums } from '../arrears/arrears.service';
import { reportDefinition } from '../../reports/registry';
import { channelLabel, hariTanggal, html, type Html, qs, rupiah, tanggal, type Part } from './html';
import type { MarketScope } from './scope';
import type { ChannelTakings } from './pages.repository';
import {
  ARREARS_SORTS,
  BUCKETS,
  LIST_PAGE,
  TODAY_FILTERS,
  TODAY_SORTS,
  type ArrearsSort,
  type BlockSummary,
  type Bucket,
  type ListPage,
  type TodayFilter,
  type TodaySort,
  type TodayStall,
  type TodayStatus,
} from './market.service';

const STATUS: Record<TodayStatus, [string, string]> = {
  paid: ['Lunas', 'b-ok'],
  'partly-paid': ['Sebagian', 'b-warn'],
  unpaid: ['Belum bayar', 'b-bad'],
  'not-assessed': ['Tidak ditagih', 'b-na'],
};
const FILTER_LABEL: Record<TodayFilter, string> = {
  belum: 'Belum bayar',
  sebagian: 'Sebagian',
  lunas: 'Lunas',
  'tidak-ditagih': 'Tidak ditagih',
};
const BUCKET_LABEL: Record<Bucket, string> = {
  '1-30': '1–30 hari',
  '31-60': '31–60 hari',
  '61-90': '61–90 hari',
  '90+': 'Lebih dari 90 hari',
};

const TODAY_SORT_LABEL: Record<TodaySort, string> = {
  kode: 'Kode los',
  blok: 'Blok',
  terutang: 'Terutang terbanyak',
};
const ARREARS_SORT_LABEL: Record<ArrearsSort, string> = {
  los: 'Kode los',
  blok: 'Blok',
  jumlah: 'Jumlah terbanyak',
  umur: 'Paling lama',
};

/**
 * Previous and next pages of a list, keeping its filters and order (href builds a page's link);
 * pages undefined when the list is not counted (the search: "next" when more follow).
 */
export function pager(href: (page: number) => string, page: number, pages: number | undefined, more: boolean): Html {
  if (page <= 1 && !more) return html``;
  return html`<nav class="pager" aria-label="Halaman daftar">
${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">‹ Sebelumnya</a>` : ''}
<span aria-current="page">Halaman ${page}${pages ? ` dari ${pages}` : ''}</span>
${more ? html`<a href="${href(page + 1)}" rel="next">Berikutnya ›</a>` : ''}</nav>`;
}

/** "1–50 dari 651": the rows of a page among the whole list. */
const shownOf = (l: ListPage<unknown>) =>
  l.count === 0 ? '0' : `${(l.page - 1) * LIST_PAGE + 1}–${(l.page - 1) * LIST_PAGE + l.rows.length} dari ${l.count}`;

export const statusBadge = (s: TodayStatus) => html`<span class="badge ${STATUS[s][1]}">${STATUS[s][0]}</span>`;

/** ?marketId= for viewers who pick a market; a manager's pages need none. */
export const marketQuery = (role: Role, m: MarketScope) => (role === 'manager' ? {} : { marketId: m.id });

/** The market's pages as tabs, for viewers who reach a market from the region (a manager's nav
 * already lists them). */
export function marketTabs(role: Role, m: MarketScope, here: string): Html {
  if (role === 'manager') return html``;
  const q = marketQuery(role, m);
  const tabs: [string, string][] = [
    ['/kelola', 'Hari ini'],
    ['/kelola/tunggakan', 'Tunggakan'],
    ['/kelola/surat', 'Surat'],
  ];
  return html`<ul class="tabs" aria-label="Halaman pasar">${tabs.map(
    ([href, label]) =>
      html`<li><a href="${href}${qs(q)}"${href === here ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul>`;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

function hiddenMarket(role: Role, m: MarketScope): Part {
  return role === 'manager' ? '' : html`<input type="hidden" name="marketId" value="${m.id}">`;
}

function takingsCards(takings: ChannelTakings[], collected: Decimal): Html {
  return html`<div class="cards">
<div class="card c-ok"><span class="k">Terkumpul hari ini</span><span class="v">${rupiah(collected)}</span></div>
${takings.map((t) => html`<div class="card"><span class="k">${channelLabel(t.channel)}</span><span class="v">${rupiah(t.amount)}</span><span class="s">${t.count} transaksi</span></div>`)}
${takings.length === 0 ? html`<div class="card"><span class="k">Transaksi</span><span class="v">0</span><span class="s">belum ada pembayaran hari ini</span></div>` : ''}
</div>`;
}

function blockTable(blocks: BlockSummary[], totals: BlockSummary | undefined): Html {
  const row = (
    b: BlockSummary,
    head: Part,
  ) => html`<td class="num hide-sm">${b.stalls}</td><td class="num">${b.counts.paid}</td>
<td class="num">${b.counts['partly-paid']}</td><td class="num">${b.counts.unpaid}</td><td class="num hide-sm">${b.counts['not-assessed']}</td>
<td class="num hide-sm">${rupiah(b.assessed)}</td><td class="num">${rupiah(b.open)}</td>${head}`;
  return html`<div class="scroll"><table><caption class="sr">Status per blok</caption><thead><tr><th scope="col">Blok</th><th scope="col" class="num hide-sm">Los</th>
<th scope="col" class="num">Lunas</th><th scope="col" class="num">Sebagian</th><th scope="col" class="num">Belum</th>
<th scope="col" class="num hide-sm">Tidak ditagih</th><th scope="col" class="num hide-sm">Tagihan</th><th scope="col" class="num">Sisa</th></tr></thead>
<tbody>${blocks.map((b) => html`<tr><th scope="row">${b.block}</th>${row(b, '')}</tr>`)}</tbody>
${totals ? html`<tfoot><tr><th scope="row">Jumlah</th>${row(totals, '')}</tr></tfoot>` : ''}</table></div>`;
}

function stallTable(role: Role, m: MarketScope, list: ListPage<TodayStall>, href: (page: number) => string): Html {
  const q = qs(marketQuery(role, m));
  const stalls = list.rows;
  if (stalls.length === 0) return html`<p class="note info">Tidak ada tempat usaha yang cocok dengan saringan ini.</p>`;
  return html`<div class="scroll"><table id="daftar-los"><caption>Tempat usaha (${shownOf(list)})</caption><thead><tr>
<th scope="col">Los</th><th scope="col" class="hide-sm">Blok</th><th scope="col">Pedagang</th><th scope="col">Hari ini</th>
<th scope="col" class="num hide-sm">Sisa hari ini</th><th scope="col" class="num">Terutang</th></tr></thead><tbody>
${stalls.map(
  (
    s,
  ) => html`<tr data-status="${s.status}"><th scope="row"><a href="/kelola/los/${s.stallId}${q}">${s.code}</a></th><td class="hide-sm">${s.block}</td>
<td>${s.occupant ?? html`<span class="muted">kosong</span>`}</td><td>${statusBadge(s.status)}</td>
<td class="num hide-sm">${s.open ? rupiah(s.open) : '—'}</td><td class="num">${rupiah(s.outstanding)}</td></tr>`,
)}
</tbody></table></div>
${pager(href, list.page, list.pages, list.page < list.pages)}`;
}

/** A count tile that opens its filtered list (the current one marked). */
function tile(href: string, cls: string, label: string, value: Part, note: Part, current: boolean): Html {
  return html`<a class="card ${cls}" href="${href}"${current ? html` aria-current="true"` : ''}><span class="k">${label}</span><span class="v">${value}</span>${note ? html`<span class="s">${note}</span>` : ''}</a>`;
}

export function todayBody(
  role: Role,
  m: MarketScope,
  v: {
    businessDate: string;
    blocks: BlockSummary[];
    totals?: BlockSummary;
    shown: ListPage<TodayStall>;
    arrears: { rows: number; amount: Decimal };
    takings: ChannelTakings[];
    collected: Decimal;
  },
  f: { status?: TodayFilter; block?: string; sort?: TodaySort },
  blocks: string[],
): Html {
  const t = v.totals;
  const mq = marketQuery(role, m);
  const filtered = (status: TodayFilter) => `/kelola${qs({ ...mq, status })}#los`;
  const page = (n: number) =>
    `/kelola${qs({ ...mq, status: f.status, block: f.block, sort: f.sort, page: n > 1 ? n : undefined })}#los`;
  return html`<h1>${m.name}</h1><p class="sub">${m.code} · ${m.regionName} · ${hariTanggal(v.businessDate)}</p>
${marketTabs(role, m, '/kelola')}
${
  t
    ? html`<div class="cards">
${tile(filtered('lunas'), 'c-ok', 'Lunas', t.counts.paid, '', f.status === 'lunas')}
${tile(filtered('sebagian'), 'c-warn', 'Sebagian', t.counts['partly-paid'], '', f.status === 'sebagian')}
${tile(filtered('belum'), 'c-bad', 'Belum bayar', t.counts.unpaid, '', f.status === 'belum')}
${tile(filtered('tidak-ditagih'), '', 'Tidak ditagih', t.counts['not-assessed'], 'kosong, libur, bebas', f.status === 'tidak-ditagih')}
${tile(`/kelola/tunggakan${qs(mq)}`, v.arrears.rows > 0 ? 'c-bad' : '', 'Menunggak', v.arrears.rows, html`pedagang/los · ${rupiah(v.arrears.amount)}`, false)}
</div>`
    : ''
}
<h2>Penerimaan hari ini</h2>${takingsCards(v.takings, v.collected)}
<h2>Status per blok</h2>${blockTable(v.blocks, t)}
<h2 id="los">Tempat usaha</h2>
<form class="filters" method="get" action="/kelola#los">${hiddenMarket(role, m)}
<div class="field"><label for="f-status">Status hari ini</label><select id="f-status" name="status">${option('', 'Semua', f.status)}${(Object.keys(TODAY_FILTERS) as TodayFilter[]).map((k) => option(k, FILTER_LABEL[k], f.status))}</select></div>
<div class="field"><label for="f-block">Blok</label><select id="f-block" name="block">${option('', 'Semua blok', f.block)}${blocks.map((b) => option(b, b, f.block))}</select></div>
<div class="field"><label for="f-sort">Urutkan</label><select id="f-sort" name="sort">${TODAY_SORTS.map((k) => option(k === 'kode' ? '' : k, TODAY_SORT_LABEL[k], f.sort === 'kode' ? '' : f.sort))}</select></div>
<button type="submit">Tampilkan</button></form>
${stallTable(role, m, v.shown, page)}
<h2>Stiker QR</h2><p>Satu stiker per los, berisi kode QR ke halaman tagihan los itu (tanpa data pribadi pedagang). Cetak pada kertas label A4, 12 stiker per lembar.</p>
<div class="actions"><a class="button secondary" href="/kelola/stiker${qs(mq)}">Cetak stiker QR semua los (PDF)</a></div>
<form class="filters" method="get" action="/kelola/stiker" id="stiker-sebagian">${hiddenMarket(role, m)}
<div class="field"><label for="s-block">Stiker satu blok</label><select id="s-block" name="block">${option('', 'Pilih blok', undefined)}${blocks.map((b) => option(b, b, undefined))}</select></div>
<div class="field"><label for="s-code">atau satu los (kode)</label><input id="s-code" name="code" maxlength="32" placeholder="mis. A-01"></div>
<button type="submit" class="secondary">Cetak stiker</button></form>`;
}

export function arrearsBody(
  role: Role,
  m: MarketScope,
  v: {
    asOf: string;
    list: ListPage<ArrearsRow>;
    sums: Omit<ArrearsSums, 'credit'>;
  },
  f: { bucket?: Bucket; block?: string; sort?: ArrearsSort },
  blocks: string[],
): Html {
  const q = qs(marketQuery(role, m));
  const s = v.sums;
  const l = v.list;
  const page = (n: number) =>
    `/kelola/tunggakan${qs({ ...marketQuery(role, m), bucket: f.bucket, block: f.block, sort: f.sort, page: n > 1 ? n : undefined })}`;
  return html`<h1>Tunggakan — ${m.name}</h1><p class="sub">Per ${tanggal(v.asOf)}: ketetapan yang lewat tanggalnya dan belum dibayar, dengan umurnya.</p>
${marketTabs(role, m, '/kelola/tunggakan')}
<form class="filters" method="get" action="/kelola/tunggakan">${hiddenMarket(role, m)}
<div class="field"><label for="f-bucket">Umur tunggakan</label><select id="f-bucket" name="bucket">${option('', 'Semua umur', f.bucket)}${(Object.keys(BUCKETS) as Bucket[]).map((b) => option(b, BUCKET_LABEL[b], f.bucket))}</select></div>
<div class="field"><label for="f-block">Blok</label><select id="f-block" name="block">${option('', 'Semua blok', f.block)}${blocks.map((b) => option(b, b, f.block))}</select></div>
<div class="field"><label for="f-sort">Urutkan</label><select id="f-sort" name="sort">${ARREARS_SORTS.map((k) => option(k === 'los' ? '' : k, ARREARS_SORT_LABEL[k], f.sort === 'los' ? '' : f.sort))}</select></div>
<button type="submit">Tampilkan</button></form>
<div class="cards"><div class="card c-bad"><span class="k">Total tunggakan</span><span class="v">${rupiah(s.principal.plus(s.penalty))}</span><span class="s">${s.rows} pedagang/los</span></div>
<div class="card"><span class="k">1–30 hari</span><span class="v">${rupiah(s.bucket1to30)}</span></div>
<div class="card"><span class="k">31–60 hari</span><span class="v">${rupiah(s.bucket31to60)}</span></div>
<div class="card"><span class="k">61–90 hari</span><span class="v">${rupiah(s.bucket61to90)}</span></div>
<div class="card"><span class="k">&gt; 90 hari</span><span class="v">${rupiah(s.bucketOver90)}</span></div>
<div class="card"><span class="k">Sanksi bunga</span><span class="v">${rupiah(s.penalty)}</span></div></div>
${
  l.rows.length === 0
    ? html`<p class="note ok">Tidak ada tunggakan yang cocok dengan saringan ini.</p>`
    : html`<div class="scroll"><table id="daftar-tunggakan"><caption>Rincian per los dan pedagang (${shownOf(l)})</caption><thead><tr>
<th scope="col">Los</th><th scope="col" class="hide-sm">Blok</th><th scope="col">Pedagang</th><th scope="col" class="num hide-sm">1–30</th><th scope="col" class="num hide-sm">31–60</th>
<th scope="col" class="num hide-sm">61–90</th><th scope="col" class="num hide-sm">&gt;90</th><th scope="col" class="num hide-sm">Sanksi bunga</th><th scope="col" class="num">Jumlah</th><th scope="col">Sejak</th></tr></thead><tbody>
${l.rows.map(
  (
    r,
  ) => html`<tr data-stall="${r.stallCode}"><th scope="row"><a href="/kelola/los/${r.stallId}${q}">${r.stallCode}</a></th><td class="hide-sm">${r.stallBlock ?? '—'}</td><td>${r.traderName}</td>
<td class="num hide-sm">${rupiah(r.bucket1to30)}</td><td class="num hide-sm">${rupiah(r.bucket31to60)}</td><td class="num hide-sm">${rupiah(r.bucket61to90)}</td><td class="num hide-sm">${rupiah(r.bucketOver90)}</td>
<td class="num hide-sm">${rupiah(r.penalty)}</td><td class="num"><strong>${rupiah(r.principal.plus(r.penalty))}</strong></td>
<td>${r.oldestUnpaidDate ? html`${tanggal(r.oldestUnpaidDate)} <span class="muted">(${r.maxDaysOverdue} hari)</span>` : '—'}</td></tr>`,
)}
</tbody></table></div>
${pager(page, l.page, l.pages, l.page < l.pages)}`
}
${
  reportDefinition('arrears')
    ? html`<div class="actions"><a class="button secondary" href="/laporan/unduh/arrears${qs({ marketId: m.id, asOf: v.asOf, format: 'pdf' })}">Unduh daftar tunggakan (PDF)</a>
<a class="button secondary" href="/laporan/unduh/arrears${qs({ marketId: m.id, asOf: v.asOf, format: 'csv' })}">CSV</a></div>`
    : ''
}`;
}

export function marketPicker(markets: { id: string; code: string; name: string }[], regionName: string): Html {
  return html`<h1>Pasar di ${regionName}</h1><p class="sub">Pilih pasar untuk melihat keadaan hari ini, tunggakan dan surat.</p>
${
  markets.length === 0
    ? html`<p class="note info">Belum ada pasar di wilayah ini.</p>`
    : html`<div class="scroll"><table><caption>Daftar pasar</caption><thead><tr><th scope="col">Kode</th><th scope="col">Nama</th><th scope="col">Halaman</th></tr></thead><tbody>
${markets.map(
  (m) => html`<tr><th scope="row">${m.code}</th><td><a href="/kelola?marketId=${m.id}">${m.name}</a></td>
<td><a href="/kelola/tunggakan?marketId=${m.id}">Tunggakan</a> · <a href="/kelola/surat?marketId=${m.id}">Surat</a> · <a href="/kelola/stiker?marketId=${m.id}">Stiker</a></td></tr>`,
)}
</tbody></table></div>`
}`;
}

export function regionPicker(regions: { id: string; code: string; name: string }[], action: string): Html {
  return html`<h1>Pilih wilayah</h1><p class="sub">Akun Anda tidak terikat pada satu wilayah.</p>
<ul>${regions.map((r) => html`<li><a href="${action}?regionId=${r.id}">${r.name} (${r.code})</a></li>`)}</ul>`;
}
