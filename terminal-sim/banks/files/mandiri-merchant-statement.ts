// Bank Mandiri's merchant statement (the real one: ../shared/conformance/settlement/
// cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv, an xlsx read as CSV). One sheet
// with sections: a header block, DETAIL (one row per transaction, gross only), its TOTAL,
// SUMMARY GROUP (one row per MID x network with the MDR and the net paid), its TOTAL.
//
// Quirks kept from the real file, because the reconciliation importer must read both:
// - dates are Excel day serials (Payment Date 43973 = 2020-05-22), with no time of day.
// - MDR exists only per summary row: the detail has gross AMOUNT and NonMdrAMOUNT, no fee, no net.
// - text cells are fixed width, right-padded (names 32, DESCRIPTION 25/50, CRDTYPE 10, NETWORK 3),
//   and account numbers and AUTHCODE carry Excel's ' text prefix ('1650090000887, '014177').
// - amounts are plain numbers without separators; CARD is masked with *; CRLF line ends.
// - the MDR is Mandiri's per group: each SUMMARY GROUP row (MID x network/agreement x payment
//   batch) charges rate x its TOTAMOUNT rounded half up to the rupiah, and NETAMOUNT = TOTAMOUNT -
//   MDRAMOUNT; the lines carry their exact unrounded share, and rounding them one by one would be
//   wrong (it is on 155 of the real file's 585 groups).
// - BATCHSEQ numbers a terminal batch's rows; a transaction settled twice (the duplicate-line
//   fault) is a second row with the next BATCHSEQ, the same TID, TIDBATCH, AUTHCODE and AMOUNT.
// The real layout has no RRN, STAN or time of day, and neither has ours. Only an acquirer whose
// file carries an RRN (meta.settlementRrn) gets an RRN column after NonMdrAMOUNT in DETAIL.
import Decimal from 'decimal.js';
import type { SettlementFileMeta, SettlementLine } from '../types';
import { type CheckedLine, checkSettlementLine, sequencer } from './settlement-check';
import { cardBrand, csvLine, excelSerial, fixedWidth, plainAmount, remask, sum } from './file-format';

export const MANDIRI_DETAIL_COLUMNS = [
  'MID',
  'Merchant Official',
  'Trading Name',
  'Bank Mandiri ACC',
  'Other Bank ACC',
  'MerchACC',
  'TRXDATE',
  'SETTLEDATE',
  'TRXCODE',
  'DESCRIPTION',
  'CARD',
  'CRDTYPE',
  'TID',
  'AUTHCODE',
  'PAYMENTBATCH',
  'TIDBATCH',
  'BATCHSEQ',
  'AMOUNT',
  'NonMdrAMOUNT',
] as const;
export const MANDIRI_DETAIL_EXTRA_COLUMNS = ['RRN'] as const;
export const MANDIRI_SUMMARY_COLUMNS = [
  'MID',
  'Merchant Official',
  'Trading Name',
  'Bank Mandiri ACC',
  'Other Bank ACC',
  'MerchACC',
  'PAYMENTDATE',
  'MerchAGR',
  'NETWORK',
  'DESCRIPTION',
  'PAYMENTBATCH',
  'TOTAMOUNT',
  'MDRAMOUNT',
  'NETAMOUNT',
] as const;

export interface Network {
  crdType: string;
  merchAcc: string;
  merchAgr: string;
  network: string;
  description: string;
}

/** Mandiri prices by network; the codes are those of the real file's off-us rows (agreement 603).
 * JCB and QRIS rows do not occur there: their codes are ours. */
const NETWORKS: Record<'visa' | 'mastercard' | 'jcb' | 'domestic' | 'qris', Network> = {
  visa: { crdType: 'OV', merchAcc: '77', merchAgr: '603', network: 'V', description: 'Off Us Visa' },
  mastercard: { crdType: 'OM', merchAcc: '57', merchAgr: '603', network: 'M', description: 'Off Us Master Card' },
  jcb: { crdType: 'OJ', merchAcc: '87', merchAgr: '603', network: 'J', description: 'Off Us JCB' },
  domestic: { crdType: 'NPG', merchAcc: '67', merchAgr: '603', network: 'N', description: 'NPG' },
  qris: { crdType: 'QRIS', merchAcc: '93', merchAgr: '609', network: 'Q', description: 'QRIS' },
};

function networkOf(line: SettlementLine): Network {
  return line.channel === 'qris' ? NETWORKS.qris : NETWORKS[cardBrand(line.maskedPan)];
}

/** The merchant columns that open every DETAIL and SUMMARY row. */
function merchantCells(meta: SettlementFileMeta, line: SettlementLine, network: Network): string[] {
  return [
    line.mid,
    fixedWidth(meta.merchantName.toUpperCase(), 32),
    fixedWidth(meta.merchantName, 32), // Trading Name: the outlet; a market is its own outlet here
    fixedWidth(`'${meta.merchantAccount ?? ''}`, 14),
    fixedWidth("'", 20), // Other Bank ACC: empty when the payout goes to a Mandiri account
    network.merchAcc,
  ];
}

export function writeMandiriMerchantStatement(meta: SettlementFileMeta, lines: SettlementLine[]): string {
  const checked = lines.map(checkSettlementLine);
  const paymentDate = excelSerial(meta.settlementDate, 'meta.settlementDate');
  return [
    csvLine(['MERCHANT STATEMENT']),
    csvLine(['Payment Date', paymentDate]),
    csvLine(['Group', `'${meta.mid}`]),
    csvLine(['Group Name', meta.merchantName.toUpperCase()]),
    ...detailSection(meta, checked),
    ...summarySection(meta, mandiriGroups(checked), paymentDate),
  ].join('');
}

function detailSection(meta: SettlementFileMeta, checked: CheckedLine[]): string[] {
  const withRrn = meta.settlementRrn === true;
  const seqInTerminalBatch = sequencer();
  const rows = checked.map(({ line, gross }) => {
    const network = networkOf(line);
    const terminalBatch = line.terminalBatch ?? '1';
    return csvLine([
      ...merchantCells(meta, line, network),
      excelSerial(line.transactionDate, `rrn ${line.rrn} transactionDate`),
      excelSerial(line.settlementDate, `rrn ${line.rrn} settlementDate`),
      '5', // TRXCODE 5 = RETAIL (a sale)
      fixedWidth('RETAIL', 25),
      line.channel === 'qris' ? '' : remask(line.maskedPan, '*'),
      fixedWidth(network.crdType, 10),
      line.tid,
      `'${line.approvalCode ?? ''}'`,
      line.batch,
      terminalBatch,
      String(seqInTerminalBatch(`${line.tid}\u0000${terminalBatch}`)),
      plainAmount(gross),
      '0', // NonMdrAMOUNT: the part exempt from MDR; none for a retribution payment
      ...(withRrn ? [line.rrn] : []),
    ]);
  });
  const total = plainAmount(sum(checked.map((c) => c.gross)));
  return [
    csvLine(['DETAIL']),
    csvLine([...MANDIRI_DETAIL_COLUMNS, ...(withRrn ? MANDIRI_DETAIL_EXTRA_COLUMNS : [])]),
    ...rows,
    csvLine(['TOTAL', ...Array<string>(16).fill(''), total, '0']),
  ];
}

/** One SUMMARY GROUP row: what Mandiri charges and pays for one MID x network x payment batch. */
export interface MandiriGroup {
  first: SettlementLine;
  network: Network;
  gross: Decimal;
  /** rate x TOTAMOUNT, rounded half up to the rupiah once, on the group's total */
  mdr: Decimal;
  net: Decimal;
}

/** The groups in the order each first appears. The lines' exact fees add up to rate x the group's
 * total (one rate per network), which Mandiri rounds half up to the whole rupiah. */
function mandiriGroups(checked: CheckedLine[]): MandiriGroup[] {
  const groups = new Map<string, { first: SettlementLine; network: Network; gross: Decimal[]; mdr: Decimal[] }>();
  for (const { line, gross, mdr } of checked) {
    const network = networkOf(line);
    const key = [line.mid, network.crdType, line.batch].join('\u0000');
    const group = groups.get(key) ?? { first: line, network, gross: [], mdr: [] };
    group.gross.push(gross);
    group.mdr.push(mdr);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ first, network, gross, mdr }) => {
    const total = sum(gross);
    const fee = sum(mdr).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
    return { first, network, gross: total, mdr: fee, net: total.minus(fee) };
  });
}

/** The summary groups of a file written from these lines: what the statement says Mandiri pays. */
export function mandiriSummaryGroups(lines: SettlementLine[]): MandiriGroup[] {
  return mandiriGroups(lines.map(checkSettlementLine));
}

/** One row per group; Mandiri fixes the MDR here, so these rows are where reconciliation finds
 * the fee and the net it was paid. */
function summarySection(meta: SettlementFileMeta, groups: MandiriGroup[], paymentDate: string): string[] {
  const rows = groups.map(({ first, network, gross, mdr, net }) =>
    csvLine([
      ...merchantCells(meta, first, network),
      paymentDate,
      network.merchAgr,
      fixedWidth(network.network, 3),
      fixedWidth(network.description, 50),
      first.batch,
      plainAmount(gross),
      plainAmount(mdr),
      plainAmount(net),
    ]),
  );
  const totalGross = sum(groups.map((g) => g.gross));
  const totalMdr = sum(groups.map((g) => g.mdr));
  return [
    csvLine(['SUMMARY GROUP']),
    csvLine([...MANDIRI_SUMMARY_COLUMNS]),
    ...rows,
    csvLine([
      'TOTAL',
      ...Array<string>(10).fill(''),
      plainAmount(totalGross),
      plainAmount(totalMdr),
      plainAmount(totalGross.minus(totalMdr)),
    ]),
  ];
}
