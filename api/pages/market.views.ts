// The market pages' HTML: today, arrears, a stall's history, letters, and the market picker.
import type { Role } from '../auth/principal';
import type { Decimal } from '../core/money';
import type { ArrearsRow, ArrearsSums } from '../arrears/arrears.service';
import { reportDefinition } from '../../reports/registry';
import { channelLabel, hariTanggal, html, type Html, qs, rupiah, tanggal, type Part } from './html';
import type { MarketScope } from './scope';
import type { ChannelTakings } from './pages.repository';
import {
  BUCKETS,
  TODAY_FILTERS,
  type BlockSummary,
  type Bucket,
  type TodayFilter,
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

function stallTable(role: Role, m: MarketScope, stalls: TodayStall[]): Html {
  const q = qs(marketQuery(role, m));
  if (stalls.length === 0) return html`<p class="note info">Tidak ada tempat usaha yang cocok dengan saringan ini.</p>`;
  return html`<div class="scroll"><table id="daftar-los"><caption>Tempat usaha (${stalls.length})</caption><thead><tr>
<th scope="col">Los</th><th scope="col" class="hide-sm">Blok</th><th scope="col">Pedagang</th><th scope="col">Hari ini</th>
<th scope="col" class="num hide-sm">Sisa hari ini</th><th scope="col" class="num">Terutang</th></tr></thead><tbody>
${stalls.map(
  (
    s,
  ) => html`<tr data-status="${s.status}"><th scope="row"><a href="/kelola/los/${s.stallId}${q}">${s.code}</a></th><td class="hide-sm">${s.block}</td>
<td>${s.occupant ?? html`<span class="muted">kosong</span>`}</td><td>${statusBadge(s.status)}</td>
<td class="num hide-sm">${s.open ? rupiah(s.open) : '—'}</td><td class="num">${rupiah(s.outstanding)}</td></tr>`,
)}
</tbody></table></div>`;
}

export function todayBody(
  role: Role,
  m: MarketScope,
  v: {
    businessDate: string;
    blocks: BlockSummary[];
    totals?: BlockSummary;
    shown: TodayStall[];
    takings: ChannelTakings[];
    collected: Decimal;
  },
  f: { status?: TodayFilter; block?: string },
  blocks: string[],
): Html {
  const t = v.totals;
  return html`<h1>${m.name}</h1><p class="sub">${m.code} · ${m.regionName} · ${hariTanggal(v.businessDate)}</p>
${marketTabs(role, m, '/kelola')}
${
  t
    ? html`<div class="cards">
<div class="card c-ok"><span class="k">Lunas</span><span class="v">${t.counts.paid}</span></div>
<div class="card c-warn"><span class="k">Sebagian</span><span class="v">${t.counts['partly-paid']}</span></div>
<div class="card c-bad"><span class="k">Belum bayar</span><span class="v">${t.counts.unpaid}</span></div>
<div class="card"><span class="k">Tidak ditagih</span><span class="v">${t.counts['not-assessed']}</span><span class="s">kosong, libur, bebas</span></div>
</div>`
    : ''
}
<h2>Penerimaan hari ini</h2>${takingsCards(v.takings, v.collected)}
<h2>Status per blok</h2>${blockTable(v.blocks, t)}
<h2 id="los">Tempat usaha</h2>
<form class="filters" method="get" action="/kelola#los">${hiddenMarket(role, m)}
<div class="field"><label for="f-status">Status hari ini</label><select id="f-status" name="status">${option('', 'Semua', f.status)}${(Object.keys(TODAY_FILTERS) as TodayFilter[]).map((k) => option(k, FILTER_LABEL[k], f.status))}</select></div>
<div class="field"><label for="f-block">Blok</label><select id="f-block" name="block">${option('', 'Semua blok', f.block)}${blocks.map((b) => option(b, b, f.block))}</select></div>
<button type="submit">Tampilkan</button></form>
${stallTable(role, m, v.shown)}
<h2>Stiker QR</h2><p>Satu stiker per los, berisi kode QR ke halaman tagihan los itu (tanpa data pribadi pedagang). Cetak pada kertas label A4, 12 stiker per lembar.</p>
<div class="actions"><a class="button secondary" href="/kelola/stiker${qs(marketQuery(role, m))}">Cetak stiker QR (PDF)</a></div>`;
}

export function arrearsBody(
  role: Role,
  m: MarketScope,
  v: {
    asOf: string;
    rows: ArrearsRow[];
    sums: Omit<ArrearsSums, 'credit'>;
    truncated: boolean;
  },
  f: { bucket?: Bucket; block?: string },
  blocks: string[],
): Html {
  const q = qs(marketQuery(role, m));
  const s = v.sums;
  return html`<h1>Tunggakan — ${m.name}</h1><p class="sub">Per ${tanggal(v.asOf)}: ketetapan yang lewat tanggalnya dan belum dibayar, dengan umurnya.</p>
${marketTabs(role, m, '/kelola/tunggakan')}
<form class="filters" method="get" action="/kelola/tunggakan">${hiddenMarket(role, m)}
<div class="field"><label for="f-bucket">Umur tunggakan</label><select id="f-bucket" name="bucket">${option('', 'Semua umur', f.bucket)}${(Object.keys(BUCKETS) as Bucket[]).map((b) => option(b, BUCKET_LABEL[b], f.bucket))}</select></div>
<div class="field"><label for="f-block">Blok</label><select id="f-block" name="block">${option('', 'Semua blok', f.block)}${blocks.map((b) => option(b, b, f.block))}</select></div>
<button type="submit">Tampilkan</button></form>
<div class="cards"><div class="card c-bad"><span class="k">Total tunggakan</span><span class="v">${rupiah(s.principal.plus(s.penalty))}</span><span class="s">${s.rows} pedagang/los</span></div>
<div class="card"><span class="k">1–30 hari</span><span class="v">${rupiah(s.bucket1to30)}</span></div>
<div class="card"><span class="k">31–60 hari</span><span class="v">${rupiah(s.bucket31to60)}</span></div>
<div class="card"><span class="k">61–90 hari</span><span class="v">${rupiah(s.bucket61to90)}</span></div>
<div class="card"><span class="k">&gt; 90 hari</span><span class="v">${rupiah(s.bucketOver90)}</span></div>
<div class="card"><span class="k">Sanksi bunga</span><span class="v">${rupiah(s.penalty)}</span></div></div>
${
  v.rows.length === 0
    ? html`<p class="note ok">Tidak ada tunggakan yang cocok dengan saringan ini.</p>`
    : html`<div class="scroll"><table><caption>Rincian per los dan pedagang</caption><thead><tr>
<th scope="col">Los</th><th scope="col" class="hide-sm">Blok</th><th scope="col">Pedagang</th><th scope="col" class="num hide-sm">1–30</th><th scope="col" class="num hide-sm">31–60</th>
<th scope="col" class="num hide-sm">61–90</th><th scope="col" class="num hide-sm">&gt;90</th><th scope="col" class="num hide-sm">Denda</th><th scope="col" class="num">Jumlah</th><th scope="col">Sejak</th></tr></thead><tbody>
${v.rows.map(
  (
    r,
  ) => html`<tr><th scope="row"><a href="/kelola/los/${r.stallId}${q}">${r.stallCode}</a></th><td class="hide-sm">${r.stallBlock ?? '—'}</td><td>${r.traderName}</td>
<td class="num hide-sm">${rupiah(r.bucket1to30)}</td><td class="num hide-sm">${rupiah(r.bucket31to60)}</td><td class="num hide-sm">${rupiah(r.bucket61to90)}</td><td class="num hide-sm">${rupiah(r.bucketOver90)}</td>
<td class="num hide-sm">${rupiah(r.penalty)}</td><td class="num"><strong>${rupiah(r.principal.plus(r.penalty))}</strong></td>
<td>${r.oldestUnpaidDate ? html`${tanggal(r.oldestUnpaidDate)} <span class="muted">(${r.maxDaysOverdue} hari)</span>` : '—'}</td></tr>`,
)}
</tbody></table></div>`
}
${v.truncated ? html`<p class="note info">Ditampilkan ${v.rows.length} baris pertama dari ${s.rows}; jumlah di atas mencakup semuanya.</p>` : ''}
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
