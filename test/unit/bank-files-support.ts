// Factories for the bank file writers' inputs, and the reader of the real bank files in
// ../shared/conformance. The real files live outside the repo on purpose and are read at test
// time; a missing one throws, so a test fails instead of passing on nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir } from '../support/conformance-dir';
import type { SettlementFileMeta, SettlementLine, Statement, StatementEntry } from '../../terminal-sim/banks/types';

export function readConformance(relative: string): string {
  const file = path.join(conformanceDir(), relative);
  if (!existsSync(file)) {
    throw new Error(`conformance file not found at ${file}; the shared folder must sit next to the repo`);
  }
  return readFileSync(file, 'utf8');
}

export const make = {
  meta(overrides: Partial<SettlementFileMeta> = {}): SettlementFileMeta {
    return {
      acquirerCode: 'BNI',
      acquirerName: 'PT Bank Negara Indonesia',
      merchantName: 'Pemkab Magelang Retribusi Pasar',
      mid: '2122008903',
      settlementDate: '2026-11-25',
      generatedAt: new Date('2026-11-24T22:00:00Z'),
      merchantAccount: '1650090000887',
      ...overrides,
    };
  },

  /** A debit card sale of Rp 233,000 at 0.15 % MDR, written D+1. */
  line(overrides: Partial<SettlementLine> = {}): SettlementLine {
    return {
      acquirerCode: 'BNI',
      channel: 'card',
      tid: '90807101',
      mid: '2122008903',
      rrn: '633012000145',
      stan: '000145',
      approvalCode: '353440',
      maskedPan: '519893******8977',
      transactedAt: new Date('2026-11-24T02:15:00Z'),
      transactionDate: '2026-11-24',
      gross: '233000',
      mdrRate: '0.0015',
      mdr: '350',
      net: '232650',
      settlementDate: '2026-11-25',
      batch: '67377',
      ...overrides,
    };
  },

  qrisLine(overrides: Partial<SettlementLine> = {}): SettlementLine {
    return make.line({
      channel: 'qris',
      tid: 'PSRREJO1',
      rrn: '000000031507',
      stan: undefined,
      approvalCode: undefined,
      maskedPan: undefined,
      issuer: 'DANA',
      reference: 'RTB2611240001',
      gross: '7500',
      mdrRate: '0',
      mdr: '0',
      net: '7500',
      batch: '67378',
      ...overrides,
    });
  },

  entry(overrides: Partial<StatementEntry> = {}): StatementEntry {
    return {
      valueDate: '2026-11-25',
      bookingDate: '2026-11-25',
      amount: '232650.00',
      direction: 'credit',
      reference: '67377',
      description: 'STL BNI EDC 20261124 B67377',
      ...overrides,
    };
  },

  statement(overrides: Partial<Statement> = {}): Statement {
    return {
      bankName: 'Bank Jateng',
      bic: 'PDJGIDJ1',
      accountNumber: '1010001234',
      accountName: 'RKUD KAB MAGELANG',
      currency: 'IDR',
      statementNumber: 102,
      date: '2026-11-25',
      openingBalance: '100000.35',
      entries: [
        make.entry(),
        make.entry({ amount: '7500', reference: '67378', description: 'STL BNI QRIS 20261124 B67378' }),
      ],
      closingBalance: '340150.35',
      generatedAt: new Date('2026-11-25T03:00:08Z'),
      ...overrides,
    };
  },
};

/** The shape of a cell: runs of digits become 9 and runs of letters A, so 21/05/2020 is 9/9/9. */
export function coarseShape(cell: string): string {
  return cell.replace(/\d+/g, '9').replace(/[A-Za-z]+/g, 'A');
}

/** The shape of a cell character by character: 21/05/2020 is 99/99/9999. */
export function exactShape(cell: string): string {
  return cell.replace(/\d/g, '9').replace(/[A-Za-z]/g, 'A');
}
