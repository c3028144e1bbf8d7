// Bank Mandiri's merchant statement (the real one: conformance/settlement/
// cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv, an xlsx read as CSV; ours:
// terminal-sim/banks/files/mandiri-merchant-statement.ts). One sheet, four parts:
//   MERCHANT STATEMENT / Payment Date / Group / Group Name   (a key-value block)
//   DETAIL, its header, one row per transaction (gross only), TOTAL
//   SUMMARY GROUP, its header, one row per MID x network x payment batch (gross, MDR, net), TOTAL
//
// Mandiri's quirks:
// - dates are Excel day serials (Payment Date 43973 = 2020-05-22), no time of day.
// - the MDR exists only per summary row: mandiriFeeGroups joins each detail row to its summary row
//   by MID, MerchACC and PAYMENTBATCH (the real file: 1,677 rows onto 585 groups, exactly) and
//   spreads the group's MDR over its lines.
// - text cells are right-padded and carry Excel's ' prefix ('1650090000887, '014177').
// - summary rows sometimes end with an extra empty cell.
import {
  type CsvHeader,
  type CsvRow,
  cell,
  cleanCell,
  isBlank,
  rawCells,
  readCsvRows,
  readHeader,
  requireColumns,
  requireWidth,
} from './csv-text';
import { type DetailLine, mandiriFeeGroups, readSummaryRows } from './settlement-mandiri-groups';
import { checkStated, cardCell, requireNothingAfter, text, totalsOf } from './settlement-lines';
import { type ParsedSettlementFile, SettlementImportError } from './settlement-types';
import { Decimal, at, excelDateTime, money, readAmount, readAmountOrZero } from './settlement-values';

const DETAIL_REQUIRED = ['MID', 'MerchACC', 'TRXDATE', 'SETTLEDATE', 'TID', 'PAYMENTBATCH', 'AMOUNT'] as const;
const SUMMARY_REQUIRED = ['MID', 'MerchACC', 'PAYMENTBATCH', 'TOTAMOUNT', 'MDRAMOUNT', 'NETAMOUNT'] as const;

export function looksLikeMandiri(firstLine: string): boolean {
  return /^MERCHANT STATEMENT\s*(,\s*)*$/i.test(firstLine.trim());
}

interface Section {
  header: CsvHeader;
  rows: CsvRow[];
  total: CsvRow;
  /** index in the file's rows just after the TOTAL row */
  end: number;
}

export function parseMandiriStatement(textIn: string, keepRaw = true): ParsedSettlementFile {
  const rows = readCsvRows(textIn);
  const detailAt = labelIndex(rows, 'DETAIL', 0);
  const head = readHeadBlock(rows.slice(0, detailAt));
  const detail = readSection(rows, detailAt, 'DETAIL', DETAIL_REQUIRED);
  const summary = readSection(rows, labelIndex(rows, 'SUMMARY GROUP', detail.end), 'SUMMARY GROUP', SUMMARY_REQUIRED);
  requireNothingAfter(rows, summary.end, 'Mandiri statement');

  const details = detail.rows.map((row) => detailLine(row, detail.header, keepRaw));
  checkDetailTotal(detail, details);
  const { lines, feeGroups } = mandiriFeeGroups(details, readSummaryRows(summary.rows, summary.header));
  const totals = totalsOf(lines);
  const stated = [
    { lineNumber: detail.total.line, gross: statedCell(detail, 'AMOUNT') },
    {
      lineNumber: summary.total.line,
      gross: statedCell(summary, 'TOTAMOUNT'),
      mdr: statedCell(summary, 'MDRAMOUNT'),
      net: statedCell(summary, 'NETAMOUNT'),
    },
  ];
  stated.forEach((s) => checkStated(s, totals));
  return {
    format: 'mandiri',
    merchantId: head.group,
    settlementDate: head.paymentDate,
    lines,
    totals,
    stated,
    feeGroups,
  };
}

/** The row whose first cell is the label, searched from `from`; its absence means a cut file. */
function labelIndex(rows: CsvRow[], label: string, from: number): number {
  const i = rows.findIndex(
    (r, k) =>
      k >= from && cleanCell(r.cells[0]).toUpperCase() === label && r.cells.slice(1).every((c) => c.trim() === ''),
  );
  if (i < 0) {
    const last = rows.length > 0 ? rows[rows.length - 1].line : 1;
    throw new SettlementImportError(last, `no ${label} section: the Mandiri statement is cut short`);
  }
  return i;
}

function readHeadBlock(rows: CsvRow[]): { group?: string; paymentDate?: string } {
  const value = (key: string) => rows.find((r) => cleanCell(r.cells[0]).toUpperCase() === key.toUpperCase());
  const date = value('Payment Date');
  const group = value('Group');
  return {
    group: group ? text(cleanCell(group.cells[1])) : undefined,
    paymentDate: date ? excelDateTime(cleanCell(date.cells[1]), at(date.line, 'Payment Date')).date : undefined,
  };
}

/** A labelled section: its header on the next non-blank row, then rows up to its TOTAL row. */
function readSection(rows: CsvRow[], labelAt: number, label: string, required: readonly string[]): Section {
  let i = labelAt + 1;
  while (i < rows.length && isBlank(rows[i])) i++;
  if (i >= rows.length)
    throw new SettlementImportError(rows[labelAt].line, `${label} has no header: the file is cut short`);
  const header = readHeader(rows[i]);
  requireColumns(header, required, `Mandiri ${label}`);
  const body: CsvRow[] = [];
  for (i += 1; i < rows.length; i++) {
    const row = rows[i];
    if (cleanCell(row.cells[0]).toUpperCase() === 'TOTAL') return { header, rows: body, total: row, end: i + 1 };
    if (isBlank(row)) continue;
    requireWidth(row, header, `Mandiri ${label}`);
    body.push(row);
  }
  const last = rows[rows.length - 1].line;
  throw new SettlementImportError(last, `${label} has no TOTAL row: the Mandiri statement is cut short`);
}

/** Mandiri numbers each DETAIL row by TID, the EDC's batch and the row's BATCHSEQ in it. */
function mandiriLineKey(get: (name: string) => string): string | undefined {
  const parts = [text(get('TID')), text(get('TIDBATCH')), text(get('BATCHSEQ'))];
  return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
}

function detailLine(row: CsvRow, header: CsvHeader, keepRaw: boolean): DetailLine {
  const get = (name: string) => cell(row, header, name);
  const where = (name: string) => at(row.line, name);
  const trx = excelDateTime(get('TRXDATE'), where('TRXDATE'));
  return {
    merchAcc: get('MerchACC'),
    nonMdr: readAmountOrZero(get('NonMdrAMOUNT'), where('NonMdrAMOUNT')),
    grossValue: readAmount(get('AMOUNT'), where('AMOUNT')),
    line: {
      lineNumber: row.line,
      rrn: text(get('RRN')),
      tid: text(get('TID')),
      mid: text(get('MID')),
      approvalCode: text(get('AUTHCODE')),
      ...cardCell(get('CARD'), 'CARD'),
      transactedAt: trx.time ? `${trx.date}T${trx.time}` : undefined,
      transactionDate: trx.date,
      settlementDate: excelDateTime(get('SETTLEDATE'), where('SETTLEDATE')).date,
      batch: text(get('PAYMENTBATCH')),
      terminalBatch: text(get('TIDBATCH')),
      lineKey: mandiriLineKey(get),
      raw: keepRaw ? rawCells(row, header) : undefined,
    },
  };
}

function statedCell(section: Section, column: string): string | undefined {
  const v = cell(section.total, section.header, column);
  return v === '' ? undefined : money(readAmount(v, at(section.total.line, column)));
}

/** DETAIL's TOTAL also states the MDR-exempt part, which the per-group spread relies on. */
function checkDetailTotal(detail: Section, details: DetailLine[]): void {
  const said = statedCell(detail, 'NonMdrAMOUNT');
  const sum = details.reduce((acc, d) => acc.plus(d.nonMdr), new Decimal(0));
  if (said !== undefined && !sum.eq(said)) {
    throw new SettlementImportError(detail.total.line, `states NonMdrAMOUNT ${said}, the lines sum to ${money(sum)}`);
  }
}
