// What the camt files' source projects expect, as checks on our parse: genkgo/camt's expected
// JSON (amounts in minor units), OCA's golden data (a Python literal, read by pattern) and the
// values viafintech/camt_parser's specs state (copied in SOURCES.md).
import Decimal from 'decimal.js';
import type { ParsedStatement, StatementLine } from '../../api/reconcile/importers/statement-types';
import { readExpected } from './conformance';

export type SourceCheck = (statements: ParsedStatement[], name: string) => void;

// genkgo names balance types in words; several ISO codes share one ("opening": OPBD or PRCD).
const GENKGO_TYPES: Record<string, string> = {
  OPBD: 'opening',
  PRCD: 'opening',
  OPAV: 'opening_available',
  CLBD: 'closing',
  CLAV: 'closing_available',
  FWAV: 'forward_available',
  INFO: 'information',
  ITAV: 'interim_available',
  ITBD: 'interim',
  XPCD: 'expected_credit',
};

/** genkgo's dump of PHP objects: walked by its getter names, whose shapes vary by class. */
// biome-ignore lint/suspicious/noExplicitAny: walked by getter names whose shapes vary by class
type Json = Record<string, any>;

/** moneyphp minor units: JPY has none, the other currencies here two. */
function major(money: Json): string {
  const digits = money.getCurrency.getCode === 'JPY' ? 0 : 2;
  return new Decimal(money.getAmount).div(10 ** digits).toFixed(2);
}

function genkgo(statements: ParsedStatement[], name: string): void {
  const json = JSON.parse(readExpected('camt', name.replace(/\.xml$/, '.expected.json'))!) as Json;
  for (const entry of json.getEntries as Json[]) {
    const record = entry.getRecord;
    const s = statements.find((x) => x.statementId === record.getId)!;
    expect(s).toBeDefined();
    expect([s.account, s.sequence]).toEqual([
      record.getAccount.getIdentification,
      record.getElectronicSequenceNumber ?? undefined,
    ]);
    expect(s.balances.map((b) => [GENKGO_TYPES[b.type], b.amount, b.currency ?? s.currency, b.date])).toEqual(
      (record.getBalances ?? []).map((b: Json) => [
        b.getType,
        major(b.getAmount),
        b.getAmount.getCurrency.getCode,
        b.getDate['0'].slice(0, 10),
      ]),
    );
    genkgoEntry(s.entries[entry.getIndex], entry, s.currency);
  }
}

function genkgoEntry(e: StatementLine, entry: Json, currency: string): void {
  const signedAmount = new Decimal(e.amount).times(e.direction === 'debit' ? -1 : 1).toFixed(2);
  expect([signedAmount, e.currency ?? currency, e.reversal, e.bookingDate, e.valueDate]).toEqual([
    major(entry.getAmount),
    entry.getAmount.getCurrency.getCode,
    entry.getReversalIndicator,
    entry.getBookingDate['0'].slice(0, 10),
    entry.getValueDate['0'].slice(0, 10),
  ]);
  expect([e.bankReference, e.details['BkTxCd/Prtry'], e.details['Btch/PmtInfId'], e.details.AddtlNtryInf]).toEqual([
    entry.getAccountServicerReference ?? undefined,
    entry.getBankTransactionCode?.getProprietary?.getCode,
    entry.getBatchPaymentId ?? undefined,
    entry.getAdditionalInfo || undefined,
  ]);
  const details = (entry.getTransactionDetails as (Json | string)[]).map((t) =>
    t === '__RECURSIVITY__' ? entry.getTransactionDetail : t,
  ) as Json[];
  expect(e.transactions).toHaveLength(details.length);
  details.forEach((t, i) => {
    const ours = e.transactions![i];
    expect(ours.endToEndId).toBe(t.getReference?.getEndToEndId ?? undefined);
    if (t.getAmount) expect(ours.amount).toBe(new Decimal(major(t.getAmount)).abs().toFixed(2));
    const rmt = t.getRemittanceInformation;
    if (rmt?.getUnstructuredBlock) expect(ours.description).toContain(rmt.getUnstructuredBlock.getMessage);
    else if (rmt?.getMessage) expect(ours.reference).toBe(rmt.getMessage);
  });
}

/** OCA's golden statement: currency, account, name, balances and one line per payment (a
 * batch split into its TxDtls), signed. */
function oca(goldenFile: string): SourceCheck {
  return (statements) => {
    const golden = readExpected('camt', goldenFile)!;
    const [, currency, account] = /^\('(\w+)',\s*'(\w+)'/.exec(golden)!;
    const number = (key: string) => new Decimal(new RegExp(`'${key}': (-?[\\d.]+)`).exec(golden)![1]);
    const s = statements[0];
    expect([s.currency, s.account, s.statementId]).toEqual([currency, account, /'name': '([^']*)'/.exec(golden)![1]]);
    expect(new Decimal(s.openingBalance?.amount ?? 0).eq(number('balance_start'))).toBe(true);
    expect(new Decimal(s.closingBalance?.amount ?? 0).eq(number('balance_end_real'))).toBe(true);
    const lines = golden
      .split("{'account_number'")
      .slice(1)
      .map((chunk) => ({
        amount: new Decimal(/'amount': (-?[\d.]+)/.exec(chunk)![1]).toFixed(2),
        ref: /'ref': '([^']*)'/.exec(chunk)![1],
        partner: /'partner_name': '([^']*)'/.exec(chunk)![1],
        type: /'transaction_type': '([^']*)'/.exec(chunk)![1],
      }));
    const ours = s.entries.flatMap((e) =>
      (e.transactions ?? []).map((t) => ({
        amount: new Decimal(t.amount).times(e.direction === 'debit' ? -1 : 1).toFixed(2),
        ref: t.details?.['RmtInf/Strd/CdtrRefInf/Ref'] ?? t.endToEndId,
        partner: t.details?.[e.direction === 'debit' ? 'RltdPties/Cdtr/Nm' : 'RltdPties/Dbtr/Nm'],
        type: e.transactionCode,
      })),
    );
    expect(ours).toEqual(lines);
  };
}

export const GENKGO: Record<string, SourceCheck> = Object.fromEntries(
  [
    'camt053.v2.all-balance-types',
    'camt053.v2.five.decimals',
    'camt053.v2.multi.statement',
    'camt053.v8',
    'camt054.v4',
    'camt054.v8',
  ].map((n) => [`genkgo_${n}.xml`, genkgo]),
);

export const OCA: Record<string, SourceCheck> = {
  'oca_test-camt053.xml': oca('oca_golden-camt053.pydata'),
  'oca_test-camt053-txdtls.xml': oca('oca_golden-camt053-txdtls.pydata'),
  'oca_test-camt054.xml': oca('oca_golden-camt054.pydata'),
};

const allTransactions = (s: ParsedStatement) => s.entries.flatMap((e) => e.transactions ?? []);

/** viafintech/camt_parser's spec values, as SOURCES.md quotes them. */
export const SOURCE_SPECS: Record<string, SourceCheck> = {
  'viafintech_053_valid_example.xml': ([s]) => {
    expect([s.statementId, s.sequence, s.openingBalance]).toEqual([
      '0352C5320131227220503',
      '130000005',
      { amount: '33.06', date: '2013-12-27' },
    ]);
    const e = s.entries[0];
    expect([e.amount, e.direction, e.bookingDate, e.valueDate]).toEqual(['2.00', 'debit', '2013-12-27', '2013-12-27']);
    expect([e.bankReference, e.details.NtryRef]).toEqual(['2013122710583450000', '1234567890sdfghjk']);
    const t = e.transactions![0];
    expect([t.endToEndId, t.details!['Refs/MndtId'], t.details!['RltdPties/CdtrAcct']]).toEqual([
      'EndToEndReference',
      'MandateReference',
      'DE09300606010012345671',
    ]);
  },
  'viafintech_053_valid_example_with_debit.xml': ([s]) => {
    expect(s.openingBalance).toEqual({ amount: '-33.06', date: '2013-12-27' });
  },
  'viafintech_053_valid_example_with_batch.xml': ([s]) => {
    const e = s.entries[0];
    expect([e.batchCount, e.details['Btch/PmtInfId'], e.details['Btch/MsgId'], e.transactions]).toEqual([
      3,
      'O0OpeAYTkhjerKu3eE9asw',
      '02453b1e17c11241073a777ad9c273b4149',
      undefined,
    ]);
  },
  'viafintech_053_valid_example_v8.xml': ([s]) => {
    expect([s.statementId, s.sequence, s.entries[0].description]).toEqual([
      'R30B4SA880HMZ9XA',
      '122',
      'INVOICE R77561',
    ]);
    expect(s.entries[1].transactions![0]).toMatchObject({
      amount: '88.85',
      reference: 'RF38000000000000000000552',
      endToEndId: '435A9287E088BDB1D97FAABD181C70C8',
    });
    expect([s.entries[2].amount, s.entries[2].currency]).toEqual(['20.97', 'EUR']);
  },
  'viafintech_053_valid_example_v4.xml': ([s]) => {
    expect(s.entries[6].charges).toBe('5.20');
    expect(allTransactions(s).find((t) => t.details!['RltdPties/Dbtr/Nm'] === 'Hans Kaufmann')?.amount).toBe('100.00');
    expect(allTransactions(s).filter((t) => t.details!['RtrInf/Rsn'] === 'MD06').length).toBeGreaterThan(0);
    expect(s.entries.filter((e) => e.reversal).map((e) => [e.direction, e.amount])).toEqual([
      ['debit', '6.00'],
      ['debit', '15.53'],
    ]);
  },
  'viafintech_054_valid_example.xml': ([s]) => {
    expect([s.format, s.statementId]).toEqual(['camt.054', '20160410375204000131032']);
  },
};
