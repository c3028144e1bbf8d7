// LAPORAN REKONSILIASI HARIAN: a region's business date as its last reconciliation left it. Per
// bank and channel, the ledger against the bank's settlement file against the treasury statement,
// with MDR and what is still awaited; then the exceptions still true, open first, with how each
// was resolved. The figures are reports/data/daily-reconciliation.ts (a date never reconciled is
// refused there with a 409 before a byte is written); this file lays them out.
import type { Deps } from '../../api/core/deps';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column } from '../pdf/report-pdf';
import { angka, hariTanggal, rupiah, waktuLokal } from '../format';
import { bankName, CHANNEL_NAME, EXCEPTION_NAME, EXCEPTION_STATUS, RESOLUTION_NAME } from '../../api/core/glossary';
import { dailyReconciliation, type DailyReconciliation } from '../data/daily-reconciliation';

/** "18/11/2026": short enough for a narrow column. */
const tanggalPendek = (date: string) => date.split('-').reverse().join('/');

// The words are the glossary's (api/core/glossary.ts): selisih, setelmen, the banks by name.
const STATUS: Record<DailyReconciliation['status'], string> = {
  closed: 'SELESAI — semua transaksi cocok, tidak ada selisih terbuka',
  awaiting: 'MENUNGGU — belum semua berkas bank diterima',
  open: 'TERBUKA — ada selisih yang belum diselesaikan',
};

const loaded = new WeakMap<ReportRequest, Promise<DailyReconciliation>>();
function data(deps: Deps, req: ReportRequest): Promise<DailyReconciliation> {
  let p = loaded.get(req);
  if (!p) loaded.set(req, (p = dailyReconciliation(deps, req.regionId, req.date!)));
  return p;
}

const SUMMARY: Column[] = [
  { header: 'Bank', width: 0.1 },
  { header: 'Kanal', width: 0.055 },
  { header: 'Jatuh Tempo Setelmen', width: 0.06 },
  { header: 'Buku Besar (trx)', width: 0.045, align: 'right' },
  { header: 'Buku Besar (Rp)', width: 0.085, align: 'right' },
  { header: 'Cocok (trx)', width: 0.045, align: 'right' },
  { header: 'Cocok (Rp)', width: 0.085, align: 'right' },
  { header: 'Menunggu (trx)', width: 0.055, align: 'right' },
  { header: 'Menunggu (Rp)', width: 0.075, align: 'right' },
  { header: 'Berkas Bank (baris)', width: 0.045, align: 'right' },
  { header: 'Berkas Bank: Bruto', width: 0.085, align: 'right' },
  { header: 'MDR', width: 0.075, align: 'right' },
  { header: 'Berkas Bank: Neto', width: 0.095, align: 'right' },
  { header: 'Masuk Rekening Kas', width: 0.095, align: 'right' },
];

type Figures = Pick<DailyReconciliation['totals'], 'ledger' | 'settled' | 'awaiting' | 'bank' | 'statementCredited'>;

/** The cells after bank, channel and due date: formatted for the page, plain for the CSV. */
function figures(f: Figures, count: (n: number) => string, amount: (a: string) => string): string[] {
  return [
    count(f.ledger.count),
    amount(f.ledger.amount),
    count(f.settled.count),
    amount(f.settled.amount),
    count(f.awaiting.count),
    amount(f.awaiting.amount),
    count(f.bank.lines),
    amount(f.bank.gross),
    amount(f.bank.mdr),
    amount(f.bank.net),
    amount(f.statementCredited),
  ];
}

function drawExceptions(pdf: Parameters<ReportDefinition['pdf']>[2], d: DailyReconciliation): void {
  pdf.heading(`Daftar Selisih (${d.exceptionCounts.open} terbuka, ${d.exceptionCounts.resolved} diselesaikan)`);
  if (d.exceptions.length === 0) {
    pdf.text('Tidak ada selisih.');
    return;
  }
  const names = new Map(d.acquirers.map((a) => [a.acquirerCode, a.acquirerName]));
  const t = pdf.table([
    { header: 'No', width: 0.03, align: 'right' },
    { header: 'Jenis', width: 0.2 },
    { header: 'Bank', width: 0.09 },
    { header: 'Referensi (RRN / Batch)', width: 0.09 },
    { header: 'Terminal', width: 0.07 },
    { header: 'Nilai Buku Besar', width: 0.08, align: 'right' },
    { header: 'Nilai Bank', width: 0.08, align: 'right' },
    { header: 'Selisih', width: 0.07, align: 'right' },
    { header: 'Status', width: 0.08 },
    { header: 'Penyelesaian', width: 0.21 },
  ]);
  const amount = (a: string | null) => (a === null ? '—' : rupiah(a));
  d.exceptions.forEach((e, i) => {
    t.row(
      [
        String(i + 1),
        EXCEPTION_NAME[e.kind] ?? e.kind,
        bankName(e.acquirerCode, e.acquirerCode ? names.get(e.acquirerCode) : undefined),
        e.reference ?? '—',
        e.terminalId ?? '—',
        amount(e.ledgerAmount),
        amount(e.bankAmount),
        amount(e.difference),
        EXCEPTION_STATUS[e.status] ?? e.status,
        e.status === 'open'
          ? ''
          : [RESOLUTION_NAME[e.resolution ?? ''] ?? e.resolution, e.note].filter(Boolean).join(': '),
      ],
      { shade: e.status === 'open' },
    );
  });
  t.end();
}

export const dailyReconciliationReport: ReportDefinition = {
  kind: 'daily-reconciliation',
  code: 'LRH',
  title: 'LAPORAN REKONSILIASI HARIAN',
  layout: 'landscape',
  scope: 'region',
  needs: ['date'],

  async subtitle(deps, req) {
    const d = await data(deps, req);
    return [
      `Tanggal transaksi: ${hariTanggal(d.date)}`,
      `Rekonsiliasi terakhir: ${waktuLokal(d.lastRunAt, d.region.timeZone)} (${d.runs}× dijalankan)`,
    ];
  },

  async covers(deps, req) {
    const d = await data(deps, req);
    return {
      date: d.date,
      status: d.status,
      reconciledAt: new Date(d.lastRunAt).toISOString(),
      ledger: d.totals.ledger,
      settled: d.totals.settled,
      mdr: d.totals.bank.mdr,
      statementCredited: d.totals.statementCredited,
      exceptions: d.exceptionCounts,
    };
  },

  async pdf(deps, req, pdf) {
    const d = await data(deps, req);
    pdf.keyValues([
      ['Status', STATUS[d.status]],
      [
        'Buku besar',
        `${rupiah(d.totals.ledger.amount)} (${angka(d.totals.ledger.count)} transaksi kartu dan QRIS, tanpa yang dibatalkan)`,
      ],
      ['Cocok dengan setelmen bank', `${rupiah(d.totals.settled.amount)} (${angka(d.totals.settled.count)} transaksi)`],
      ['Masuk rekening kas daerah', rupiah(d.totals.statementCredited)],
    ]);
    pdf.heading('Ringkasan per Bank dan Kanal');
    const t = pdf.table(SUMMARY);
    for (const a of d.acquirers) {
      t.row([
        bankName(a.acquirerCode, a.acquirerName),
        CHANNEL_NAME[a.channel] ?? a.channel,
        tanggalPendek(a.dueBy),
        ...figures(a, angka, rupiah),
      ]);
    }
    t.row(['JUMLAH', '', '', ...figures(d.totals, angka, rupiah)], { bold: true, shade: true });
    t.end();
    pdf.text(
      'Buku besar: pembayaran kartu dan QRIS pada tanggal transaksi, tanpa yang dibatalkan. Cocok: yang dicocokkan dengan ' +
        'berkas setelmen bank. Menunggu: belum disetelmen dan masih dalam jangka waktu setelmen bank. Masuk rekening kas: kredit ' +
        'rekening koran untuk batch yang dimulai pada tanggal ini.',
      { size: 7.5 },
    );
    drawExceptions(pdf, d);
  },

  columns: {
    tanggal: 'date',
    jatuh_tempo: 'date',
    buku_besar_trx: 'integer',
    buku_besar_nominal: 'money',
    disettle_trx: 'integer',
    disettle_nominal: 'money',
    menunggu_trx: 'integer',
    menunggu_nominal: 'money',
    file_bank_baris: 'integer',
    file_bank_bruto: 'money',
    mdr: 'money',
    file_bank_neto: 'money',
    masuk_rekening_kas: 'money',
  },

  async csv(deps, req, write) {
    const d = await data(deps, req);
    await write([
      'tanggal',
      'kode_bank',
      'bank',
      'kanal',
      'jatuh_tempo',
      'buku_besar_trx',
      'buku_besar_nominal',
      'disettle_trx',
      'disettle_nominal',
      'menunggu_trx',
      'menunggu_nominal',
      'file_bank_baris',
      'file_bank_bruto',
      'mdr',
      'file_bank_neto',
      'masuk_rekening_kas',
    ]);
    for (const a of d.acquirers)
      await write([d.date, a.acquirerCode, a.acquirerName, a.channel, a.dueBy, ...figures(a, String, String)]);
    await write(['TOTAL', '', '', '', '', ...figures(d.totals, String, String)]);
  },
};
