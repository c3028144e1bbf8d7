// LAPORAN PENERIMAAN HARIAN PER PETUGAS: per market, per collector and terminal, what was taken
// on a business date by channel, and what that money settled (retribusi, sanksi bunga, titipan),
// with subtotals per collector and market; the voided payments apart, outside every total. The figures are reports/data/daily-collection.ts; this file lays
// them out. A manager gets their own market; an officer the whole region unless marketId is given.
import type { Deps } from '../../api/core/deps';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column } from '../pdf/report-pdf';
import { angka, hariTanggal, rupiah, waktuLokal } from '../format';
import { dailyCollection, type DailyCollection } from '../data/daily-collection';
import type { Channel, ChannelTotals, Parts } from '../data/common';

const CHANNEL: Record<Channel, string> = { card: 'Kartu Debit', qris: 'QRIS', cash: 'Tunai' };
const CSV_NAME: Record<Channel | 'total', string> = { card: 'kartu', qris: 'qris', cash: 'tunai', total: 'jumlah' };

// issuePdf and writeCsv hand the same request object to subtitle, covers and the body: the data
// is read once, so the subtitle, the register and the pages can never disagree.
const loaded = new WeakMap<ReportRequest, Promise<DailyCollection>>();
function data(deps: Deps, req: ReportRequest): Promise<DailyCollection> {
  let p = loaded.get(req);
  if (!p) loaded.set(req, (p = dailyCollection(deps, req.regionId, req.date!, req.marketId)));
  return p;
}

/** Count and amount per channel shown, then the total: the same cells in the PDF and the CSV. */
const figures = (t: ChannelTotals, channels: Channel[], show: (n: number, amount: string) => [string, string]) =>
  [...channels, 'total' as const].flatMap((c) => show(t[c].count, t[c].amount));
const pdfFigures = (t: ChannelTotals, channels: Channel[]) => figures(t, channels, (n, a) => [angka(n), rupiah(a)]);
const csvFigures = (t: ChannelTotals, channels: Channel[]) => figures(t, channels, (n, a) => [String(n), a]);
/** Then what the money settled: retribusi, sanksi bunga, titipan (they add up to the total). */
const PARTS = ['principal', 'penalty', 'credit'] as const;
const PART_HEADER: Record<keyof Parts, string> = {
  principal: 'Retribusi (Rp)',
  penalty: 'Sanksi bunga (Rp)',
  credit: 'Titipan (Rp)',
};
const PART_CSV: Record<keyof Parts, string> = {
  principal: 'retribusi_nominal',
  penalty: 'sanksi_nominal',
  credit: 'titipan_nominal',
};
const pdfParts = (p: Parts) => PARTS.map((k) => rupiah(p[k]));
const csvParts = (p: Parts) => PARTS.map((k) => p[k]);

function columns(channels: Channel[], first: [string, string] = ['Petugas', 'Terminal']): Column[] {
  // Collector and terminal take 0.26; each channel and the total a count and an amount (0.5);
  // retribusi, sanksi bunga and titipan an amount each (0.24).
  const each = 0.5 / (channels.length + 1);
  const pair = (label: string): Column[] => [
    { header: `${label} (trx)`, width: each * 0.35, align: 'right' },
    { header: `${label} (Rp)`, width: each * 0.65, align: 'right' },
  ];
  return [
    { header: first[0], width: 0.16 },
    { header: first[1], width: 0.1 },
    ...channels.flatMap((c) => pair(CHANNEL[c])),
    ...pair('Jumlah'),
    ...PARTS.map((k): Column => ({ header: PART_HEADER[k], width: 0.08, align: 'right' })),
  ];
}

function drawMarket(
  pdf: Parameters<ReportDefinition['pdf']>[2],
  d: DailyCollection,
  m: DailyCollection['markets'][number],
): void {
  pdf.heading(`${m.name} (${m.code})`);
  const t = pdf.table(columns(d.channels));
  const blank = (t2: ChannelTotals, p: Parts) => [...pdfFigures(t2, d.channels), ...pdfParts(p)];
  if (m.collectors.length === 0) t.row(['Tidak ada penerimaan', '—', ...blank(m.totals, m.parts)]);
  for (const c of m.collectors) {
    c.terminals.forEach((x, i) =>
      t.row([i === 0 ? c.name : '', x.terminalId ?? 'Tanpa terminal', ...blank(x.totals, x.parts)]),
    );
    if (c.terminals.length > 1) t.row([`Subtotal ${c.name}`, '', ...blank(c.totals, c.parts)], { shade: true });
  }
  t.row([`JUMLAH ${m.code}`, '', ...blank(m.totals, m.parts)], { bold: true, shade: true });
  t.end();
}

function drawVoided(pdf: Parameters<ReportDefinition['pdf']>[2], d: DailyCollection): void {
  pdf.heading('Pembayaran Dibatalkan (tidak termasuk dalam jumlah di atas)');
  if (d.voided.length === 0) {
    pdf.text('Tidak ada pembayaran yang dibatalkan.');
    return;
  }
  const t = pdf.table([
    { header: 'Petugas', width: 0.18 },
    { header: 'Waktu', width: 0.08 },
    { header: 'Pasar', width: 0.06 },
    { header: 'Terminal / No. karcis', width: 0.12 },
    { header: 'Tempat usaha / Pedagang', width: 0.17 },
    { header: 'Kanal / RRN', width: 0.13 },
    { header: 'Ref. pembatalan / Alasan', width: 0.14 },
    { header: 'Nominal', width: 0.12, align: 'right' },
  ]);
  const tz = d.region.timeZone;
  for (const v of d.voided) {
    t.row([
      v.collectorName,
      waktuLokal(v.paidAt, tz).replace(/^.* pukul /, ''),
      v.marketCode,
      `${v.terminalId ?? '—'} / ${v.receiptSerial ?? '—'}`,
      `${v.stallCode} / ${v.traderName}`,
      `${CHANNEL[v.channel]} / ${v.rrn ?? '—'}`,
      [v.voidReference, v.reason].filter(Boolean).join(' / '),
      rupiah(v.amount),
    ]);
  }
  t.row(
    ['JUMLAH DIBATALKAN', '', '', '', '', `${angka(d.voidedTotal.count)} transaksi`, '', rupiah(d.voidedTotal.amount)],
    { bold: true, shade: true },
  );
  t.end();
}

export const dailyCollectionReport: ReportDefinition = {
  kind: 'daily-collection',
  code: 'LPH',
  title: 'LAPORAN PENERIMAAN HARIAN PER PETUGAS',
  // Channels, their total and what the money settled: thirteen columns with cash.
  layout: 'landscape',
  scope: 'market',
  needs: ['date'],

  async subtitle(deps, req) {
    const d = await data(deps, req);
    const market = req.marketId ? `${d.markets[0].name} (${d.markets[0].code})` : `semua pasar (${d.markets.length})`;
    return [`Tanggal: ${hariTanggal(d.date)}`, `Pasar: ${market}`];
  },

  async covers(deps, req) {
    const d = await data(deps, req);
    return {
      date: d.date,
      marketId: d.marketId ?? null,
      markets: d.markets.map((m) => m.code),
      total: d.totals.total,
      byChannel: Object.fromEntries(d.channels.map((c) => [c, d.totals[c]])),
      parts: d.parts,
      voided: d.voidedTotal,
    };
  },

  async pdf(deps, req, pdf) {
    const d = await data(deps, req);
    pdf.keyValues([
      ['Jumlah penerimaan', `${rupiah(d.totals.total.amount)} (${angka(d.totals.total.count)} transaksi)`],
      ...d.channels.map((c): [string, string] => [
        `  ${CHANNEL[c]}`,
        `${rupiah(d.totals[c].amount)} (${angka(d.totals[c].count)} transaksi)`,
      ]),
      ['Pendapatan retribusi', rupiah(d.parts.principal)],
      ['Pendapatan sanksi bunga', rupiah(d.parts.penalty)],
      ['Titipan (lebih bayar)', rupiah(d.parts.credit)],
      ['Dibatalkan', `${rupiah(d.voidedTotal.amount)} (${angka(d.voidedTotal.count)} transaksi, tidak dihitung)`],
    ]);
    for (const m of d.markets) drawMarket(pdf, d, m);
    if (d.markets.length > 1) {
      pdf.heading('Rekapitulasi per Pasar');
      const t = pdf.table(columns(d.channels, ['Pasar', 'Kode']));
      for (const m of d.markets) t.row([m.name, m.code, ...pdfFigures(m.totals, d.channels), ...pdfParts(m.parts)]);
      t.row(['JUMLAH SELURUH PASAR', '', ...pdfFigures(d.totals, d.channels), ...pdfParts(d.parts)], {
        bold: true,
        shade: true,
      });
      t.end();
    }
    drawVoided(pdf, d);
    pdf.text(
      'Penerimaan dicatat atas nama petugas yang memegang terminal pada tanggal tersebut (penugasan terminal). ' +
        'Setiap pembayaran melunasi retribusi (pokok) dan sanksi bunga yang terutang menurut urutan pelunasan daerah; ' +
        'sisanya menjadi titipan pedagang. Retribusi + sanksi bunga + titipan = jumlah penerimaan.',
      { size: 7.5 },
    );
  },

  // Every channel's columns, whichever the region takes; the terminal is a code (text).
  columns: {
    tanggal: 'date',
    ...Object.fromEntries(
      Object.values(CSV_NAME).flatMap((c) => [
        [`${c}_trx`, 'integer'],
        [`${c}_nominal`, 'money'],
      ]),
    ),
    ...Object.fromEntries(Object.values(PART_CSV).map((c) => [c, 'money'])),
  },

  // One row per collector and terminal (no subtotals, so a spreadsheet's SUM equals TOTAL).
  async csv(deps, req, write) {
    const d = await data(deps, req);
    const amounts = [...d.channels, 'total' as const].flatMap((c) => [`${CSV_NAME[c]}_trx`, `${CSV_NAME[c]}_nominal`]);
    const parts = PARTS.map((k) => PART_CSV[k]);
    await write(['tanggal', 'kode_pasar', 'pasar', 'petugas', 'username_petugas', 'terminal', ...amounts, ...parts]);
    for (const m of d.markets) {
      for (const c of m.collectors) {
        for (const x of c.terminals) {
          await write([
            d.date,
            m.code,
            m.name,
            c.name,
            c.username ?? '',
            x.terminalId ?? '',
            ...csvFigures(x.totals, d.channels),
            ...csvParts(x.parts),
          ]);
        }
      }
    }
    await write(['TOTAL', '', '', '', '', '', ...csvFigures(d.totals, d.channels), ...csvParts(d.parts)]);
  },
};
