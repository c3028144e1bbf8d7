// Our simulator's banks write the same layouts as the real ones; the parsers must read them back
// to the values the simulated acquirer booked.
import Decimal from 'decimal.js';
import { parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMandiriMerchantStatement } from '../../terminal-sim/banks/files/mandiri-merchant-statement';
import type { SettlementLine } from '../../terminal-sim/banks/types';
import { make } from './bank-files-support';

const money = (v: string) => {
  const d = new Decimal(v);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
};

/** A card sale, a domestic debit card with a fractional MDR, a QRIS payment, a Visa in another batch. */
const LINES: SettlementLine[] = [
  make.line(),
  make.line({
    rrn: '633012000146', approvalCode: 'R23334', maskedPan: '601900******7079', gross: '15000',
    mdr: '22.5', net: '14977.5', terminalBatch: '7',
  }),
  make.qrisLine(),
  make.line({
    rrn: '633012000150', tid: '90807102', approvalCode: '005257', maskedPan: '451249******9867', gross: '250000',
    mdrRate: '0.018', mdr: '4500', net: '245500', batch: '67379', transactionDate: '2026-11-23',
  }),
];

/** What any layout must give back for a line the simulator wrote. */
function identity(line: SettlementLine) {
  return {
    rrn: line.rrn, tid: line.tid, mid: line.mid, approvalCode: line.approvalCode, maskedPan: line.maskedPan,
    transactionDate: line.transactionDate, settlementDate: line.settlementDate, batch: line.batch, gross: money(line.gross),
  };
}

describe('BNI settlement CSV written by the simulator', () => {
  const file = parseSettlement(writeBniSettlementCsv(make.meta(), LINES));

  test('reads back every line with its RRN, ids, dates, amounts and rate as the acquirer booked them', () => {
    expect(file.format).toBe('bni');
    expect(file.lines.map((l) => l.lineNumber)).toEqual([2, 3, 4, 5]);
    file.lines.forEach((parsed, i) => {
      const line = LINES[i];
      expect(parsed).toMatchObject({ ...identity(line), mdr: money(line.mdr), net: money(line.net), mdrRate: line.mdrRate });
    });
  });

  test("keeps BNI's zero-padded OB as the terminal batch and one settlement date for the file", () => {
    expect(file.lines.map((l) => l.terminalBatch)).toEqual(['00001', '00007', '00001', '00001']);
    expect(file).toMatchObject({ merchantId: '2122008903', settlementDate: '2026-11-25' });
    expect(file.totals).toEqual({ count: 4, gross: '505500.00', mdr: '4872.50', otherFees: '0.00', net: '500627.50' });
  });
});

describe('Mandiri merchant statement written by the simulator', () => {
  const meta = make.meta({ acquirerCode: 'MANDIRI' });
  const file = parseSettlement(writeMandiriMerchantStatement(meta, LINES));

  test('reads back every detail line with its RRN, ids, dates and gross', () => {
    expect(file).toMatchObject({ format: 'mandiri', merchantId: meta.mid, settlementDate: meta.settlementDate });
    file.lines.forEach((parsed, i) => {
      expect(parsed).toMatchObject({ ...identity(LINES[i]), terminalBatch: LINES[i].terminalBatch ?? '1', mdrAllocated: true });
    });
  });

  test('each MID x network x batch group states the MDR of its lines, and the spread adds up to it', () => {
    expect(file.feeGroups?.map((g) => [g.network, g.batch, g.mdr, g.lines])).toEqual([
      ['M', '67377', '350.00', [7]],
      ['N', '67377', '22.50', [8]],
      ['Q', '67378', '0.00', [9]],
      ['V', '67379', '4500.00', [10]],
    ]);
    // One line per group here, so each line's share is exactly the MDR the acquirer booked for it.
    expect(file.lines.map((l) => [l.mdr, l.net])).toEqual(LINES.map((l) => [money(l.mdr), money(l.net)]));
    expect(file.totals).toEqual({ count: 4, gross: '505500.00', mdr: '4872.50', otherFees: '0.00', net: '500627.50' });
  });

  test("lines sharing a group split its MDR by gross in the bank's own last decimal, summing exactly", () => {
    const shared = [
      make.line({ rrn: '1', gross: '10000', mdr: '15', net: '9985' }),
      make.line({ rrn: '2', gross: '10000', mdr: '15', net: '9985' }),
      make.line({ rrn: '3', gross: '5001', mdr: '7.5015', net: '4993.4985' }),
    ];
    const parsed = parseSettlement(writeMandiriMerchantStatement(meta, shared));
    expect(parsed.feeGroups).toHaveLength(1);
    expect(parsed.feeGroups?.[0].mdr).toBe('37.5015');
    expect(parsed.lines.map((l) => l.mdr)).toEqual(['15.00', '15.00', '7.5015']);
  });
});
