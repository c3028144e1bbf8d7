// What every settlement line must satisfy before any layout writes it: a bank's file is internally
// consistent (net = gross - MDR on each line) even when it disagrees with our ledger. Faults the
// simulator injects (a different amount, a line written twice, a late date) stay consistent too.
import type Decimal from 'decimal.js';
import type { SettlementLine } from '../types';
import { BankFileInputError, money, ymd } from './file-format';

export interface CheckedLine {
  line: SettlementLine;
  gross: Decimal;
  mdr: Decimal;
  net: Decimal;
  /** The MDR rate in percent, as both BNI's RATE and people write it ("0.15" for 0.0015) */
  ratePercent: Decimal;
}

export function checkSettlementLine(line: SettlementLine, index: number): CheckedLine {
  const at = `line ${index + 1} (rrn ${line.rrn})`;
  const gross = money(line.gross, `${at} gross`);
  const mdr = money(line.mdr, `${at} mdr`);
  const net = money(line.net, `${at} net`);
  const rate = money(line.mdrRate, `${at} mdrRate`);
  if (!gross.gt(0)) throw new BankFileInputError(`${at}: gross must be above zero, got ${line.gross}`);
  if (mdr.isNegative() || rate.isNegative()) throw new BankFileInputError(`${at}: MDR and its rate cannot be negative`);
  if (!gross.minus(mdr).eq(net)) {
    throw new BankFileInputError(`${at}: net ${line.net} is not gross ${line.gross} - mdr ${line.mdr}`);
  }
  ymd(line.transactionDate, `${at} transactionDate`);
  ymd(line.settlementDate, `${at} settlementDate`);
  return { line, gross, mdr, net, ratePercent: rate.times(100) };
}

/** Numbers lines 1, 2, 3... within each key (a batch, a terminal batch), in the order given. */
export function sequencer(): (key: string) => number {
  const next = new Map<string, number>();
  return (key) => {
    const n = (next.get(key) ?? 0) + 1;
    next.set(key, n);
    return n;
  };
}
