// BNI's EDC settlement report (the real ones: conformance/settlement/cashlez_bni_*_20200521.csv;
// ours: terminal-sim/banks/files/bni-settlement-csv.ts). One row per transaction, STOP last.
//
// BNI's quirks:
// - PROC DATE is the settlement date and TRX DATE the local transaction date, DD/MM/YYYY, with no
//   time of day anywhere.
// - RATE is a percentage (0.15 = 0.15 %), DISC AMOUNT the MDR, NETT AMOUNT what is paid out.
// - An installment row (JENIS TRX S) also pays the bank an SS AMOUNT: NETT = AMOUNT - DISC - SS.
// - AUTH is text and may start with a letter (R23334); CARD NO is masked with X.
// - GB is the settlement batch the treasury credit carries, OB the EDC's own batch.
// - The real layout has no RRN: a line is the transaction (TID, TRX DATE, AUTH, AMOUNT, CARD NO)
//   and the bank's own row key (MID, OB, GB, SEQ). A bank that adds an RRN column is read too.
import type { CsvHeader, CsvRow } from './csv-text';
import { cell, rawCells } from './csv-text';
import { checkStated, lineAmounts, wholeLineAmounts, LineTally, cardCell, text } from './settlement-lines';
import { statedFromRow, tableLineChunks } from './settlement-table';
import type { ParsedSettlementLine, SettlementFileSummary } from './settlement-types';
import type { TextSource } from './text-source';
import { at, percentToFraction, readAmount, readAmountOrZero, readDate } from './settlement-values';

const LAYOUT = 'BNI settlement';
const REQUIRED = ['PROC DATE', 'MID', 'TRX DATE', 'AMOUNT', 'TID', 'DISC AMOUNT', 'NETT AMOUNT'] as const;
const DATE = 'DD/MM/YYYY';
const COLUMNS = { gross: 'AMOUNT', mdr: 'DISC AMOUNT', net: 'NETT AMOUNT' };

/** True when the text's first line is BNI's header. */
export function looksLikeBni(firstLine: string): boolean {
  return /^PROC DATE,MID,/i.test(firstLine) && /NETT AMOUNT/i.test(firstLine);
}

/** The file's lines in chunks as they are read (a million rows' cells, or lines, are never all
 * held at once), then what the file says as a whole. */
export function* bniSettlementChunks(
  source: TextSource,
  keepRaw = true,
): Generator<ParsedSettlementLine[], SettlementFileSummary> {
  const seen = new Seen();
  const tally = new LineTally(['mid', 'settlementDate']);
  const table = yield* tally.through(
    tableLineChunks(source, ',', { layout: LAYOUT, required: REQUIRED, endMarker: 'STOP' }, (row, header) =>
      bniLine(row, header, keepRaw, seen),
    ),
  );
  const totals = tally.totals();
  // BNI writes no totals row; a file re-saved with one is checked against the lines.
  const stated = table.totals ? [statedFromRow(table.totals, table.header, COLUMNS)] : [];
  stated.forEach((s) => checkStated(s, totals));
  return {
    format: 'bni',
    merchantId: tally.sharedValue('mid'),
    settlementDate: tally.sharedValue('settlementDate'),
    totals,
    stated,
  };
}

/** The values a file repeats on line after line (its MID, TIDs, batches, rate), each held once
 * rather than a million times; a rate is read once per distinct text. */
class Seen {
  private readonly texts = new Map<string, string>();
  private readonly rates = new Map<string, string>();

  text(value: string): string | undefined {
    if (value === '') return text(value);
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    if (this.texts.size < SEEN_KEPT) this.texts.set(value, value);
    return value;
  }

  rate(value: string, line: number): string | undefined {
    if (value === '') return undefined;
    const known = this.rates.get(value);
    if (known !== undefined) return known;
    const fraction = percentToFraction(value, at(line, 'RATE'));
    if (this.rates.size < SEEN_KEPT) this.rates.set(value, fraction);
    return fraction;
  }
}

const SEEN_KEPT = 10_000;

/** BNI numbers each row by MID, EDC batch (OB), settlement batch (GB) and its SEQ in GB. */
function bniLineKey(get: (name: string) => string): string | undefined {
  const parts = [get('MID'), get('OB'), get('GB'), get('SEQ')];
  return parts.every((p) => p !== '') ? parts.join('/') : undefined;
}

function bniLine(row: CsvRow, header: CsvHeader, keepRaw: boolean, seen: Seen): ParsedSettlementLine {
  const get = (name: string) => cell(row, header, name);
  const where = (name: string) => at(row.line, name);
  const amounts =
    wholeLineAmounts(get('AMOUNT'), get('DISC AMOUNT'), get('SS AMOUNT'), get('NETT AMOUNT')) ??
    lineAmounts(row.line, {
      gross: readAmount(get('AMOUNT'), where('AMOUNT')),
      mdr: readAmount(get('DISC AMOUNT'), where('DISC AMOUNT')),
      otherFees: readAmountOrZero(get('SS AMOUNT'), where('SS AMOUNT')),
      net: readAmount(get('NETT AMOUNT'), where('NETT AMOUNT')),
    });
  return {
    lineNumber: row.line,
    rrn: text(get('RRN')),
    tid: seen.text(get('TID')),
    mid: seen.text(get('MID')),
    approvalCode: text(get('AUTH')),
    ...cardCell(get('CARD NO'), 'CARD NO'),
    transactionDate: readDate(get('TRX DATE'), DATE, where('TRX DATE')),
    ...amounts,
    mdrRate: seen.rate(get('RATE'), row.line),
    settlementDate: readDate(get('PROC DATE'), DATE, where('PROC DATE')),
    batch: seen.text(get('GB')),
    terminalBatch: seen.text(get('OB')),
    network: seen.text(get('TYPE')),
    lineKey: bniLineKey(get),
    raw: keepRaw ? rawCells(row, header) : undefined,
  };
}
