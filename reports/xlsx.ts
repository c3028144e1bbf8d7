// A report as an Excel workbook (.xlsx, SheetJS): sheet "Data" holds exactly the CSV's rows (the
// header, one row per line, the TOTAL row), each cell typed by its column's declared type
// (ReportDefinition.columns): money as a number shown #,##0.00, counts as whole numbers, dates
// as Excel dates, percentages as the number the CSV has shown with a % sign, codes and names as
// text. Excel in Indonesian settings then shows 1.234.567,50 and 23/11/2026 and sums the columns,
// where the comma-separated CSV opens as one column of text. Sheet "Keterangan" says what the
// data covers. The workbook is data, like the CSV: the numbered, registered document is the PDF.
//
// SheetJS writes a workbook whole (no streaming), so the rows are held as cell objects (dense
// sheet, a repeated cell shared) until it is written. The largest, the Daftar Tunggakan of
// 50,000 stalls (50,001 rows, 8 MB), took 6-10 s and a peak of about 390 MB for the whole process
// (145 MB of it the process at rest; its CSV peaks at 217 MB), measured in a process of its own.
// A string cell is never a formula in a workbook, so no cell needs csvCell's quote.
import * as XLSX from '@e965/xlsx';
import { isValidDate } from '../api/core/time';
import type { Deps } from '../api/core/deps';
import type { ColumnType, ReportDefinition, ReportRequest } from './definition';
import { regionOf } from './document';
import { waktuLokal } from './format';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's day 0 (1899-12-30, so that its 1900 leap-year slip is behind every date we write). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const PLAIN = /^-?\d+(\.\d+)?$/;
const WHOLE = /^-?\d+$/;

const FORMAT: Record<Exclude<ColumnType, 'text'>, string> = {
  money: '#,##0.00',
  integer: '#,##0',
  date: 'dd/mm/yyyy',
  percent: '0.00"%"',
};

/** A number cell only when the number is exactly the text: up to 15 significant digits, which a
 * spreadsheet's double holds exactly (money beyond that stays text rather than change). Counted
 * on the text, without a Decimal per cell: a 50,000-row report has 400,000 amounts. */
function numberCell(text: string, z: string): XLSX.CellObject | undefined {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 15) return undefined;
  return { t: 'n', v: Number(text), z };
}

/** One CSV cell as its column's type; a cell that is not of that type (TOTAL, —) as text. */
export function typedCell(type: ColumnType, text: string): XLSX.CellObject | undefined {
  if (text === '') return undefined;
  let cell: XLSX.CellObject | undefined;
  if ((type === 'money' || type === 'percent') && PLAIN.test(text)) cell = numberCell(text, FORMAT[type]);
  else if (type === 'integer' && WHOLE.test(text)) cell = numberCell(text, FORMAT.integer);
  else if (type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text) && isValidDate(text)) {
    const [y, m, d] = text.split('-').map(Number);
    cell = { t: 'n', v: (Date.UTC(y, m - 1, d) - EXCEL_EPOCH) / 86_400_000, z: FORMAT.date };
  }
  return cell ?? { t: 's', v: text };
}

/** Rows handed to SheetJS a batch at a time, so the array of a batch is all that is held twice. */
const BATCH = 1000;

export interface XlsxReport {
  bytes: Buffer;
  /** data rows, without the header (the TOTAL row included, as in the CSV) */
  rows: number;
}

// The big reports (those the PDF streams: a region's arrears, a market's letters) are built one
// at a time in a process, so two at once never hold two workbooks: the next one waits its turn.
let bigTurn: Promise<unknown> = Promise.resolve();

/** The report's CSV rows as a workbook. The same refusals as the PDF and the CSV, before any row. */
export function writeXlsx(deps: Deps, def: ReportDefinition, req: ReportRequest): Promise<XlsxReport> {
  if (!def.streamed) return buildXlsx(deps, def, req);
  const mine = bigTurn.then(() => buildXlsx(deps, def, req));
  bigTurn = mine.catch(() => undefined);
  return mine;
}

async function buildXlsx(deps: Deps, def: ReportDefinition, req: ReportRequest): Promise<XlsxReport> {
  const region = await regionOf(deps, req.regionId);
  const [subtitle] = await Promise.all([def.subtitle(deps, req), def.covers(deps, req)]);
  const madeAt = deps.clock.now();

  const data: XLSX.WorkSheet = XLSX.utils.aoa_to_sheet([], { dense: true });
  let types: ColumnType[] | undefined;
  let widths: number[] = [];
  let batch: (XLSX.CellObject | undefined)[][] = [];
  let rows = -1;
  const above: { text: string; cell: XLSX.CellObject | undefined }[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    XLSX.utils.sheet_add_aoa(data, batch, { origin: rows - batch.length + 1 });
    batch = [];
  };
  await def.csv(deps, req, async (cells) => {
    if (!types) {
      types = cells.map((h) => def.columns?.[h] ?? 'text');
      widths = cells.map((h) => h.length);
    }
    // A column's cell repeating the one above (the date, the market, a zero amount) is the same
    // object: SheetJS only reads cells, and 50,000 rows hold far fewer distinct ones.
    const row = cells.map((c, i) => {
      if (rows >= 0 && above[i]?.text === c) return above[i].cell;
      const cell = typedCell(rows < 0 ? 'text' : (types![i] ?? 'text'), c);
      if (rows >= 0) above[i] = { text: c, cell };
      return cell;
    });
    cells.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.min(c.length, 60));
    });
    batch.push(row);
    rows++;
    if (batch.length >= BATCH) flush();
  });
  flush();
  const columns = widths.length;
  if (columns > 0) {
    // Dates and money show wider than their CSV text ("1.234.567,00", "23/11/2026").
    data['!cols'] = widths.map((w, i) => ({ wch: Math.max(w, types?.[i] === 'text' ? 0 : 12) + 2 }));
    data['!autofilter'] = {
      ref: XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(rows, 0), c: columns - 1 } }),
    };
  }

  const about = XLSX.utils.aoa_to_sheet([
    [def.title],
    [`Pemerintah ${region.name}`],
    ...subtitle.map((line) => [line]),
    [],
    ['Dibuat', waktuLokal(madeAt, region.time_zone)],
    ['Baris data', { t: 'n', v: Math.max(rows, 0), z: FORMAT.integer }],
    [
      'Catatan',
      'Baris dan jumlah sama dengan berkas CSV laporan ini (baris TOTAL terakhir). Dokumen resmi yang bernomor dan dapat ' +
        'diperiksa keasliannya adalah PDF laporan ini.',
    ],
  ]);
  about['!cols'] = [{ wch: 14 }, { wch: 90 }];

  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, data, 'Data');
  XLSX.utils.book_append_sheet(wb, about, 'Keterangan');
  wb.Props = {
    Title: `${def.title} — ${region.name}`,
    Author: `e-Retribusi Pasar ${region.name}`,
    CreatedDate: madeAt,
  };
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  return { bytes, rows: Math.max(rows, 0) };
}
