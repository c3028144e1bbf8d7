// CSV uploads of master data. Markets keep stall and trader lists in spreadsheets, so an upload
// is checked whole: every bad row is reported with its file line (the header is line 1) and
// nothing is imported until the file is clean. Excel in an Indonesian locale writes ";" between
// fields (the comma is the decimal mark there), so the delimiter is taken from the header.
import { parse } from 'csv-parse/sync';
import type { ZodType } from 'zod';
import { AppError } from '../core/errors';
import { problemsOf } from '../core/schemas';

export interface CsvRow {
  line: number;
  values: Record<string, string | undefined>;
}

export interface CsvProblem {
  line: number;
  field: string;
  message: string;
}

export interface CsvColumns {
  required: string[];
  optional: string[];
}

export function invalidCsv(problems: CsvProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const lines = new Set(sorted.map((p) => p.line)).size;
  return new AppError(400, 'invalid-csv', `${lines} line(s) of the file are invalid; nothing was imported`, sorted);
}

export function csvText(body: unknown): string {
  if (typeof body !== 'string') {
    throw new AppError(415, 'unsupported-media-type', 'send the file as the request body with Content-Type: text/csv');
  }
  return body;
}

function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

interface Parsed {
  record: string[];
  info: { lines: number; empty_lines: number };
}

function parseRecords(text: string): Parsed[] {
  try {
    return parse(text, {
      bom: true,
      trim: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      delimiter: delimiterOf(text),
    }) as unknown as Parsed[];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw invalidCsv([{ line: e.lines ?? 1, field: '(file)', message: e.message }]);
  }
}

function checkHeader(header: string[], cols: CsvColumns): { names: string[]; problems: CsvProblem[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set([...cols.required, ...cols.optional]);
  const problems: CsvProblem[] = [];
  names.forEach((n, i) => {
    if (!known.has(n))
      problems.push({
        line: 1,
        field: n || `(column ${i + 1})`,
        message: `unknown column; expected ${[...known].join(', ')}`,
      });
    else if (names.indexOf(n) !== i) problems.push({ line: 1, field: n, message: 'column appears twice' });
  });
  for (const r of cols.required)
    if (!names.includes(r)) problems.push({ line: 1, field: r, message: 'required column is missing' });
  return { names, problems };
}

/** Rows keyed by header name with their file line; blank cells are undefined. */
export function readCsv(
  body: unknown,
  cols: CsvColumns,
): { rows: CsvRow[]; problems: CsvProblem[]; columns: string[] } {
  const records = parseRecords(csvText(body));
  if (records.length === 0) throw invalidCsv([{ line: 1, field: '(file)', message: 'the file is empty' }]);
  const { names, problems } = checkHeader(records[0].record, cols);
  if (problems.length) throw invalidCsv(problems);
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1].info;
    const { record, info } = records[i];
    // info.lines is where a record ends; it starts after the previous one and any blank lines.
    const line = prev.lines + 1 + (info.empty_lines - prev.empty_lines);
    if (record.every((v) => v === '')) continue; // a spreadsheet's trailing ",,,," rows
    if (record.length !== names.length) {
      problems.push({ line, field: '(row)', message: `has ${record.length} fields, the header has ${names.length}` });
      continue;
    }
    rows.push({ line, values: Object.fromEntries(names.map((n, j) => [n, record[j] === '' ? undefined : record[j]])) });
  }
  if (rows.length === 0 && problems.length === 0)
    problems.push({ line: 1, field: '(file)', message: 'the file has a header but no rows' });
  return { rows, problems, columns: names };
}

/** Validates one row's input; problems name the CSV column, not the JSON field. */
export function validateRow<T extends ZodType>(
  schema: T,
  row: CsvRow,
  input: unknown,
  columnOf: Record<string, string>,
  problems: CsvProblem[],
): T['_output'] | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const p of problemsOf(result.error))
    problems.push({ line: row.line, field: columnOf[p.field] ?? p.field, message: p.message });
  return undefined;
}
