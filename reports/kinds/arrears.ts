// DAFTAR TUNGGAKAN RETRIBUSI PASAR: as of a date, per market, each stall and trader owing
// principal or penalty, the principal by ageing bucket, the penalty charged so far, the trader's
// credit on the stall, and what is owed; a subtotal per market, then a recapitulation with the
// grand total. The figures are api/arrears (one snapshot: the totals printed first, the rows and
// the subtotals summed from them always agree); the rows are streamed a batch at a time, so a
// region of 50,000 stalls never sits in memory. A manager gets their own market; an officer the
// whole region unless marketId is given.
import type { Deps } from '../../api/core/deps';
import { formatMoney } from '../../api/core/money';
import {
  addTo,
  emptySums,
  openArrears,
  reportMarkets,
  type ArrearsRow,
  type ArrearsSnapshot,
  type ArrearsSums,
} from '../../api/arrears/arrears.service';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column, ReportPdf, TableWriter } from '../pdf/report-pdf';
import { angka, hariTanggal, rupiah, tanggal } from '../format';

interface Market {
  id: string;
  code: string;
  name: string;
}

// issuePdf and writeCsv hand the same request object to subtitle, covers and the body: one
// snapshot per request, opened by whichever asks first and ended when its rows have been read.
const snapshots = new WeakMap<ReportRequest, Promise<ArrearsSnapshot>>();
function snapshot(deps: Deps, req: ReportRequest): Promise<ArrearsSnapshot> {
  let s = snapshots.get(req);
  if (!s)
    snapshots.set(req, (s = openArrears(deps, { regionId: req.regionId, marketId: req.marketId, asOf: req.asOf! })));
  return s;
}

/** Every market the report covers, in list order, with or without arrears. */
function marketsOf(deps: Deps, req: ReportRequest): Promise<Market[]> {
  return reportMarkets(deps, req.regionId, req.marketId);
}

const owed = (s: { principal: ArrearsSums['principal']; penalty: ArrearsSums['penalty'] }) =>
  s.principal.plus(s.penalty);

const COLUMNS: Column[] = [
  { header: 'No', width: 0.04, align: 'right' },
  // Wide enough for "K-000140 (kios, blok C)" on one line: a 50,000-stall list is half the pages.
  { header: 'Kode Los/Kios', width: 0.12 },
  { header: 'Pedagang', width: 0.16 },
  { header: '1–30 hari', width: 0.085, align: 'right' },
  { header: '31–60 hari', width: 0.085, align: 'right' },
  { header: '61–90 hari', width: 0.085, align: 'right' },
  { header: '>90 hari', width: 0.085, align: 'right' },
  { header: 'Pokok', width: 0.085, align: 'right' },
  { header: 'Sanksi Bunga', width: 0.085, align: 'right' },
  { header: 'Titipan', width: 0.085, align: 'right' },
  { header: 'Jumlah', width: 0.085, align: 'right' },
];

/** The eight amounts of a row, a subtotal or the total, in column order. */
const amounts = (s: ArrearsRow | ArrearsSums, fmt: (v: ArrearsSums['principal']) => string) => [
  fmt(s.bucket1to30),
  fmt(s.bucket31to60),
  fmt(s.bucket61to90),
  fmt(s.bucketOver90),
  fmt(s.principal),
  fmt(s.penalty),
  fmt(s.credit),
  fmt(owed(s)),
];

const stallLabel = (r: ArrearsRow) => `${r.stallCode} (${r.stallKind}${r.stallBlock ? `, blok ${r.stallBlock}` : ''})`;

/** Draws the markets' sections as the rows stream by; returns each market's subtotal. */
async function drawMarkets(
  pdf: ReportPdf,
  markets: Market[],
  rows: AsyncGenerator<ArrearsRow>,
  asOf: string,
): Promise<Map<string, ArrearsSums>> {
  const sums = new Map<string, ArrearsSums>(markets.map((m) => [m.id, emptySums()]));
  try {
    await drawEach(pdf, markets, rows, asOf, sums);
  } finally {
    await rows.return(undefined); // ends the snapshot even when drawing failed half-way
  }
  return sums;
}

async function drawEach(
  pdf: ReportPdf,
  markets: Market[],
  rows: AsyncGenerator<ArrearsRow>,
  asOf: string,
  sums: Map<string, ArrearsSums>,
): Promise<void> {
  let next = await rows.next();
  for (const m of markets) {
    pdf.heading(`${m.name} (${m.code})`);
    if (next.done || next.value.marketId !== m.id) {
      pdf.text(`Tidak ada tunggakan per ${tanggal(asOf)}.`);
      continue;
    }
    // The heading is printed once; the column headings repeat on every page, so they carry the
    // market's code: a page in the middle of a long market still says whose stalls these are.
    const t: TableWriter = pdf.table(
      COLUMNS.map((c) => (c.header === 'Pedagang' ? { ...c, header: `Pedagang · ${m.code}` } : c)),
    );
    let no = 0;
    for (; !next.done && next.value.marketId === m.id; next = await rows.next()) {
      const r = next.value;
      t.row([angka(++no), stallLabel(r), r.traderName, ...amounts(r, rupiah)]);
      sums.set(m.id, addTo(sums.get(m.id)!, r));
    }
    t.row(['', 'JUMLAH', `${m.code} (${angka(no)} pedagang)`, ...amounts(sums.get(m.id)!, rupiah)], {
      bold: true,
      shade: true,
    });
    t.end();
  }
  // Rows and markets are both in market code order: a row left over would be a row not printed.
  if (!next.done) throw new Error(`arrears row of market ${next.value.marketCode} outside the report's markets`);
}

function drawRecap(pdf: ReportPdf, markets: Market[], sums: Map<string, ArrearsSums>): void {
  pdf.heading('Rekapitulasi per Pasar');
  const t = pdf.table([
    { header: 'No', width: 0.04, align: 'right' },
    { header: 'Pasar', width: 0.2 },
    { header: 'Pedagang', width: 0.08, align: 'right' },
    ...COLUMNS.slice(3),
  ]);
  let total = emptySums();
  markets.forEach((m, i) => {
    const s = sums.get(m.id)!;
    t.row([angka(i + 1), `${m.name} (${m.code})`, angka(s.rows), ...amounts(s, rupiah)]);
    total = addTo(total, s);
  });
  t.row(['', 'JUMLAH SELURUH PASAR', angka(total.rows), ...amounts(total, rupiah)], { bold: true, shade: true });
  t.end();
}

export const arrearsReport: ReportDefinition = {
  kind: 'arrears',
  code: 'DTG',
  title: 'DAFTAR TUNGGAKAN RETRIBUSI PASAR',
  // Eight amount columns of up to hundreds of millions of rupiah.
  layout: 'landscape',
  scope: 'market',
  needs: ['asOf'],
  streamed: true,

  async subtitle(deps, req) {
    const markets = await marketsOf(deps, req);
    const market = req.marketId ? `${markets[0].name} (${markets[0].code})` : `semua pasar (${markets.length})`;
    return [`Per tanggal: ${hariTanggal(req.asOf!)}`, `Pasar: ${market}`];
  },

  async covers(deps, req) {
    const s = await snapshot(deps, req);
    const money = (x: ArrearsSums) => ({
      principal: formatMoney(x.principal),
      penalty: formatMoney(x.penalty),
      credit: formatMoney(x.credit),
      total: formatMoney(owed(x)),
    });
    return {
      asOf: req.asOf,
      marketId: req.marketId ?? null,
      rows: s.totals.rows,
      ...money(s.totals),
      markets: s.byMarket.map((m) => ({ code: m.marketCode, rows: m.rows, ...money(m) })),
    };
  },

  async pdf(deps, req, pdf) {
    const s = await snapshot(deps, req);
    const markets = await marketsOf(deps, req);
    pdf.keyValues([
      ['Pedagang menunggak', `${angka(s.totals.rows)} (per tempat usaha)`],
      ['Pokok retribusi', rupiah(s.totals.principal)],
      ['Sanksi bunga', rupiah(s.totals.penalty)],
      ['Jumlah tunggakan', rupiah(owed(s.totals))],
    ]);
    const sums = await drawMarkets(pdf, markets, s.rows(), req.asOf!);
    drawRecap(pdf, markets, sums);
    pdf.text(
      `Umur tunggakan: hari sejak tanggal ketetapan (jatuh tempo) sampai ${tanggal(req.asOf!)}; pembayaran dihitung menurut tanggal ` +
        'transaksinya. Tunggakan tetap atas nama pedagang yang menempati tempat usaha pada tanggal ketetapan. Sanksi bunga: yang ' +
        `telah ditetapkan s.d. ${tanggal(req.asOf!)}. Jumlah = Pokok + Sanksi Bunga; Titipan (uang pedagang yang dibayar di muka ` +
        'atau lebih bayar pada tempat usaha itu) ditampilkan terpisah dan tidak mengurangi jumlah.',
      { size: 7.5 },
    );
  },

  columns: {
    per_tanggal: 'date',
    hari_1_30: 'money',
    hari_31_60: 'money',
    hari_61_90: 'money',
    lebih_90_hari: 'money',
    pokok: 'money',
    sanksi_bunga: 'money',
    titipan: 'money',
    jumlah: 'money',
    tertua: 'date',
    umur_hari: 'integer',
  },

  // One row per stall and trader (no subtotals, so a spreadsheet's SUM equals TOTAL).
  async csv(deps, req, write) {
    const s = await snapshot(deps, req);
    await write([
      'per_tanggal',
      'kode_pasar',
      'pasar',
      'kode_tempat',
      'jenis',
      'blok',
      'pedagang',
      'hari_1_30',
      'hari_31_60',
      'hari_61_90',
      'lebih_90_hari',
      'pokok',
      'sanksi_bunga',
      'titipan',
      'jumlah',
      'tertua',
      'umur_hari',
    ]);
    let total = emptySums();
    for await (const r of s.rows()) {
      await write([
        req.asOf!,
        r.marketCode,
        r.marketName,
        r.stallCode,
        r.stallKind,
        r.stallBlock ?? '',
        r.traderName,
        ...amounts(r, formatMoney),
        r.oldestUnpaidDate ?? '',
        r.maxDaysOverdue === null ? '' : String(r.maxDaysOverdue),
      ]);
      total = addTo(total, r);
    }
    await write(['TOTAL', '', '', '', '', '', String(total.rows), ...amounts(total, formatMoney), '', '']);
  },
};
