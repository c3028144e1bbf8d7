// CSV mechanics for bank exports: physical line numbers for every row (so a refusal can name the
// line), Excel's text markers taken off cells, and a header looked up by name rather than position.
import { CsvError, parse } from 'csv-parse/sync';
import { SettlementImportError } from './settlement-types';

/** One CSV record and the physical line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A header row: column name (trimmed, upper case) -> index. */
export interface CsvHeader {
  line: number;
  names: string[];
  index: Map<string, number>;
}

type Parsed = { record: string[]; info: { lines: number } };

/** Every record with the line it starts on. Blank lines stay in (as one empty cell) so the
 * callers see where a section ends. A line ends at CRLF, LF or a lone CR; a UTF-8 BOM is dropped. */
export function readCsvRows(text: string, delimiter = ','): CsvRow[] {
  refuseBinary(text);
  let parsed: Parsed[];
  try {
    // One line end for the whole text: csv-parse settles on the first it meets and then counts a
    // stray CR of a mixed file as a line of its own, which would misnumber every later line.
    parsed = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true, delimiter, info: true, record_delimiter: '\n', relax_column_count: true, relax_quotes: true,
      skip_empty_lines: false,
    }) as unknown as Parsed[];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines ?? 0;
      throw new SettlementImportError(line, `not readable as CSV: ${err.message}`);
    }
    throw err;
  }
  let next = 1;
  return parsed.map(({ record, info }) => {
    const row = { line: next, cells: record };
    next = info.lines + 1;
    return row;
  });
}

/** A UTF-16 export read as UTF-8 puts a NUL after every ASCII character; so does a binary file. */
export function refuseBinary(text: string): void {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new SettlementImportError(lineAt(text, nul), 'contains NUL characters: UTF-16 or binary, not CSV text');
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

export function isBlank(row: CsvRow): boolean {
  return row.cells.every((c) => c.trim() === '');
}

/** The cell as text: padding trimmed and Excel's text markers removed. Banks keep leading zeros
 * by writing '014177' or '014177 (Mandiri) or ="000123" (a formula), all meaning 014177. */
export function cleanCell(value: string | undefined): string {
  let v = (value ?? '').trim();
  const formula = /^="(.*)"$/.exec(v);
  if (formula) v = formula[1];
  else if (v.startsWith("'")) v = v.slice(1, v.length > 1 && v.endsWith("'") ? -1 : undefined);
  return v.trim();
}

export function readHeader(row: CsvRow): CsvHeader {
  const names = row.cells.map((c) => c.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    const key = name.toUpperCase();
    if (key !== '' && !index.has(key)) index.set(key, i);
  });
  return { line: row.line, names, index };
}

/** Refuses a header that lacks any of the columns a parser cannot do without. */
export function requireColumns(header: CsvHeader, required: readonly string[], layout: string): void {
  const missing = required.filter((c) => !header.index.has(c.toUpperCase()));
  if (missing.length > 0) {
    throw new SettlementImportError(header.line, `the ${layout} header lacks ${missing.join(', ')}`);
  }
}

/** A row must reach the header's last named column; fewer cells mean a cut or shifted row. */
export function requireWidth(row: CsvRow, header: CsvHeader, layout: string): void {
  const width = header.names.reduce((last, name, i) => (name === '' ? last : i + 1), 0);
  if (row.cells.length < width) {
    throw new SettlementImportError(row.line, `${row.cells.length} fields where the ${layout} header has ${width}: the row is cut short`);
  }
}

/** The cleaned cell under a header name, '' when the column is absent. */
export function cell(row: CsvRow, header: CsvHeader, name: string): string {
  const i = header.index.get(name.toUpperCase());
  return i === undefined ? '' : cleanCell(row.cells[i]);
}

/** The row as written, by header name (by position for named-less cells that hold something).
 * Object.fromEntries so that a header cell named __proto__ stays a plain key. */
export function rawCells(row: CsvRow, header: CsvHeader): Record<string, string> {
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  row.cells.forEach((value, i) => {
    const name = header.names[i] || `#${i + 1}`;
    if (seen.has(name) || (!header.names[i] && value.trim() === '')) return;
    seen.add(name);
    entries.push([name, value]);
  });
  return Object.fromEntries(entries);
}
