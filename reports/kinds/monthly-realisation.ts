// LAPORAN REALISASI PENERIMAAN RETRIBUSI PASAR: per market, the month's collections by channel,
// the year to the month's end, against the annual target, and the region's total. Realisation is
// of retribusi (principal and titipan); pendapatan sanksi bunga is in columns of its own after
// the percentage, outside the realisation (reports/data/monthly-realisation.ts says why). Which target
// each market used (set for the year, or the market's standing one) is printed beside it. The
// figures are reports/data/monthly-realisation.ts; this file lays them out.
import type { Deps } from '../../api/core/deps';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column } from '../pdf/report-pdf';
import Decimal from 'decimal.js';
import { bulanTahun, rupiah, tanggal } from '../format';
import { monthlyRealisation, type MonthlyRealisation, type TargetSource } from '../data/monthly-realisation';
import type { Channel } from '../data/common';

const CHANNEL: Record<Channel, string> = { card: 'Kartu Debit', qris: 'QRIS', cash: 'Tunai' };
const CSV_NAME: Record<Channel, string> = { card: 'kartu', qris: 'qris', cash: 'tunai' };

const loaded = new WeakMap<ReportRequest, Promise<MonthlyRealisation>>();
function data(deps: Deps, req: ReportRequest): Promise<MonthlyRealisation> {
  let p = loaded.get(req);
  if (!p) loaded.set(req, (p = monthlyRealisation(deps, req.regionId, req.month!)));
  return p;
}

const source = (s: TargetSource, year: number) => (s === 'year' ? `Target ${year}` : 'Target tetap');
/** "12,34%" the Indonesian way; "—" when there is no target to measure against. */
const persen = (p: string | null) => (p === null ? '—' : `${p.replace('.', ',')}%`);

function columns(channels: Channel[]): Column[] {
  const month = 0.3 / (channels.length + 1);
  return [
    { header: 'No', width: 0.03, align: 'right' },
    { header: 'Pasar', width: 0.14 },
    { header: 'Target Tahunan', width: 0.11, align: 'right' },
    { header: 'Dasar Target', width: 0.07 },
    ...channels.map((c): Column => ({ header: `Bulan Ini: ${CHANNEL[c]}`, width: month, align: 'right' })),
    { header: 'Bulan Ini: Jumlah', width: month, align: 'right' },
    { header: 'Realisasi s.d. Bulan Ini', width: 0.13, align: 'right' },
    { header: '% Target', width: 0.06, align: 'right' },
    { header: 'Sanksi Bunga Bulan Ini', width: 0.08, align: 'right' },
    { header: 'Sanksi Bunga s.d. Bulan Ini', width: 0.08, align: 'right' },
  ];
}

export const monthlyRealisationReport: ReportDefinition = {
  kind: 'monthly-realisation',
  code: 'LRP',
  title: 'LAPORAN REALISASI PENERIMAAN RETRIBUSI PASAR',
  // Targets and year-to-date sums run to billions of rupiah across nine or ten columns.
  layout: 'landscape',
  scope: 'region',
  needs: ['month'],

  async subtitle(deps, req) {
    const d = await data(deps, req);
    return [
      `Bulan: ${bulanTahun(d.month)}`,
      `Realisasi tahun berjalan: ${tanggal(d.yearFrom)} s.d. ${tanggal(d.monthTo)}`,
    ];
  },

  async covers(deps, req) {
    const d = await data(deps, req);
    return {
      month: d.month,
      markets: d.markets.map((m) => ({
        code: m.code,
        target: m.target,
        targetSource: m.targetSource,
        month: m.month.total.amount,
        yearToDate: m.yearToDate.total.amount,
        penalty: m.penalty,
      })),
      target: d.total.target,
      monthTotal: d.total.month.total.amount,
      yearToDate: d.total.yearToDate.total.amount,
      penalty: d.total.penalty,
      percentOfTarget: d.total.percentOfTarget,
    };
  },

  async pdf(deps, req, pdf) {
    const d = await data(deps, req);
    pdf.keyValues([
      [`Target tahun ${d.year}`, rupiah(d.total.target)],
      [`Realisasi ${bulanTahun(d.month)}`, rupiah(d.total.month.total.amount)],
      [
        `Realisasi s.d. ${tanggal(d.monthTo)}`,
        `${rupiah(d.total.yearToDate.total.amount)} (${persen(d.total.percentOfTarget)} dari target)`,
      ],
      [
        `Sanksi bunga ${bulanTahun(d.month)}`,
        `${rupiah(d.total.penalty.month)} (pendapatan sanksi, di luar realisasi)`,
      ],
      [`Sanksi s.d. ${tanggal(d.monthTo)}`, rupiah(d.total.penalty.yearToDate)],
      [
        'Jumlah diterima',
        `${rupiah(new Decimal(d.total.yearToDate.total.amount).plus(d.total.penalty.yearToDate))} s.d. ${tanggal(d.monthTo)} (retribusi dan sanksi bunga)`,
      ],
    ]);
    pdf.heading('Realisasi per Pasar');
    const t = pdf.table(columns(d.channels));
    d.markets.forEach((m, i) => {
      t.row([
        String(i + 1),
        `${m.name} (${m.code})`,
        rupiah(m.target),
        source(m.targetSource, d.year),
        ...d.channels.map((c) => rupiah(m.month[c].amount)),
        rupiah(m.month.total.amount),
        rupiah(m.yearToDate.total.amount),
        persen(m.percentOfTarget),
        rupiah(m.penalty.month),
        rupiah(m.penalty.yearToDate),
      ]);
    });
    t.row(
      [
        '',
        'JUMLAH',
        rupiah(d.total.target),
        '',
        ...d.channels.map((c) => rupiah(d.total.month[c].amount)),
        rupiah(d.total.month.total.amount),
        rupiah(d.total.yearToDate.total.amount),
        persen(d.total.percentOfTarget),
        rupiah(d.total.penalty.month),
        rupiah(d.total.penalty.yearToDate),
      ],
      { bold: true, shade: true },
    );
    t.end();
    pdf.text(
      `Realisasi: pembayaran retribusi yang diterima (kartu debit, QRIS${d.channels.includes('cash') ? ', tunai' : ''}) menurut tanggal transaksi, ` +
        'tanpa pembayaran yang dibatalkan: retribusi yang dilunasi dan titipan (lebih bayar). ' +
        'Sanksi bunga yang dibayar adalah pendapatan sanksi tersendiri: tidak dihitung dalam realisasi dan persentase target retribusi. ' +
        `"Target ${d.year}": target pasar untuk tahun ${d.year} yang ditetapkan petugas; "Target tetap": target tahunan pada data pasar, ` +
        `dipakai bila target tahun ${d.year} belum ditetapkan. "—": pasar tanpa target.`,
      { size: 7.5 },
    );
  },

  // bulan (YYYY-MM) is a month, not a day: text. persen_target is 12.34 for 12.34%.
  columns: {
    target_tahunan: 'money',
    ...Object.fromEntries(Object.values(CSV_NAME).map((c) => [`bulan_ini_${c}`, 'money'])),
    bulan_ini_jumlah: 'money',
    sd_bulan_ini: 'money',
    persen_target: 'percent',
    sanksi_bulan_ini: 'money',
    sanksi_sd_bulan_ini: 'money',
  },

  async csv(deps, req, write) {
    const d = await data(deps, req);
    await write([
      'bulan',
      'kode_pasar',
      'pasar',
      'target_tahunan',
      'dasar_target',
      ...d.channels.map((c) => `bulan_ini_${CSV_NAME[c]}`),
      'bulan_ini_jumlah',
      'sd_bulan_ini',
      'persen_target',
      'sanksi_bulan_ini',
      'sanksi_sd_bulan_ini',
    ]);
    for (const m of d.markets) {
      await write([
        d.month,
        m.code,
        m.name,
        m.target,
        m.targetSource === 'year' ? `tahun_${d.year}` : 'tetap',
        ...d.channels.map((c) => m.month[c].amount),
        m.month.total.amount,
        m.yearToDate.total.amount,
        m.percentOfTarget ?? '—',
        m.penalty.month,
        m.penalty.yearToDate,
      ]);
    }
    await write([
      'TOTAL',
      '',
      '',
      d.total.target,
      '',
      ...d.channels.map((c) => d.total.month[c].amount),
      d.total.month.total.amount,
      d.total.yearToDate.total.amount,
      d.total.percentOfTarget ?? '—',
      d.total.penalty.month,
      d.total.penalty.yearToDate,
    ]);
  },
};
