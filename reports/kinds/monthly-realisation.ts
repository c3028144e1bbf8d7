// LAPORAN REALISASI PENERIMAAN RETRIBUSI PASAR: per market, the month's collections by channel,
// the year to the month's end, against the annual target, and the region's total. Which target
// each market used (set for the year, or the market's standing one) is printed beside it. The
// figures are reports/data/monthly-realisation.ts; this file lays them out.
import type { Deps } from '../../api/core/deps';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column } from '../pdf/report-pdf';
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
  const month = 0.36 / (channels.length + 1);
  return [
    { header: 'No', width: 0.04, align: 'right' },
    { header: 'Pasar', width: 0.16 },
    { header: 'Target Tahunan', width: 0.12, align: 'right' },
    { header: 'Dasar Target', width: 0.08 },
    ...channels.map((c): Column => ({ header: `Bulan Ini: ${CHANNEL[c]}`, width: month, align: 'right' })),
    { header: 'Bulan Ini: Jumlah', width: month, align: 'right' },
    { header: 'Realisasi s.d. Bulan Ini', width: 0.16, align: 'right' },
    { header: '% Target', width: 0.08, align: 'right' },
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
      })),
      target: d.total.target,
      monthTotal: d.total.month.total.amount,
      yearToDate: d.total.yearToDate.total.amount,
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
      ],
      { bold: true, shade: true },
    );
    t.end();
    pdf.text(
      `Realisasi: pembayaran retribusi yang diterima (kartu debit, QRIS${d.channels.includes('cash') ? ', tunai' : ''}) menurut tanggal transaksi, ` +
        'tanpa pembayaran yang dibatalkan. ' +
        `"Target ${d.year}": target pasar untuk tahun ${d.year} yang ditetapkan petugas; "Target tetap": target tahunan pada data pasar, ` +
        `dipakai bila target tahun ${d.year} belum ditetapkan. "—": pasar tanpa target.`,
      { size: 7.5 },
    );
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
    ]);
  },
};
