// BRI's settlement CSV (the real one: conformance/settlement/cashlez_bri_ecom_20200522.csv, a
// genuine CSV export, not a converted xlsx). One row per transaction, no totals, no end marker.
//
// BRI's quirks:
// - three dates, YYYYMMDD: TRX_DATE (the transaction), PROC_DATE (BRI processed it) and RK_DATE
//   (the rekening koran date: when the net reaches the merchant's account, so the day the
//   statement shows the credit; that is our settlementDate).
// - amounts with three decimals (200000.000), RATE in percent (1.800).
// - MERCHANT_REF_NUMBER right-padded with spaces; AUTH may start with a letter (T28458).
// - LF line ends, unlike the xlsx-born files; NO numbers the rows 1, 2, 3 ... which is the only
//   way to see a row lost in the middle of a file that has no totals.
// - The e-commerce layout has no TID and no batch.
import type { CsvHeader, CsvRow } from './csv-text';
import { cell, rawCells, readCsvRows } from './csv-text';
import { checkStated, lineAmounts, cardCell, shared, text, totalsOf } from './settlement-lines';
import { readTable, statedFromRow } from './settlement-table';
import { type ParsedSettlementFile, type ParsedSettlementLine, SettlementImportError } from './settlement-types';
import { at, percentToFraction, readAmount, readDate } from './settlement-values';

const LAYOUT = 'BRI settlement';
const REQUIRED = ['RK_DATE', 'MID', 'TRX_DATE', 'AMOUNT', 'DISC_AMT', 'NET_AMT'] as const;
const DATE = 'YYYYMMDD';
const COLUMNS = { gross: 'AMOUNT', mdr: 'DISC_AMT', net: 'NET_AMT' };

export function looksLikeBri(firstLine: string): boolean {
  return /(^|,)RK_DATE,/i.test(firstLine) && /NET_AMT/i.test(firstLine);
}

export function parseBriSettlement(textIn: string, keepRaw = true): ParsedSettlementFile {
  const table = readTable(readCsvRows(textIn), { layout: LAYOUT, required: REQUIRED });
  checkNumbering(table.rows, table.header);
  const lines = table.rows.map((row) => briLine(row, table.header, keepRaw));
  const totals = totalsOf(lines);
  // BRI writes no totals row; a file re-saved with one is checked against the lines.
  const stated = table.totals ? [statedFromRow(table.totals, table.header, COLUMNS)] : [];
  stated.forEach((s) => checkStated(s, totals));
  return {
    format: 'bri',
    merchantId: shared(lines, 'mid'),
    settlementDate: shared(lines, 'settlementDate'),
    lines,
    totals,
    stated,
  };
}

function briLine(row: CsvRow, header: CsvHeader, keepRaw: boolean): ParsedSettlementLine {
  const get = (name: string) => cell(row, header, name);
  const where = (name: string) => at(row.line, name);
  const rate = get('RATE');
  return {
    lineNumber: row.line,
    reference: text(get('MERCHANT_REF_NUMBER')),
    tid: text(get('TID')),
    mid: text(get('MID')),
    approvalCode: text(get('AUTH')),
    ...cardCell(get('CARDNO'), 'CARDNO'),
    transactionDate: readDate(get('TRX_DATE'), DATE, where('TRX_DATE')),
    ...lineAmounts(row.line, {
      gross: readAmount(get('AMOUNT'), where('AMOUNT')),
      mdr: readAmount(get('DISC_AMT'), where('DISC_AMT')),
      net: readAmount(get('NET_AMT'), where('NET_AMT')),
    }),
    mdrRate: rate === '' ? undefined : percentToFraction(rate, where('RATE')),
    network: text(get('CARDTYPE')),
    settlementDate: readDate(get('RK_DATE'), DATE, where('RK_DATE')),
    raw: keepRaw ? rawCells(row, header) : undefined,
  };
}

function checkNumbering(rows: CsvRow[], header: CsvHeader): void {
  if (!header.index.has('NO')) return;
  rows.forEach((row, i) => {
    const no = cell(row, header, 'NO');
    if (no !== String(i + 1)) {
      throw new SettlementImportError(
        row.line,
        `NO ${JSON.stringify(no)} where row ${i + 1} belongs: a row is missing or moved`,
      );
    }
  });
}
