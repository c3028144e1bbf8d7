// An Excel workbook (xlsx, or BIFF8 xls) as the CSV text the settlement parsers read, one line
// per sheet row, so that a line's number is the row Excel shows. Read by SheetJS (@e965/xlsx, the
// fixed 0.20.3 release) after workbook-container.ts has bounded what the bytes may cost.
//
// What a cell becomes:
// - text as it is held, padding and Excel's ' markers included (Mandiri writes the text '014177'
//   with the apostrophes in it: the parsers' cleanCell takes them off, as for the CSV export);
// - a number as its digits, never an exponent and at most 15 significant digits, Excel's own
//   precision (349.49999999999994 is the 349.5 Excel shows). A date is a number in a workbook:
//   it becomes its day serial (43973), which is what the Mandiri parser reads;
// - a formula as its cached value: nothing is ever evaluated; booleans TRUE/FALSE; errors #N/A.
// Every row is as wide as the sheet's widest (as Excel's own CSV export writes it), so a row
// whose last cells are empty is not taken for a cut one.
import * as XLSX from '@e965/xlsx';
import Decimal from 'decimal.js';
import {
  type WorkbookKind,
  type WorkbookLimits,
  WORKBOOK_LIMITS,
  WorkbookRefusal,
  checkXls,
  checkXlsx,
  tooManyCells,
  workbookKind,
} from './workbook-container';

export { type WorkbookKind, WORKBOOK_LIMITS, WorkbookRefusal, workbookKind } from './workbook-container';

export interface WorkbookSheet {
  name: string;
  hidden: boolean;
  /** The sheet's first rows as text, for telling its layout */
  head(rows: number): string;
  /** The whole sheet as text */
  text(): SheetText;
}

export interface SheetText {
  sheet: string;
  text: string;
  /** The 1-based sheet row of each line of text (index line - 1); a cell holding a line break
   * makes one row two lines */
  rowOfLine: number[];
  /** The rendered cells of a 1-based sheet row */
  cells(row: number): string[];
}

export interface ReadWorkbookOptions {
  limits?: WorkbookLimits;
  /** ',' renders numbers with a decimal comma, for a mapping that reads them so */
  decimalSeparator?: '.' | ',';
}

/** Reads the workbook's sheets; throws WorkbookRefusal for a file cut short, damaged, encrypted
 * or beyond the limits. */
export function readWorkbook(
  bytes: Buffer,
  opts: ReadWorkbookOptions = {},
): { kind: WorkbookKind; sheets: WorkbookSheet[] } {
  const limits = opts.limits ?? WORKBOOK_LIMITS;
  const kind = workbookKind(bytes);
  if (!kind) throw new WorkbookRefusal('not an Excel workbook (xlsx or xls)');
  if (bytes.length > limits.maxBytes) {
    throw new WorkbookRefusal(
      `the workbook is ${Math.ceil(bytes.length / 1024 / 1024)} MiB, more than the ${limits.maxBytes / 1024 / 1024} MiB a workbook may be: export the report as CSV instead`,
    );
  }
  if (kind === 'xlsx') checkXlsx(bytes, limits);
  else checkXls(bytes);
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, {
      type: 'buffer',
      dense: true,
      cellFormula: false,
      cellHTML: false,
      cellNF: false,
      cellStyles: false,
      cellText: false,
      cellDates: false,
      bookVBA: false,
      bookDeps: false,
      bookFiles: false,
      sheetStubs: false,
      WTF: false,
    });
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (/password|encrypt/i.test(message))
      throw new WorkbookRefusal(`the ${kind} is protected by a password: save it without one`);
    throw new WorkbookRefusal(`the ${kind} file is cut short or damaged: ${message}`);
  }
  const names = wb.SheetNames ?? [];
  const hidden = (i: number) => Boolean(wb.Workbook?.Sheets?.[i]?.Hidden);
  const render = (n: number) => (n === 0 ? '0' : new Decimal(n).toSignificantDigits(15).toFixed());
  const number = opts.decimalSeparator === ',' ? (n: number) => render(n).replace('.', ',') : render;
  let cellsSeen = 0;
  return {
    kind,
    sheets: names.map((name, i) => {
      const ws = wb.Sheets[name];
      let rows: string[][] | undefined;
      const all = () => {
        if (!rows) {
          rows = sheetRows(ws, number);
          cellsSeen += rows.length * widthOf(rows);
          if (cellsSeen > limits.maxCells) throw new WorkbookRefusal(tooManyCells(cellsSeen, limits));
        }
        return rows;
      };
      return {
        name,
        hidden: hidden(i),
        head: (n: number) => renderText(sheetRows(ws, number, n), name).text,
        text: () => renderText(all(), name),
      };
    }),
  };
}

type Cell = { t?: string; v?: unknown; w?: string } | undefined;

/** The rendered cells of each row, row 1 first, up to the last row with anything in it. */
function sheetRows(ws: XLSX.WorkSheet | undefined, number: (n: number) => string, limit = Infinity): string[][] {
  const data = ((ws as { '!data'?: Cell[][] } | undefined)?.['!data'] ?? []) as (Cell[] | undefined)[];
  const rows: string[][] = [];
  let last = 0;
  const n = Math.min(data.length, limit);
  for (let r = 0; r < n; r++) {
    const row = data[r];
    const cells: string[] = [];
    if (row) for (let c = 0; c < row.length; c++) cells[c] = cellText(row[c], number);
    for (let c = 0; c < cells.length; c++) if (cells[c] === undefined) cells[c] = '';
    rows.push(cells);
    if (cells.some((v) => v !== '')) last = r + 1;
  }
  return rows.slice(0, last);
}

const ERRORS: Record<number, string> = {
  0: '#NULL!',
  7: '#DIV/0!',
  15: '#VALUE!',
  23: '#REF!',
  29: '#NAME?',
  36: '#NUM!',
  42: '#N/A',
  43: '#GETTING_DATA',
};

function cellText(cell: Cell, number: (n: number) => string): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n':
      return typeof cell.v === 'number' && Number.isFinite(cell.v) ? number(cell.v) : String(cell.v);
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'e':
      return cell.w ?? ERRORS[cell.v as number] ?? '#ERROR';
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString().replace(/T00:00:00\.000Z$/, '') : String(cell.v);
    default:
      return String(cell.v);
  }
}

/** The last column with something in it, over all rows. */
function widthOf(rows: string[][]): number {
  let width = 0;
  for (const cells of rows) {
    for (let c = cells.length - 1; c >= width; c--) {
      if (cells[c] !== '') {
        width = c + 1;
        break;
      }
    }
  }
  return width;
}

function renderText(rows: string[][], sheet: string): SheetText {
  const width = widthOf(rows);
  const lines: string[] = [];
  const rowOfLine: number[] = [];
  rows.forEach((cells, r) => {
    const out: string[] = [];
    for (let c = 0; c < width; c++) out.push(csvCell(cells[c] ?? ''));
    const line = out.join(',');
    lines.push(line);
    rowOfLine.push(r + 1);
    for (let i = line.indexOf('\n'); i >= 0; i = line.indexOf('\n', i + 1)) rowOfLine.push(r + 1);
  });
  return {
    sheet,
    text: lines.length ? `${lines.join('\n')}\n` : '',
    rowOfLine,
    cells: (row: number) => rows[row - 1] ?? [],
  };
}

/** A cell as CSV: quoted when it holds a comma, a quote or a line break (one LF per break). */
function csvCell(value: string): string {
  const v = value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A 0-based column index as Excel's letters (0 -> A, 26 -> AA). */
export function columnLetter(index: number): string {
  return XLSX.utils.encode_col(index);
}
