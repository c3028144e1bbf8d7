// A one-table settlement layout (BNI, BRI, a mapped CSV): a header, one row per transaction,
// perhaps a totals row, perhaps an end marker, then nothing but blank lines.
import {
  type CsvHeader,
  type CsvRow,
  cell,
  eachCsvRow,
  isBlank,
  isPlainSource,
  plainCsvRows,
  readHeader,
  requireColumns,
  requireWidth,
} from './csv-text';
import { isTotalsRow } from './settlement-lines';
import { SettlementImportError, type StatedTotals } from './settlement-types';
import { at, money, readAmount } from './settlement-values';
import { type TextSource, wholeText } from './text-source';

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
  const reader = new TableReader(spec, (row) => row);
  for (const row of all) reader.push(row);
  const { header, totals } = reader.finish();
  return { header, rows: reader.drain(), totals };
}

/** Lines per chunk a table's reader hands over. */
export const TABLE_CHUNK = 2_000;

/** readTable straight from the text, each row made into a line (convert) as it is read and the
 * lines handed over in chunks as they are made, so that neither the rows' cells nor (for a text
 * without quotes, read piece by piece) the text or the lines are ever all held at once. Refuses
 * what readTable and then convert, called on the rows in order, would refuse, for the same line:
 * a table's own faults before any line's. A refusal may come after chunks were handed over: the
 * caller must drop what it did with them (the importer's transaction rolls back). */
export function* tableLineChunks<T>(
  source: TextSource,
  delimiter: string,
  spec: TableSpec,
  convert: (row: CsvRow, header: CsvHeader) => T,
): Generator<T[], { header: CsvHeader; totals?: CsvRow }> {
  const reader = new TableReader(spec, convert);
  if (isPlainSource(source, delimiter)) {
    for (const row of plainCsvRows(source, delimiter)) {
      reader.push(row);
      if (reader.pending >= TABLE_CHUNK) {
        const chunk = reader.drain();
        if (chunk.length > 0) yield chunk;
      }
    }
  } else {
    // Quotes: csv-parse reads the text whole, and the lines wait for it.
    eachCsvRow(wholeText(source), delimiter, (row) => reader.push(row));
  }
  const { header, totals } = reader.finish();
  const rest = reader.drain();
  for (let i = 0; i < rest.length; i += TABLE_CHUNK) yield rest.slice(i, i + TABLE_CHUNK);
  return { header, totals };
}

/** readTable as a machine fed one row at a time. push never throws: the first refusal of the
 * table is kept, and so is the first of a line, and finish throws them in readTable's order. */
class TableReader<T> {
  private header?: CsvHeader;
  private state: 'before' | 'body' | 'after' = 'before';
  private lastLine?: number;
  private rowCount = 0;
  private totals?: CsvRow;
  private lines: T[] = [];
  private tableError?: unknown;
  private lineError?: unknown;

  constructor(
    private readonly spec: TableSpec,
    private readonly convert: (row: CsvRow, header: CsvHeader) => T,
  ) {}

  push(row: CsvRow): void {
    this.lastLine = row.line;
    if (this.tableError !== undefined) return;
    try {
      this.take(row);
    } catch (err) {
      this.tableError = err;
    }
  }

  private take(row: CsvRow): void {
    const spec = this.spec;
    if (this.state === 'before') {
      const isHeader = spec.headerLine !== undefined ? row.line === spec.headerLine : !isBlank(row);
      if (!isHeader) return;
      this.header = readHeader(row);
      this.state = 'body';
      requireColumns(this.header, spec.required, spec.layout);
      return;
    }
    if (this.state === 'after') {
      if (row.cells.some((c) => c.trim() !== ''))
        throw new SettlementImportError(row.line, `text after the end of the ${spec.layout} file`);
      return;
    }
    const header = this.header!;
    if (spec.endMarker && row.cells[0]?.trim().toUpperCase() === spec.endMarker) {
      this.state = 'after';
      return;
    }
    if (isBlank(row)) return;
    if (this.totals) throw new SettlementImportError(row.line, `a row after the ${spec.layout} totals row`);
    if (isTotalsRow(row)) {
      this.totals = row;
      return;
    }
    requireWidth(row, header, spec.layout);
    this.rowCount++;
    if (this.lineError !== undefined) return;
    try {
      this.lines.push(this.convert(row, header));
    } catch (err) {
      this.lineError = err;
    }
  }

  /** Lines made and not yet handed over */
  get pending(): number {
    return this.lines.length;
  }

  /** The lines made so far, handed over once; none after a refusal was seen. */
  drain(): T[] {
    if (this.tableError !== undefined || this.lineError !== undefined) return [];
    const all = this.lines;
    this.lines = [];
    return all;
  }

  finish(): { header: CsvHeader; totals?: CsvRow } {
    const spec = this.spec;
    if (this.tableError !== undefined) throw this.tableError;
    const header = this.header;
    if (!header) {
      if (spec.headerLine !== undefined)
        throw new SettlementImportError(spec.headerLine, `the header line is not in the file`);
      throw new SettlementImportError(1, 'the file is empty');
    }
    if (spec.endMarker && this.state !== 'after') {
      throw new SettlementImportError(
        this.lastLine ?? 1,
        `no ${spec.endMarker} line: the ${spec.layout} file is cut short`,
      );
    }
    // An empty day is real, but only a file that shows its end (STOP, a totals row) can say so.
    if (this.rowCount === 0 && !spec.endMarker && !this.totals)
      throw new SettlementImportError(header.line, `a ${spec.layout} header with no rows under it`);
    if (this.lineError !== undefined) throw this.lineError;
    return { header, totals: this.totals };
  }
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
