// BNI's EDC settlement report, as the CSV the acquirer's xlsx reads as (the real one is
// ../shared/conformance/settlement/cashlez_bni_*_20200521.csv). One row per settled transaction,
// no totals row, the word STOP as the last line, CRLF line ends, no quoting on ordinary rows.
//
// Quirks kept from the real file, because the reconciliation importer must read both:
// - dates are DD/MM/YYYY, local business dates (PROC DATE = settlement date, TRX DATE = the
//   transaction's local date); BNI writes no time of day.
// - amounts are plain numbers without thousand separators or trailing zeros (233000, 349.5).
// - RATE is a percentage (0.15 means 0.15 %), DISC AMOUNT the MDR, NETT = AMOUNT - DISC.
// - CARD NO is masked with X (519893XXXXXX8977), AUTH is text and may start with a letter.
// - MERCHANT ACCOUNT is zero-padded to 16 digits, MERCHANT NAME upper case cut at 25 characters.
// - DISC AMOUNT is per line, rounded half up to the whole rupiah by the acquirer (the simulated
//   settlement does that: settlement.ts mdrOf 'per-line'); this writer writes what the line says.
// - a transaction settled twice (the duplicate-line fault) is a second row with the next SEQ of
//   its batch and everything else the same.
// The real layout has no RRN, STAN or time of day, and neither has ours. Only an acquirer whose
// file carries an RRN (meta.settlementRrn) gets an RRN column after the 23 real ones.
import type { SettlementFileMeta, SettlementLine } from '../types';
import { type CheckedLine, checkSettlementLine, sequencer } from './settlement-check';
import { cardBrand, csvLine, dayMonthYear, plainAmount, remask } from './file-format';

/** The header of the real BNI file, column for column. */
export const BNI_COLUMNS = [
  'PROC DATE',
  'MID',
  'OB',
  'GB',
  'SEQ',
  'TYPE',
  'TRX DATE',
  'AUTH',
  'CARD NO',
  'AMOUNT',
  'TID',
  'JENIS TRX',
  'PTR',
  'RATE',
  'DISC AMOUNT',
  'AIR FARE',
  'PLAN',
  'SS AMOUNT',
  'SS FEE TYPE',
  'FLAG',
  'NETT AMOUNT',
  'MERCHANT ACCOUNT',
  'MERCHANT NAME',
] as const;

/** After the real ones, only for an acquirer whose file carries an RRN (meta.settlementRrn). */
export const BNI_EXTRA_COLUMNS = ['RRN'] as const;

/** TYPE: BNI's card brand letter. P (domestic/GPN debit) is what the real debit file shows for
 * 1946xx/6010xx cards. Q for QRIS is ours: the real EDC report carries no QRIS rows. */
const BRAND_LETTER = { visa: 'V', mastercard: 'M', jcb: 'J', domestic: 'P' } as const;

export function writeBniSettlementCsv(meta: SettlementFileMeta, lines: SettlementLine[]): string {
  const checked = lines.map(checkSettlementLine);
  const seqInBatch = sequencer();
  const rrn = meta.settlementRrn === true;
  const rows = checked.map((c) =>
    csvLine([...bniRow(meta, c, seqInBatch(c.line.batch)), ...(rrn ? [c.line.rrn] : [])]),
  );
  return `${csvLine([...BNI_COLUMNS, ...(rrn ? BNI_EXTRA_COLUMNS : [])]) + rows.join('')}STOP\r\n`;
}

function bniRow(meta: SettlementFileMeta, c: CheckedLine, seq: number): string[] {
  const { line } = c;
  const at = `line rrn ${line.rrn}`;
  return [
    dayMonthYear(line.settlementDate, `${at} settlementDate`),
    line.mid,
    // OB: the EDC's batch, five digits in the real file (00080)
    (line.terminalBatch ?? '1').padStart(5, '0'),
    // GB: the acquirer's settlement batch; SEQ numbers the rows within it (001, 002...)
    line.batch,
    String(seq).padStart(3, '0'),
    line.channel === 'qris' ? 'Q' : BRAND_LETTER[cardBrand(line.maskedPan)],
    dayMonthYear(line.transactionDate, `${at} transactionDate`),
    line.approvalCode ?? '',
    line.channel === 'qris' ? '' : remask(line.maskedPan, 'X'),
    plainAmount(c.gross),
    line.tid,
    '', // JENIS TRX: blank for a sale (S is an installment, which retribution never is)
    '0', // PTR: installment tenor
    plainAmount(c.ratePercent),
    plainAmount(c.mdr),
    '0', // AIR FARE
    '', // PLAN
    '0', // SS AMOUNT: installment fee
    '0', // SS FEE TYPE
    '', // FLAG
    plainAmount(c.net),
    meta.merchantAccount ? meta.merchantAccount.padStart(16, '0') : '',
    meta.merchantName.toUpperCase().slice(0, 25),
  ];
}
