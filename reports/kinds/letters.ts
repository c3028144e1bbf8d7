// The demand letters of a market issued on one date, as one PDF to print and hand out: a
// recapitulation first (every letter with its totals, equal to the CSV's), then one letter per
// page. STRD: principal, the administrative sanction in interest, the amount due and its due
// date; surat teguran: the overdue principal and the last day to pay before an STRD follows.
// Letters are read in number order, a batch at a time, so a market of thousands stays small.
// The CSV, the office's working list, also says what of each letter is paid now and its status
// (belum_dibayar, dibayar_sebagian, lunas); the PDF is what the trader is sent, and does not.
import type { Deps } from '../../api/core/deps';
import { notFound } from '../../api/core/errors';
import { Decimal } from '../../api/core/money';
import * as letterService from '../../api/letters/letters.service';
import type { LetterKind } from '../../api/letters/letters.schemas';
import type { ReportDefinition, ReportRequest } from '../definition';
import type { Column, ReportPdf } from '../pdf/report-pdf';
import { bulanTahun, hariTanggal, rupiah, tanggal } from '../format';
import { money, regionInfo } from '../data/common';

const BATCH = 200;

interface Market {
  id: string;
  code: string;
  name: string;
}

interface Context {
  kind: LetterKind;
  regionName: string;
  market: Market;
  issuedOn: string;
}

async function context(deps: Deps, req: ReportRequest, kind: LetterKind): Promise<Context> {
  const region = await regionInfo(deps, req.regionId);
  const market = await letterService.regionMarket(deps, req.regionId, req.marketId as string);
  if (!market) throw notFound('market', { field: 'marketId' });
  return { kind, regionName: region.name, market, issuedOn: req.date as string };
}

async function totalsOf(deps: Deps, req: ReportRequest, c: Context): Promise<letterService.LetterTotals> {
  const t = await letterService.letterTotals(deps, req.regionId, c.market.id, c.kind, c.issuedOn);
  // Nothing to print is an answer, not an empty document with a number of its own.
  if (t.letters === 0) {
    throw notFound(`${c.kind === 'strd' ? 'STRD' : 'surat teguran'} of this market issued on ${c.issuedOn}`, {
      field: 'date',
      marketId: c.market.id,
      date: c.issuedOn,
    });
  }
  return t;
}

/** The market's letters of this kind and date in number order, a batch at a time. */
async function* batches(deps: Deps, req: ReportRequest, c: Context): AsyncGenerator<letterService.LetterRow[]> {
  let afterSeq = 0;
  for (;;) {
    const rows = await letterService.letterRows(deps, {
      regionId: req.regionId,
      marketId: c.market.id,
      kind: c.kind,
      issuedOn: c.issuedOn,
      afterSeq,
      limit: BATCH,
    });
    if (rows.length === 0) return;
    yield rows;
    afterSeq = Number(rows[rows.length - 1].seq);
  }
}

/** "1–5, 8, 10–12": the days of a month a letter covers, runs collapsed. */
export function dayRanges(days: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
    out.push(j > i ? `${days[i]}–${days[j]}` : String(days[i]));
    i = j + 1;
  }
  return out.join(', ');
}

const SATUAN = [
  '',
  'satu',
  'dua',
  'tiga',
  'empat',
  'lima',
  'enam',
  'tujuh',
  'delapan',
  'sembilan',
  'sepuluh',
  'sebelas',
];
const SKALA = ['', 'ribu', 'juta', 'miliar', 'triliun'];

function ratusan(n: number): string {
  if (n < 12) return SATUAN[n];
  if (n < 20) return `${SATUAN[n - 10]} belas`;
  if (n < 100) return `${SATUAN[Math.floor(n / 10)]} puluh ${SATUAN[n % 10]}`.trim();
  const head = n < 200 ? 'seratus' : `${SATUAN[Math.floor(n / 100)]} ratus`;
  return `${head} ${ratusan(n % 100)}`.trim();
}

/** An amount in words, as a bill spells it out: "Sebelas Ribu Seratus Rupiah". */
export function terbilang(v: string | Decimal): string {
  const d = new Decimal(v).abs();
  const whole = d.floor().toFixed(0);
  const cents = Number(d.minus(d.floor()).times(100).toFixed(0));
  const groups: number[] = [];
  for (let end = whole.length; end > 0; end -= 3) groups.unshift(Number(whole.slice(Math.max(0, end - 3), end)));
  const words = groups
    .map((g, i) => {
      const scale = SKALA[groups.length - 1 - i];
      if (g === 0) return '';
      if (g === 1 && scale === 'ribu') return 'seribu';
      return `${ratusan(g)} ${scale}`.trim();
    })
    .filter(Boolean)
    .join(' ');
  const text = `${words || 'nol'} rupiah${cents ? ` ${ratusan(cents)} sen` : ''}`;
  return text.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
}

/** Market names are mostly "Pasar Rejowinangun" already; a bare "Rejowinangun" gets the word. */
function pasar(name: string): string {
  return /^pasar\b/i.test(name) ? name : `Pasar ${name}`;
}

/** "Magelang, 20 Oktober 2026": the place a letter is dated at is the region's town. */
function datedAt(regionName: string, date: string): string {
  return `${regionName.replace(/^(Kota|Kabupaten|Kab\.)\s+/i, '')}, ${tanggal(date)}`;
}

// ---- the recapitulation ---------------------------------------------------------------

async function recapitulation(deps: Deps, req: ReportRequest, c: Context, pdf: ReportPdf): Promise<void> {
  const strd = c.kind === 'strd';
  // The letterhead's subtitle already names the market, the date and the numbers.
  pdf.heading(`Rekapitulasi ${strd ? 'STRD' : 'Surat Teguran'}`);
  const columns: Column[] = strd
    ? [
        { header: 'No', width: 0.04, align: 'right' },
        { header: 'Nomor STRD', width: 0.2 },
        { header: 'Pedagang', width: 0.19 },
        { header: 'Tempat Usaha', width: 0.11 },
        { header: 'Pokok', width: 0.12, align: 'right' },
        { header: 'Sanksi Bunga', width: 0.11, align: 'right' },
        { header: 'Jumlah', width: 0.13, align: 'right' },
        { header: 'Jatuh Tempo', width: 0.1, align: 'center' },
      ]
    : [
        { header: 'No', width: 0.05, align: 'right' },
        { header: 'Nomor Surat Teguran', width: 0.22 },
        { header: 'Pedagang', width: 0.25 },
        { header: 'Tempat Usaha', width: 0.16 },
        { header: 'Pokok', width: 0.16, align: 'right' },
        { header: 'Batas Bayar', width: 0.16, align: 'center' },
      ];
  const table = pdf.table(columns);
  let n = 0;
  const sum = { principal: new Decimal(0), penalty: new Decimal(0), total: new Decimal(0) };
  for await (const rows of batches(deps, req, c)) {
    for (const l of rows) {
      n++;
      sum.principal = sum.principal.plus(l.principal);
      sum.penalty = sum.penalty.plus(l.penalty);
      sum.total = sum.total.plus(l.total);
      const due = l.due_on.split('-').reverse().join('/');
      table.row(
        strd
          ? [
              String(n),
              l.number,
              l.trader_name,
              l.stalls.join(', '),
              rupiah(l.principal),
              rupiah(l.penalty),
              rupiah(l.total),
              due,
            ]
          : [String(n), l.number, l.trader_name, l.stalls.join(', '), rupiah(l.principal), due],
      );
    }
  }
  table.row(
    strd
      ? ['', 'JUMLAH', `${n} surat`, '', rupiah(sum.principal), rupiah(sum.penalty), rupiah(sum.total), '']
      : ['', 'JUMLAH', `${n} surat`, '', rupiah(sum.principal), ''],
    { bold: true, shade: true },
  );
  table.end();
}

// ---- one letter -----------------------------------------------------------------------

function addressee(pdf: ReportPdf, c: Context, l: letterService.LetterRow): void {
  pdf.text('Kepada Yth.');
  pdf.text(`Sdr. ${l.trader_name}`, { bold: true });
  pdf.text(`Pedagang ${pasar(c.market.name)}, tempat usaha ${l.stalls.join(', ')}`);
  if (l.trader_address) pdf.text(l.trader_address);
  pdf.text('di Tempat');
  pdf.space();
}

function stallDays(pdf: ReportPdf, c: Context, months: letterService.MonthRow[]): void {
  const strd = c.kind === 'strd';
  const table = pdf.table(
    strd
      ? [
          { header: 'Tempat Usaha', width: 0.14 },
          { header: 'Bulan', width: 0.16 },
          { header: 'Tanggal', width: 0.3 },
          { header: 'Hari', width: 0.08, align: 'right' },
          { header: 'Pokok', width: 0.16, align: 'right' },
          { header: 'Bunga', width: 0.16, align: 'right' },
        ]
      : [
          { header: 'Tempat Usaha', width: 0.16 },
          { header: 'Bulan', width: 0.18 },
          { header: 'Tanggal', width: 0.4 },
          { header: 'Hari', width: 0.08, align: 'right' },
          { header: 'Pokok', width: 0.18, align: 'right' },
        ],
  );
  let days = 0;
  let principal = new Decimal(0);
  let penalty = new Decimal(0);
  for (const m of months) {
    days += m.days;
    principal = principal.plus(m.principal);
    penalty = penalty.plus(m.penalty);
    const cells = [m.stall_code, bulanTahun(m.month), dayRanges(m.day_numbers), String(m.days), rupiah(m.principal)];
    table.row(strd ? [...cells, rupiah(m.penalty)] : cells);
  }
  const total = ['JUMLAH', '', '', String(days), rupiah(principal)];
  table.row(strd ? [...total, rupiah(penalty)] : total, { bold: true, shade: true });
  table.end();
}

function signature(pdf: ReportPdf, c: Context, l: letterService.LetterRow): void {
  pdf.space(1.5);
  pdf.text(datedAt(c.regionName, l.issued_on), { align: 'right' });
  if (c.kind === 'strd') pdf.text('a.n. Kepala Badan Pendapatan Daerah', { align: 'right' });
  pdf.text(`Kepala ${pasar(c.market.name)},`, { align: 'right' });
  pdf.space(3.5);
  pdf.text('( ........................................ )', { align: 'right' });
  pdf.text('NIP. ........................................', { align: 'right' });
}

function warningsText(warnings: letterService.WarnedByRow[]): string {
  const each = warnings.map((w) => `Nomor ${w.number} tanggal ${tanggal(w.issued_on)}`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} dan ${each[each.length - 1]}` : (each[0] ?? '');
}

function strdLetter(
  pdf: ReportPdf,
  c: Context,
  l: letterService.LetterRow,
  months: letterService.MonthRow[],
  warnings: letterService.WarnedByRow[],
): void {
  pdf.text('SURAT TAGIHAN RETRIBUSI DAERAH (STRD)', { bold: true, size: 11, align: 'center' });
  pdf.text('RETRIBUSI PELAYANAN PASAR', { bold: true, align: 'center' });
  pdf.space(0.5);
  pdf.keyValues([
    ['Nomor', l.number],
    ['Tanggal', tanggal(l.issued_on)],
    ['Perihal', 'Tagihan retribusi pelayanan pasar yang terutang'],
  ]);
  pdf.space(0.5);
  addressee(pdf, c, l);
  pdf.text(
    `Berdasarkan Peraturan Daerah ${c.regionName} tentang Pajak Daerah dan Retribusi Daerah, retribusi pelayanan pasar ` +
      `yang terutang atas tempat usaha Saudara di ${pasar(c.market.name)} belum dibayar sampai dengan tanggal ${tanggal(l.issued_on)}` +
      (warnings.length ? `, walaupun telah diberikan Surat Teguran ${warningsText(warnings)}` : '') +
      '. Dengan Surat Tagihan Retribusi Daerah (STRD) ini ditagih retribusi yang terutang beserta sanksi administratif ' +
      'berupa bunga, dengan rincian sebagai berikut:',
  );
  pdf.space(0.5);
  stallDays(pdf, c, months);
  pdf.keyValues([
    ['Pokok retribusi terutang', rupiah(l.principal)],
    ['Sanksi administratif berupa bunga', rupiah(l.penalty)],
    ['Jumlah yang harus dibayar', rupiah(l.total)],
    ['Terbilang', terbilang(l.total)],
    ['Jatuh tempo pembayaran', tanggal(l.due_on)],
  ]);
  pdf.space(0.5);
  pdf.text(
    `Jumlah tersebut agar dibayar lunas paling lambat tanggal ${tanggal(l.due_on)} melalui petugas pemungut retribusi ` +
      `${pasar(c.market.name)} atau tempat pembayaran lain yang ditetapkan. Apabila sampai dengan tanggal jatuh tempo ` +
      'tagihan ini belum dilunasi, sanksi administratif berupa bunga tetap dikenakan untuk setiap bulan keterlambatan ' +
      'sesuai Peraturan Daerah, dan retribusi yang terutang ditagih sesuai ketentuan peraturan perundang-undangan.',
  );
  pdf.space(0.4);
  pdf.text(
    'Apabila tagihan ini telah Saudara lunasi, mohon surat ini diabaikan dan bukti bayar (e-karcis) ditunjukkan kepada petugas.',
  );
  signature(pdf, c, l);
}

function warningLetter(pdf: ReportPdf, c: Context, l: letterService.LetterRow, months: letterService.MonthRow[]): void {
  pdf.text('SURAT TEGURAN', { bold: true, size: 11, align: 'center' });
  pdf.text('RETRIBUSI PELAYANAN PASAR', { bold: true, align: 'center' });
  pdf.space(0.5);
  pdf.keyValues([
    ['Nomor', l.number],
    ['Tanggal', tanggal(l.issued_on)],
    ['Perihal', 'Teguran pembayaran retribusi pelayanan pasar'],
  ]);
  pdf.space(0.5);
  addressee(pdf, c, l);
  pdf.text(
    `Menurut catatan kami, retribusi pelayanan pasar atas tempat usaha Saudara di ${pasar(c.market.name)} untuk hari pasar ` +
      `berikut telah melewati tanggal jatuh tempo dan belum dibayar sampai dengan tanggal ${tanggal(l.issued_on)}:`,
  );
  pdf.space(0.5);
  stallDays(pdf, c, months);
  pdf.keyValues([
    ['Jumlah retribusi terutang', rupiah(l.principal)],
    ['Terbilang', terbilang(l.principal)],
    ['Batas waktu pembayaran', tanggal(l.due_on)],
  ]);
  pdf.space(0.5);
  pdf.text(
    `Sehubungan dengan hal tersebut, Saudara diminta melunasi retribusi yang terutang paling lambat tanggal ${tanggal(l.due_on)}. ` +
      'Apabila sampai dengan batas waktu tersebut belum dilunasi, akan diterbitkan Surat Tagihan Retribusi Daerah (STRD) ' +
      `beserta sanksi administratif berupa bunga sesuai Peraturan Daerah ${c.regionName}.`,
  );
  pdf.space(0.4);
  pdf.text('Apabila retribusi tersebut telah Saudara lunasi, mohon surat teguran ini diabaikan.');
  signature(pdf, c, l);
}

async function letters(deps: Deps, req: ReportRequest, c: Context, pdf: ReportPdf): Promise<void> {
  for await (const rows of batches(deps, req, c)) {
    const ids = rows.map((l) => l.id);
    const [months, warnings] = await Promise.all([
      letterService.letterMonths(deps, req.regionId, ids),
      c.kind === 'strd' ? letterService.warningsOf(deps, req.regionId, ids) : Promise.resolve([]),
    ]);
    for (const l of rows) {
      pdf.pageBreak();
      const mine = months.filter((m) => m.letter_id === l.id);
      if (c.kind === 'strd')
        strdLetter(
          pdf,
          c,
          l,
          mine,
          warnings.filter((w) => w.letter_id === l.id),
        );
      else warningLetter(pdf, c, l, mine);
    }
  }
}

// ---- the definitions ------------------------------------------------------------------

/** A letter's status as the CSV writes it: a code a spreadsheet can filter on. */
export const CSV_STATUS: Record<letterService.LetterStatus, string> = {
  open: 'belum_dibayar',
  'partly-paid': 'dibayar_sebagian',
  paid: 'lunas',
};

/** The CSV's columns: the office's working list, so also what of each letter is paid now. */
const CSV_HEADER = [
  'Nomor',
  'Pedagang',
  'Tempat Usaha',
  'Pokok',
  'Sanksi Bunga',
  'Jumlah',
  'Jatuh Tempo',
  'Dibayar',
  'Sisa',
  'Status',
];

/** One letter's line of the CSV, under CSV_HEADER. */
function csvLine(l: letterService.LetterRow): string[] {
  return [
    l.number,
    l.trader_name,
    l.stalls.join(', '),
    money(l.principal),
    money(l.penalty),
    money(l.total),
    l.due_on,
    money(l.paid),
    money(l.outstanding),
    CSV_STATUS[l.status],
  ];
}

/** The subtitle's first lines: the market and the date the letters were issued. */
function marketLines(c: Context): string[] {
  return [`${pasar(c.market.name)} (${c.market.code})`, `Tanggal terbit: ${hariTanggal(c.issuedOn)}`];
}

/** What the covers say first: the report, the market and the date the letters were issued. */
function marketCovers(kind: string, c: Context) {
  return {
    kind,
    marketId: c.market.id,
    marketCode: c.market.code,
    marketName: c.market.name,
    issuedOn: c.issuedOn,
  };
}

function lettersReport(kind: LetterKind, meta: Pick<ReportDefinition, 'kind' | 'code' | 'title'>): ReportDefinition {
  return {
    ...meta,
    layout: 'portrait',
    scope: 'market',
    needs: ['marketId', 'date'],
    // A whole market's letters can run to thousands of pages: drawn as they are read.
    streamed: true,
    subtitle: async (deps, req) => {
      const c = await context(deps, req, kind);
      const t = await totalsOf(deps, req, c);
      return [...marketLines(c), `${t.letters} surat, Nomor ${t.first_number} s.d. ${t.last_number}`];
    },
    covers: async (deps, req) => {
      const c = await context(deps, req, kind);
      const t = await totalsOf(deps, req, c);
      return {
        ...marketCovers(meta.kind, c),
        letters: t.letters,
        firstNumber: t.first_number,
        lastNumber: t.last_number,
        principal: money(t.principal),
        penalty: money(t.penalty),
        total: money(t.total),
      };
    },
    pdf: async (deps, req, pdf) => {
      const c = await context(deps, req, kind);
      await recapitulation(deps, req, c, pdf);
      await letters(deps, req, c, pdf);
    },
    columns: {
      Pokok: 'money',
      'Sanksi Bunga': 'money',
      Jumlah: 'money',
      'Jatuh Tempo': 'date',
      Dibayar: 'money',
      Sisa: 'money',
    },
    // The CSV is the office's working list, so it also says what of each letter is paid now
    // (Dibayar, Sisa) and its status; the PDF is the letter as sent to the trader and does not.
    csv: async (deps, req, write) => {
      const c = await context(deps, req, kind);
      await write(CSV_HEADER);
      const sum = {
        principal: new Decimal(0),
        penalty: new Decimal(0),
        total: new Decimal(0),
        paid: new Decimal(0),
        outstanding: new Decimal(0),
      };
      for await (const rows of batches(deps, req, c)) {
        for (const l of rows) {
          sum.principal = sum.principal.plus(l.principal);
          sum.penalty = sum.penalty.plus(l.penalty);
          sum.total = sum.total.plus(l.total);
          sum.paid = sum.paid.plus(l.paid);
          sum.outstanding = sum.outstanding.plus(l.outstanding);
          await write(csvLine(l));
        }
      }
      await write([
        'TOTAL',
        '',
        '',
        money(sum.principal),
        money(sum.penalty),
        money(sum.total),
        '',
        money(sum.paid),
        money(sum.outstanding),
        '',
      ]);
    },
  };
}

export const strdReport = lettersReport('strd', {
  kind: 'strd',
  code: 'STRD',
  title: 'SURAT TAGIHAN RETRIBUSI DAERAH (STRD)',
});
export const warningLettersReport = lettersReport('warning', {
  kind: 'warning-letters',
  code: 'STG',
  title: 'SURAT TEGURAN',
});

// ---- one letter, printed alone ---------------------------------------------------------

/** The letter asked for, of this kind in the request's market and date; 404 otherwise. */
async function theLetter(
  deps: Deps,
  req: ReportRequest,
  c: Context,
  letterId: string,
): Promise<letterService.LetterRow> {
  const [l] = await letterService.letterRows(deps, {
    regionId: req.regionId,
    marketId: c.market.id,
    kind: c.kind,
    issuedOn: c.issuedOn,
    letterId,
    limit: 1,
  });
  if (!l) throw notFound('letter', { field: 'letterId' });
  return l;
}

/**
 * One trader's letter as its own document (the "Cetak" beside a letter): the same kind, number
 * series and letter page as the day's bundle, without the recapitulation and the other letters.
 * Its covers name the letter, so its register entry says which letter it is.
 */
export function oneLetterReport(kind: LetterKind, letterId: string): ReportDefinition {
  const base = kind === 'strd' ? strdReport : warningLettersReport;
  return {
    ...base,
    streamed: false,
    subtitle: async (deps, req) => {
      const c = await context(deps, req, kind);
      const l = await theLetter(deps, req, c, letterId);
      return [...marketLines(c), `Nomor ${l.number}`];
    },
    covers: async (deps, req) => {
      const c = await context(deps, req, kind);
      const l = await theLetter(deps, req, c, letterId);
      return {
        ...marketCovers(base.kind, c),
        letterId: l.id,
        letters: 1,
        firstNumber: l.number,
        lastNumber: l.number,
        principal: money(l.principal),
        penalty: money(l.penalty),
        total: money(l.total),
      };
    },
    pdf: async (deps, req, pdf) => {
      const c = await context(deps, req, kind);
      const l = await theLetter(deps, req, c, letterId);
      const [months, warnings] = await Promise.all([
        letterService.letterMonths(deps, req.regionId, [l.id]),
        kind === 'strd' ? letterService.warningsOf(deps, req.regionId, [l.id]) : Promise.resolve([]),
      ]);
      if (kind === 'strd') strdLetter(pdf, c, l, months, warnings);
      else warningLetter(pdf, c, l, months);
    },
    csv: async (deps, req, write) => {
      const c = await context(deps, req, kind);
      const l = await theLetter(deps, req, c, letterId);
      await write(CSV_HEADER);
      await write(csvLine(l));
    },
  };
}
