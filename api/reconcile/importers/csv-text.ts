// CSV mechanics for bank exports: physical line numbers for every row (so a refusal can name the
// line), Excel's text markers taken off cells, and a header looked up by name rather than position.
import { CsvError, parse } from 'csv-parse/sync';
import { SettlementImportError } from './settlement-types';
import { refuseBinary, type TextSource } from './text-source';

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

/** Every record with the line it starts on. Blank lines stay in (as one empty cell) so the
 * callers see where a section ends. A line ends at CRLF, LF or a lone CR; a UTF-8 BOM is dropped. */
export function readCsvRows(text: string, delimiter = ','): CsvRow[] {
  const rows: CsvRow[] = [];
  eachCsvRow(text, delimiter, (row) => rows.push(row));
  return rows;
}

/** readCsvRows one row at a time, none of them kept: a million-line file need not be held as
 * cells all at once. A text that is not readable CSV is refused (by throwing) after its rows
 * before the unreadable one were handed over, so a caller must not throw for a row itself but
 * keep its refusal until the whole text has been read, as readCsvRows' callers would see it. */
export function eachCsvRow(text: string, delimiter: string, onRow: (row: CsvRow) => void): void {
  refuseBinary(text);
  // A record spans one line more than the line ends inside its (quoted) cells. Counted here
  // rather than asked of csv-parse (info: true), which builds an object of a dozen fields per record.
  let next = 1;
  const onRecord = (cells: string[]): null => {
    const row = { line: next, cells };
    next += 1;
    for (const c of cells) for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) next++;
    onRow(row);
    return null;
  };
  // One line end for the whole text: csv-parse settles on the first it meets and then counts a
  // stray CR of a mixed file as a line of its own, which would misnumber every later line.
  const lf = text.replace(/\r\n?/g, '\n');
  if (isPlainCsv(lf, delimiter)) {
    eachPlainRow(lf, delimiter, onRecord);
    return;
  }
  try {
    parse(lf, {
      bom: true,
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      on_record: onRecord,
    });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines ?? 0;
      throw new SettlementImportError(line, `not readable as CSV: ${err.message}`);
    }
    throw err;
  }
}

/** Without a quote anywhere a CSV text is lines of cells: what csv-parse reads it as, without
 * its cost (a third of a million-line import). A one-character delimiter only. */
function isPlainCsv(text: string, delimiter: string): boolean {
  return (
    delimiter.length === 1 && delimiter !== '"' && delimiter !== '\n' && delimiter !== '\uFEFF' && text.indexOf('"') < 0
  );
}

/** Each line of a quote-free text split at the delimiter; a UTF-8 BOM in front is dropped and a
 * last line end closes the last record rather than opening an empty one. */
function eachPlainRow(text: string, delimiter: string, onRecord: (cells: string[]) => unknown): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    onRecord(text.slice(start, end).split(delimiter));
    start = end + 1;
  }
}

/** A source eachPlainRow can read: no quote anywhere, a one-character delimiter. */
export function isPlainSource(source: TextSource, delimiter: string): boolean {
  return !source.hasQuote && isPlainCsv('', delimiter);
}

/** eachPlainRow over a text in pieces, one row at a time: the rows (and line numbers) eachCsvRow
 * gives for the whole text. A line end is CRLF, LF or a lone CR, also when a piece ends between
 * the CR and the LF of one. */
export function* plainCsvRows(source: TextSource, delimiter: string): Generator<CsvRow> {
  let line = 1;
  let rest = '';
  let first = true;
  for (const piece of source.pieces()) {
    let text = rest + piece;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    // A CR last may be the first half of a CRLF: kept for the next piece.
    let cut = text.length;
    if (text.charCodeAt(cut - 1) === 0x0d) cut--;
    if (cut === 0) {
      rest = text;
      continue;
    }
    const lastEnd = Math.max(text.lastIndexOf('\n', cut - 1), text.lastIndexOf('\r', cut - 1));
    if (lastEnd < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(lastEnd + 1);
    const whole = text.slice(0, lastEnd + 1).replace(/\r\n?/g, '\n');
    let start = 0;
    while (start < whole.length) {
      const end = whole.indexOf('\n', start);
      yield { line: line++, cells: whole.slice(start, end).split(delimiter) };
      start = end + 1;
    }
  }
  if (rest !== '') {
    const whole = rest.replace(/\r\n?/g, '\n');
    let start = 0;
    while (start < whole.length) {
      let end = whole.indexOf('\n', start);
      if (end < 0) end = whole.length;
      yield { line: line++, cells: whole.slice(start, end).split(delimiter) };
      start = end + 1;
    }
  }
}

export function isBlank(row: CsvRow): boolean {
  return row.cells.every((c) => c.trim() === '');
}

/** The cell as text: padding trimmed and Excel's text markers removed. Banks keep leading zeros
 * by writing '014177' or '014177 (Mandiri) or ="000123" (a formula), all meaning 014177. */
export function cleanCell(value: string | undefined): string {
  let v = (value ?? '').trim();
  const first = v.charCodeAt(0);
  // Most cells carry no marker: neither = nor ' in front.
  if (first !== 0x3d && first !== 0x27) return v;
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
    throw new SettlementImportError(
      row.line,
      `${row.cells.length} fields where the ${layout} header has ${width}: the row is cut short`,
    );
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
