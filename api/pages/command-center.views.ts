// The command center's wall screen: dark, high contrast, large type, readable across a room and
// on a phone. Per region and market the share of stalls paid today, the takings by channel and
// the last 7 days' reconciliation; beside them the payments as they come in (stall, market,
// channel, amount, time: never a trader, a card or a phone number). The figures sit in blocks
// marked data-segar that the page's script fetches anew; the payment list is the stream's.
import Decimal from 'decimal.js';
import type { Role } from '../auth/principal';
import type { Collection, PaymentEvent, ReconciliationState, RegionSummary } from '../feed/feed.schemas';
import type { CommandCenter } from './command-center.service';
import { angka, channelLabel, hariTanggal, html, type Html, qs, rupiah } from './html';
import { CSRF_FIELD } from './session.middleware';

export const SCRIPT_PATH = '/aset/pusat-komando.js';
export const STYLE_PATH = '/aset/pusat-komando.css';
/** How often the script fetches the figures again. */
export const REFRESH_MS = 30_000;

const ZONE: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const HARI = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const BULAN = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** "10.02.15": an instant's time of day in the region. */
export function jam(instant: Date | string, timeZone: string): string {
  const p = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '00';
  return `${get('hour')}.${get('minute')}.${get('second')}`;
}

const zoneOf = (timeZone: string) => ZONE[timeZone] ?? timeZone;

const STATE: Record<ReconciliationState, string> = {
  clean: 'Bersih',
  awaiting: 'Menunggu bank',
  exceptions: 'Ada selisih',
  never: 'Belum direkonsiliasi',
};

/** Whole percent of stalls paid: "36%", or "—" when nothing was assessed. */
function share(c: Collection): string {
  if (!c.assessed.stalls) return '—';
  return `${new Decimal(c.paidStalls).div(c.assessed.stalls).times(100).toDecimalPlaces(0, Decimal.ROUND_DOWN)}%`;
}

function channels(c: Collection): Html {
  const by = c.collected.byChannel;
  return html`<dl class="kanal">${(['card', 'qris', 'cash'] as const).map(
    (k) =>
      html`<div data-channel="${k}"><dt>${channelLabel(k)}</dt><dd><span class="rp">${rupiah(by[k].amount)}</span><span class="n">${angka(by[k].count)} transaksi</span></dd></div>`,
  )}</dl>`;
}

function paidLine(c: Collection): Html {
  if (!c.assessed.stalls) return html`<p class="rinci">Tidak ada ketetapan hari ini</p>`;
  return html`<p class="rinci"><b>${angka(c.paidStalls)}</b> dari ${angka(c.assessed.stalls)} los lunas${
    c.partlyPaidStalls ? html` · ${angka(c.partlyPaidStalls)} sebagian` : ''
  }</p>`;
}

function dayLabel(date: string): Html {
  const d = new Date(`${date}T00:00:00Z`);
  return html`<span class="hari">${HARI[d.getUTCDay()]}</span><span class="tgl">${d.getUTCDate()} ${BULAN[d.getUTCMonth()]}</span>`;
}

function regionBlock(r: RegionSummary, many: boolean): Html {
  const t = r.totals;
  return html`<section class="wilayah" data-region="${r.regionId}" aria-labelledby="w-${r.regionId}">
<h2 id="w-${r.regionId}">${many ? html`${r.name} · ` : ''}${hariTanggal(r.businessDate)}</h2>
<div class="ringkas">
<div class="tile utama" data-figure="lunas"><span class="k">Los lunas hari ini</span><span class="v">${share(t)}</span>${paidLine(t)}</div>
<div class="tile utama" data-figure="terkumpul"><span class="k">Terkumpul hari ini</span><span class="v">${rupiah(t.collected.amount)}</span><p class="rinci">${angka(t.collected.count)} transaksi</p></div>
</div>
${channels(t)}
<h3>Per pasar</h3>
${
  r.markets.length
    ? html`<ul class="pasar">${r.markets.map(
        (
          m,
        ) => html`<li data-market="${m.marketId}"><div class="atas"><span class="nama">${m.name}</span><span class="persen">${share(m)}</span></div>
<progress max="${Math.max(m.assessed.stalls, 1)}" value="${m.paidStalls}" aria-label="Los lunas di ${m.name}">${share(m)}</progress>
${paidLine(m)}<p class="uang"><span class="k">Terkumpul</span> <b>${rupiah(m.collected.amount)}</b></p>${channels(m)}</li>`,
      )}</ul>`
    : html`<p class="rinci">Belum ada pasar aktif.</p>`
}
<h3>Rekonsiliasi 7 hari terakhir</h3>
<ol class="rekon">${r.reconciliation.map(
    (d) =>
      html`<li data-date="${d.businessDate}" data-state="${d.status}">${dayLabel(d.businessDate)}<span class="st">${STATE[d.status]}</span></li>`,
  )}</ol>
</section>`;
}

/** One row of the payment list; the script builds the same from a stream event. */
function paymentRow(e: PaymentEvent, zones: Map<string, string>, many: boolean): Html {
  return html`<li data-payment="${e.paymentId}" data-channel="${e.channel}"><span class="jam">${jam(e.paidAt, zones.get(e.regionId) ?? 'Asia/Jakarta')}</span><span class="los">${e.stallCode}</span><span class="psr">${many ? `${e.regionCode} · ` : ''}${e.marketName}</span><span class="ch">${channelLabel(e.channel)}</span><span class="nominal">${rupiah(e.amount)}</span></li>`;
}

export interface WallOptions {
  role: Role;
  csrf: string;
}

export function commandCenterPage(v: CommandCenter, o: WallOptions): string {
  const regions = v.summary.regions;
  const many = regions.length > 1;
  const zones = new Map(regions.map((r) => [r.regionId, r.timeZone]));
  const zone = regions[0]?.timeZone ?? 'Asia/Jakarta';
  const scope = regions.length === 1 ? regions[0].name : `${angka(regions.length)} wilayah`;
  const now = new Date(v.summary.generatedAt);
  return html`<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pusat Komando — e-Retribusi Pasar</title><link rel="stylesheet" href="${STYLE_PATH}">
<noscript><meta http-equiv="refresh" content="${REFRESH_MS / 1000}"></noscript><script src="${SCRIPT_PATH}" defer></script></head>
<body class="wall" data-aliran="/pusat-komando/aliran${qs({ regionId: v.regionId })}" data-zona="${JSON.stringify(Object.fromEntries(zones))}" data-banyak="${many ? '1' : '0'}" data-segar-ms="${REFRESH_MS}">
<header class="atas-layar"><div class="judul"><h1>Pusat Komando Retribusi Pasar</h1><p id="cakupan">${scope}</p></div>
<div class="status"><span id="sambungan" role="status" data-state="mulai">Menyambung…</span>
<span id="diperbarui" data-segar>Diperbarui pukul ${jam(now, zone)} ${zoneOf(zone)}</span>
${o.role === 'feed' ? '' : html`<a href="/">Halaman kerja</a>`}
<form method="post" action="/logout"><input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}"><button type="submit">Keluar</button></form></div></header>
<main id="isi" class="layar">
<div id="angka" class="angka" data-segar>${regions.length ? regions.map((r) => regionBlock(r, many)) : html`<p class="rinci">Tidak ada wilayah untuk ditampilkan.</p>`}</div>
<section class="masuk" aria-labelledby="judul-masuk"><h2 id="judul-masuk">Pembayaran masuk</h2>
<ol id="aliran">${v.payments.length ? v.payments.map((e) => paymentRow(e, zones, many)) : html`<li class="kosong">Belum ada pembayaran hari ini.</li>`}</ol>
</section></main></body></html>`.text;
}

export const COMMAND_CENTER_CSS = `
:root{--bg:#05080c;--panel:#0f1620;--line:#2a3746;--fg:#f4f7fb;--muted:#b4c0cd;--ok:#3ee07f;--warn:#ffcc33;--bad:#ff6b6b;--na:#9aa7b5;--accent:#5cc8ff}
*{box-sizing:border-box}
html{font-size:clamp(16px,1.15vw,30px);-webkit-text-size-adjust:100%}
body.wall{margin:0;background:var(--bg);color:var(--fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.3;font-variant-numeric:tabular-nums}
a{color:var(--accent)}
a:focus-visible,button:focus-visible{outline:3px solid var(--warn);outline-offset:2px}
.atas-layar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding:.8rem 1.2rem;border-bottom:2px solid var(--line);background:var(--panel)}
.atas-layar h1{font-size:1.7rem;margin:0;letter-spacing:.01em}
.atas-layar p{margin:.1rem 0 0;color:var(--muted);font-size:1.1rem}
.status{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;font-size:1rem;color:var(--muted)}
.status form{margin:0}
.status button{background:transparent;color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:.3rem .8rem;font:inherit;cursor:pointer;min-height:2.2rem}
#sambungan{font-weight:700;padding:.15rem .6rem;border-radius:999px;border:2px solid currentColor}
#sambungan[data-state=langsung]{color:var(--ok)}
#sambungan[data-state=putus]{color:var(--bad)}
#sambungan[data-state=mulai],#sambungan[data-state=menyambung]{color:var(--warn)}
#diperbarui.basi{color:var(--bad)}
.layar{display:grid;gap:1.2rem;padding:1rem 1.2rem}
@media (min-width:64rem){.layar{grid-template-columns:minmax(0,3fr) minmax(0,2fr);align-items:start}.masuk{position:sticky;top:1rem}}
h2{font-size:1.45rem;margin:0 0 .7rem}
h3{font-size:1.15rem;margin:1.2rem 0 .5rem;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
.wilayah{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem 1.1rem;margin-bottom:1.2rem}
.ringkas{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.8rem}
.tile{border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem;background:#0a1119}
.tile .k{display:block;color:var(--muted);font-size:1rem}
.tile .v{display:block;font-size:3rem;font-weight:800;line-height:1.1}
.tile[data-figure=lunas] .v{color:var(--ok)}
.rinci{margin:.2rem 0 0;color:var(--muted);font-size:1.05rem}
.rinci b{color:var(--fg)}
dl.kanal{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem;margin:.8rem 0 0}
dl.kanal div{border-left:4px solid var(--accent);padding:.2rem .6rem}
dl.kanal div[data-channel=qris]{border-color:#c792ff}
dl.kanal div[data-channel=cash]{border-color:var(--warn)}
dl.kanal dt{color:var(--muted);font-size:.95rem}
dl.kanal dd{margin:0}
dl.kanal .rp{display:block;font-size:1.35rem;font-weight:700}
dl.kanal .n{display:block;color:var(--muted);font-size:.9rem}
ul.pasar{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:.8rem}
ul.pasar>li{border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem;background:#0a1119}
ul.pasar .atas{display:flex;justify-content:space-between;gap:.6rem;align-items:baseline}
ul.pasar .nama{font-size:1.2rem;font-weight:700}
ul.pasar .persen{font-size:2rem;font-weight:800;color:var(--ok)}
ul.pasar progress{width:100%;height:.8rem;margin:.3rem 0;-webkit-appearance:none;appearance:none;border:0;border-radius:999px;background:#243241;overflow:hidden}
ul.pasar progress::-webkit-progress-bar{background:#243241;border-radius:999px}
ul.pasar progress::-webkit-progress-value{background:var(--ok);border-radius:999px}
ul.pasar progress::-moz-progress-bar{background:var(--ok)}
ul.pasar .uang{margin:.4rem 0 0;font-size:1.1rem}
ul.pasar .uang .k{color:var(--muted)}
ul.pasar dl.kanal{margin-top:.4rem}
ul.pasar dl.kanal .rp{font-size:1.05rem}
ol.rekon{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.5rem}
ol.rekon li{border:2px solid var(--na);border-radius:8px;padding:.4rem .5rem;display:flex;flex-direction:column}
ol.rekon .hari{font-size:.9rem;color:var(--muted)}
ol.rekon .tgl{font-size:1.15rem;font-weight:700}
ol.rekon .st{font-weight:700;color:var(--na)}
ol.rekon li[data-state=clean]{border-color:var(--ok)}ol.rekon li[data-state=clean] .st{color:var(--ok)}
ol.rekon li[data-state=awaiting]{border-color:var(--warn)}ol.rekon li[data-state=awaiting] .st{color:var(--warn)}
ol.rekon li[data-state=exceptions]{border-color:var(--bad)}ol.rekon li[data-state=exceptions] .st{color:var(--bad)}
.masuk{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem 1.1rem}
#aliran{list-style:none;margin:0;padding:0;max-height:calc(100vh - 10rem);overflow:hidden}
#aliran>li{display:grid;grid-template-columns:auto auto minmax(0,1fr);grid-template-areas:"jam los nominal" "psr psr ch";gap:.1rem .8rem;align-items:baseline;padding:.5rem .4rem;border-top:1px solid var(--line);font-size:1.15rem}
#aliran>li.kosong{display:block;color:var(--muted)}
#aliran .jam{grid-area:jam;color:var(--muted)}
#aliran .los{grid-area:los;font-weight:800;font-size:1.3rem}
#aliran .nominal{grid-area:nominal;text-align:right;font-weight:800;font-size:1.4rem}
#aliran .psr{grid-area:psr;color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#aliran .ch{grid-area:ch;text-align:right;color:var(--accent)}
#aliran li[data-channel=qris] .ch{color:#c792ff}
#aliran li[data-channel=cash] .ch{color:var(--warn)}
#aliran li.baru{animation:baru 4s ease-out}
@keyframes baru{from{background:#1d4d2f}to{background:transparent}}
@media (max-width:40rem){
.atas-layar h1{font-size:1.35rem}
.tile .v{font-size:2.4rem}
#aliran{max-height:none}
#aliran>li{font-size:1.05rem}
}
@media (min-width:64rem){ol.rekon{grid-template-columns:repeat(7,minmax(0,1fr));gap:.4rem}ol.rekon li{padding:.4rem .35rem}ol.rekon .st{font-size:.85rem}}
@media (prefers-reduced-motion:reduce){#aliran li.baru{animation:none}}
`;
