// A settlement file's bytes as its lines, whether the bank handed out CSV or an Excel workbook
// (xlsx, or BIFF8 xls: the banks' portals give both). A workbook is known by its bytes, never by
// its name; its sheet is made into the CSV text the parsers read, one line per row, so that a
// line's number is the sheet row Excel shows, and a refusal names the sheet, the row and the
// column: `sheet BND350UI, row 5, column AMOUNT (J5): "abc" is not an amount`.
//
// Which sheet: the one that is a settlement layout we know (the acquirer's configured one, when
// it has one). A workbook with none is refused, unless it has a single sheet with anything in it,
// which the parser then refuses for what it is; one with two such sheets is refused too, since
// importing either alone would leave the other's lines out without a word.
import { AppError } from '../core/errors';
import { decodeBankFile } from './bank-file-text';
import { detectSettlementFormat, parseSettlement } from './importers/settlement-parse';
import {
  type ParsedSettlementFile,
  type ParseSettlementOptions,
  SettlementImportError,
} from './importers/settlement-types';
import {
  type SheetText,
  type WorkbookSheet,
  WorkbookRefusal,
  columnLetter,
  readWorkbook,
  workbookKind,
} from './importers/workbook';

export { workbookKind } from './importers/workbook';

/** Rows read to tell a sheet's layout: as many as detectSettlementFormat looks at, and blanks. */
const HEAD_ROWS = 80;

/** Where in a workbook a refusal is. */
export interface WorkbookPlace {
  sheet?: string;
  row?: number;
  column?: string;
  /** The cell, A1 style, when the column is known */
  cell?: string;
}

/** A workbook refused: 422 like every refused settlement file, its details naming the sheet,
 * row and column besides the line (the row) and reason the inbox records. */
export class WorkbookImportError extends AppError {
  readonly line: number;
  readonly reason: string;

  constructor(place: WorkbookPlace, reason: string) {
    const where = [
      place.sheet !== undefined ? `sheet ${place.sheet}` : undefined,
      place.row ? `row ${place.row}` : undefined,
      place.column !== undefined ? `column ${place.column}${place.cell ? ` (${place.cell})` : ''}` : undefined,
    ].filter(Boolean);
    const message = where.length ? `${where.join(', ')}: ${reason}` : reason;
    super(422, 'settlement-file-refused', message, { line: place.row ?? 0, reason: message, ...place });
    this.name = 'WorkbookImportError';
    this.line = place.row ?? 0;
    this.reason = message;
  }
}

/** The import's one entry: the file's lines, from CSV text or from a workbook's sheet. */
export function parseSettlementBytes(bytes: Buffer, opts: ParseSettlementOptions = {}): ParsedSettlementFile {
  if (!workbookKind(bytes)) return parseSettlement(decodeBankFile(bytes, 'settlement'), opts);
  const sheetOpts: ParseSettlementOptions = opts.mapping
    ? { ...opts, mapping: { ...opts.mapping, delimiter: ',' } }
    : opts;
  const sheet = settlementSheet(bytes, opts);
  let parsed: ParsedSettlementFile;
  try {
    parsed = parseSettlement(sheet.text, sheetOpts);
  } catch (err) {
    if (err instanceof SettlementImportError) throw placeRefusal(err, sheet);
    throw err;
  }
  return refuseRevealedPans(toRows(parsed, sheet), sheet);
}

/** A workbook is kept as received (the evidence is the bank's file, and a card number cannot be
 * masked in place inside its zip or BIFF records without rewriting it), so one whose card column
 * shows a full card number is refused, naming the cell but never the number. Saved as CSV it is
 * imported with the numbers masked, in the lines and in the copy kept. */
function refuseRevealedPans(parsed: ParsedSettlementFile, sheet: SheetText): ParsedSettlementFile {
  const line = parsed.lines.find((l) => l.revealedPan);
  if (!line?.revealedPan) return parsed;
  const row = line.lineNumber;
  const column = line.revealedPan.column;
  const index = columnIndex(sheet, row, column);
  throw new WorkbookImportError(
    { sheet: sheet.sheet, row, column, cell: index !== undefined ? `${columnLetter(index)}${row}` : undefined },
    'holds a full card number (PAN). A workbook is kept as received and may not hold one: ask the bank for its export with masked card numbers, or save the sheet as CSV and import that (card numbers are masked on import, in the lines and in the copy kept)',
  );
}

function settlementSheet(bytes: Buffer, opts: ParseSettlementOptions): SheetText {
  let sheets: WorkbookSheet[];
  try {
    sheets = readWorkbook(bytes, { decimalSeparator: opts.mapping?.decimalSeparator }).sheets;
  } catch (err) {
    if (err instanceof WorkbookRefusal) throw new WorkbookImportError({}, err.reason);
    throw err;
  }
  const heads = sheets.map((s) => ({ sheet: s, head: s.head(HEAD_ROWS) }));
  const filled = heads.filter((h) => h.head.replace(/[,\s"]/g, '') !== '');
  const fits = filled.filter((h) => isSettlementSheet(h.head, opts));
  const names = (list: typeof heads) => list.map((h) => h.sheet.name).join(', ');
  if (fits.length > 1) {
    throw new WorkbookImportError(
      {},
      `sheets ${names(fits)} are each a settlement report: upload one workbook per sheet, so that none is left out`,
    );
  }
  const chosen = fits[0] ?? (filled.length === 1 ? filled[0] : undefined);
  if (!chosen) {
    throw new WorkbookImportError(
      {},
      filled.length === 0
        ? 'the workbook has no sheet with anything in it'
        : `no sheet is a settlement layout we know (BNI, Mandiri, BRI, LinkAja${opts.mapping ? ", or the acquirer's column mapping" : ''}): sheets ${names(filled)}`,
    );
  }
  try {
    return withEndMarker(chosen.sheet.text(), opts.format ?? detectSettlementFormat(chosen.head));
  } catch (err) {
    if (err instanceof WorkbookRefusal) throw new WorkbookImportError({ sheet: chosen.sheet.name }, err.reason);
    throw err;
  }
}

/** BNI's CSV ends with a STOP line, whose absence tells a file cut short; its xls export (the
 * real DEBIT.xls and KREDIT.xls) has none. A workbook's sheet ends where it ends, and a workbook
 * cut short was refused before it got here, so the end of the sheet is its STOP. */
function withEndMarker(sheet: SheetText, format: string | undefined): SheetText {
  if (format !== 'bni') return sheet;
  const rows = sheet.rowOfLine.length ? sheet.rowOfLine[sheet.rowOfLine.length - 1] : 0;
  for (let row = 1; row <= rows; row++) if (sheet.cells(row)[0]?.trim().toUpperCase() === 'STOP') return sheet;
  return { ...sheet, text: `${sheet.text}STOP\n`, rowOfLine: [...sheet.rowOfLine, rows + 1] };
}

function isSettlementSheet(head: string, opts: ParseSettlementOptions): boolean {
  const format = opts.format ?? (opts.mapping ? 'mapped' : undefined);
  if (format === 'mapped') {
    // A mapped layout is never detected: the sheet whose rows hold every mapped column name.
    const cells = new Set(head.split(/[,\n]/).map((c) => c.replace(/"/g, '').trim().toUpperCase()));
    const wanted = Object.values(opts.mapping?.columns ?? {}).filter((c): c is string => typeof c === 'string');
    return wanted.length > 0 && wanted.every((c) => cells.has(c.trim().toUpperCase()));
  }
  const detected = detectSettlementFormat(head);
  return format ? detected === format : detected !== undefined;
}

/** The parser's refusal of a line, told as the sheet, row and column it is about. */
function placeRefusal(err: SettlementImportError, sheet: SheetText): WorkbookImportError {
  const row = err.line > 0 ? rowOf(sheet, err.line) : undefined;
  let reason = err.reason;
  const place: WorkbookPlace = { sheet: sheet.sheet, row };
  const column = err.column;
  if (column !== undefined && reason.startsWith(`${column}: `)) {
    reason = reason.slice(column.length + 2);
    place.column = column;
    const index = row !== undefined ? columnIndex(sheet, row, column) : undefined;
    if (index !== undefined) place.cell = `${columnLetter(index)}${row}`;
  }
  return new WorkbookImportError(place, reason);
}

function rowOf(sheet: SheetText, line: number): number {
  return sheet.rowOfLine[Math.min(line, sheet.rowOfLine.length) - 1] ?? line;
}

/** Where a named column is: under the nearest header at or above the row that names it, or, in
 * a label-value row (Mandiri's Payment Date), the cell after its label. */
function columnIndex(sheet: SheetText, row: number, column: string): number | undefined {
  const want = column.trim().toUpperCase();
  for (let r = row; r >= 1; r--) {
    const i = sheet.cells(r).findIndex((c) => c.trim().toUpperCase() === want);
    if (i >= 0) return r === row ? i + 1 : i;
  }
  return undefined;
}

/** Line numbers made sheet rows; the same numbers unless a cell held a line break. */
function toRows(parsed: ParsedSettlementFile, sheet: SheetText): ParsedSettlementFile {
  if (sheet.rowOfLine.every((row, i) => row === i + 1)) return parsed;
  const row = (line: number) => rowOf(sheet, line);
  return {
    ...parsed,
    lines: parsed.lines.map((l) => ({ ...l, lineNumber: row(l.lineNumber) })),
    stated: parsed.stated.map((s) => ({ ...s, lineNumber: row(s.lineNumber) })),
    feeGroups: parsed.feeGroups?.map((g) => ({ ...g, lineNumber: row(g.lineNumber), lines: g.lines.map(row) })),
  };
}
