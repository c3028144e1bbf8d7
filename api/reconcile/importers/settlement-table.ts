// A one-table settlement layout (BNI, BRI, a mapped CSV): a header, one row per transaction,
// perhaps a totals row, perhaps an end marker, then nothing but blank lines.
import { type CsvHeader, type CsvRow, cell, isBlank, readHeader, requireColumns, requireWidth } from './csv-text';
import { isTotalsRow, requireNothingAfter } from './settlement-lines';
import { SettlementImportError, type StatedTotals } from './settlement-types';
import { at, money, readAmount } from './settlement-values';

export interface TableSpec {
  layout: string;
  required: readonly string[];
  /** 1-based line of the header; default the first non-blank row */
  headerLine?: number;
  /** A last line the bank always writes (BNI: STOP); its absence means the file was cut short */
  endMarker?: string;
}

export interface Table {
  header: CsvHeader;
  rows: CsvRow[];
  totals?: CsvRow;
}

export function readTable(all: CsvRow[], spec: TableSpec): Table {
  const start = headerIndex(all, spec);
  const header = readHeader(all[start]);
  requireColumns(header, spec.required, spec.layout);
  const rows: CsvRow[] = [];
  let totals: CsvRow | undefined;
  let i = start + 1;
  for (; i < all.length; i++) {
    const row = all[i];
    if (spec.endMarker && row.cells[0]?.trim().toUpperCase() === spec.endMarker) break;
    if (isBlank(row)) continue;
    if (totals) throw new SettlementImportError(row.line, `a row after the ${spec.layout} totals row`);
    if (isTotalsRow(row)) {
      totals = row;
      continue;
    }
    requireWidth(row, header, spec.layout);
    rows.push(row);
  }
  if (spec.endMarker && i >= all.length) {
    const last = all.length > 0 ? all[all.length - 1].line : 1;
    throw new SettlementImportError(last, `no ${spec.endMarker} line: the ${spec.layout} file is cut short`);
  }
  requireNothingAfter(all, i + 1, spec.layout);
  // An empty day is real, but only a file that shows its end (STOP, a totals row) can say so.
  if (rows.length === 0 && !spec.endMarker && !totals) throw new SettlementImportError(header.line, `a ${spec.layout} header with no rows under it`);
  return { header, rows, totals };
}

function headerIndex(all: CsvRow[], spec: TableSpec): number {
  if (spec.headerLine !== undefined) {
    const i = all.findIndex((r) => r.line === spec.headerLine);
    if (i < 0) throw new SettlementImportError(spec.headerLine, `the header line is not in the file`);
    return i;
  }
  const i = all.findIndex((r) => !isBlank(r));
  if (i < 0) throw new SettlementImportError(1, 'the file is empty');
  return i;
}

/** A totals row (Excel's SUM under the columns, as a re-saved file has it) as stated totals;
 * a blank cell under a column states nothing about it. */
export function statedFromRow(
  row: CsvRow,
  header: CsvHeader,
  columns: { gross?: string; mdr?: string; net?: string },
  decimalSeparator: '.' | ',' = '.',
): StatedTotals {
  const amount = (name: string | undefined) => {
    const v = name === undefined ? '' : cell(row, header, name);
    return v === '' ? undefined : money(readAmount(v, at(row.line, name ?? ''), decimalSeparator));
  };
  return { lineNumber: row.line, gross: amount(columns.gross), mdr: amount(columns.mdr), net: amount(columns.net) };
}
