// Any other acquirer's CSV, read through a column mapping an officer configures once per
// acquirer: which header holds the RRN, the gross, the fee ... and how its dates and numbers
// are written. The same checks as the banks' own layouts: net = gross - MDR on every line, a
// totals row must agree, a missing column refuses the file at its header.
import { type CsvHeader, type CsvRow, cell, rawCells } from './csv-text';
import { checkStated, lineAmounts, LineTally, cardCell, text } from './settlement-lines';
import { statedFromRow, tableLineChunks } from './settlement-table';
import {
  type ColumnMapping,
  type MappedField,
  type ParsedSettlementLine,
  type SettlementFileSummary,
  SettlementImportError,
} from './settlement-types';
import type { TextSource } from './text-source';
import { at, isDateFormat, readAmount, readDate, readDateTime } from './settlement-values';

const LAYOUT = 'mapped settlement';
const TEXT_FIELDS = ['rrn', 'reference', 'tid', 'mid', 'stan', 'approvalCode', 'batch'] as const;

/** The file's lines in chunks as they are read, then what the file says as a whole. */
export function* mappedSettlementChunks(
  source: TextSource,
  mapping: ColumnMapping,
  keepRaw = true,
): Generator<ParsedSettlementLine[], SettlementFileSummary> {
  checkMapping(mapping);
  const columns = mapping.columns;
  const required = Object.values(columns).filter((c): c is string => typeof c === 'string');
  const tally = new LineTally(['mid', 'settlementDate']);
  const table = yield* tally.through(
    tableLineChunks(
      source,
      mapping.delimiter ?? ',',
      { layout: LAYOUT, required, headerLine: mapping.headerLine },
      (row, header) => mappedLine(row, header, mapping, keepRaw),
    ),
  );
  const totals = tally.totals();
  const stated = table.totals
    ? [
        statedFromRow(
          table.totals,
          table.header,
          { gross: columns.gross, mdr: columns.mdr, net: columns.net },
          mapping.decimalSeparator,
        ),
      ]
    : [];
  stated.forEach((s) => checkStated(s, totals));
  return {
    format: 'mapped',
    merchantId: tally.sharedValue('mid'),
    settlementDate: tally.sharedValue('settlementDate'),
    totals,
    stated,
  };
}

/** A mapping that cannot give a whole line is a configuration error, refused before any row. */
function checkMapping(mapping: ColumnMapping): void {
  const c = mapping.columns ?? {};
  const lacks = [
    !c.gross && 'gross',
    !c.transactionDate && !c.transactedAt && 'transactionDate or transactedAt',
    !c.mdr && !c.net && 'mdr or net',
  ].filter(Boolean);
  if (lacks.length > 0) throw new SettlementImportError(0, `the column mapping needs ${lacks.join(', ')}`);
  if (mapping.dateFormat !== undefined && !isDateFormat(mapping.dateFormat)) {
    throw new SettlementImportError(
      0,
      `the column mapping's dateFormat ${JSON.stringify(mapping.dateFormat)} needs YYYY, MM and DD, or "excel"`,
    );
  }
  if (mapping.delimiter !== undefined && (mapping.delimiter === '' || /["\r\n]/.test(mapping.delimiter))) {
    throw new SettlementImportError(
      0,
      `the column mapping's delimiter ${JSON.stringify(mapping.delimiter)} cannot separate CSV fields`,
    );
  }
}

function mappedLine(row: CsvRow, header: CsvHeader, mapping: ColumnMapping, keepRaw: boolean): ParsedSettlementLine {
  const get = (field: MappedField) => {
    const column = mapping.columns[field];
    return column === undefined ? '' : cell(row, header, column);
  };
  const where = (field: MappedField) => at(row.line, mapping.columns[field] ?? field);
  const format = mapping.dateFormat ?? 'YYYY-MM-DD';
  const sep = mapping.decimalSeparator ?? '.';
  const amount = (field: 'gross' | 'mdr' | 'net') => readAmount(get(field), where(field), sep);
  const gross = amount('gross');
  const mdr = mapping.columns.mdr ? amount('mdr') : gross.minus(amount('net'));
  const net = mapping.columns.net ? amount('net') : gross.minus(mdr);
  const transactedAt = mapping.columns.transactedAt
    ? readDateTime(get('transactedAt'), format, where('transactedAt'))
    : undefined;
  const settlement = get('settlementDate');
  const line: ParsedSettlementLine = {
    lineNumber: row.line,
    ...cardCell(get('maskedPan'), mapping.columns.maskedPan ?? 'maskedPan'),
    transactedAt,
    transactionDate: mapping.columns.transactionDate
      ? readDate(get('transactionDate'), format, where('transactionDate'))
      : (transactedAt as string).slice(0, 10),
    ...lineAmounts(row.line, { gross, mdr, net }),
    settlementDate: settlement === '' ? undefined : readDate(settlement, format, where('settlementDate')),
    raw: keepRaw ? rawCells(row, header) : undefined,
  };
  for (const field of TEXT_FIELDS) line[field] = text(get(field));
  return line;
}
