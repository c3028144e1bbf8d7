// Every camt file in the shared conformance folder, against the values its sources state:
// expected/_computed_summary.txt for every file (records, balances, each entry, whether it
// balances); genkgo's expected JSON, OCA's golden data and viafintech's spec values where given.
import Decimal from 'decimal.js';
import { parseCamt } from '../../api/reconcile/importers/camt';
import { type ParsedStatement, StatementImportError } from '../../api/reconcile/importers/statement-types';
import { computedSummary, conformanceFiles, readConformance, requireConformance } from '../support/conformance';
import { GENKGO, OCA, SOURCE_SPECS } from '../support/camt-sources';

/** Files whose numbers do not add up (SOURCES.md): refused by default, read when asked. */
const BROKEN: Record<string, RegExp> = {
  'genkgo_camt053.v2.all-balance-types.xml': /does not balance/, // balance fixtures 1.01 ... 10.10
  'genkgo_camt053.v2.five.decimals.xml': /does not balance/, // 18.150 + 8.850 is not 27.050
  'genkgo_camt053.v8.xml': /closing balance is in SEK, the opening balance in EUR/,
  'oca_test-camt053.xml': /does not balance/, // net -12.99, the balances differ by 447.15
  'viafintech_053_valid_example_v8.xml': /does not balance/, // an EUR entry on a CHF account
  'viafintech_053_valid_example_with_batch.xml': /TxsSummry\/TtlNtries says 35 entries, the record holds 3/,
  'viafintech_053_valid_example_with_debit.xml': /does not balance/, // only the opening sign was changed
};

/** Where the refusal belongs: the <TxsSummry> that miscounts, else the CLBD <Bal>. */
function refusalLine(text: string): number {
  const summaryAt = text.indexOf('<TxsSummry');
  const at = summaryAt >= 0 ? summaryAt : text.lastIndexOf('<Bal', text.indexOf('<Cd>CLBD</Cd>'));
  return text.slice(0, at).split('\n').length;
}

const files = conformanceFiles('camt').filter((f) => f.endsWith('.xml'));
const summary = files.length > 0 ? computedSummary('camt') : new Map<string, string[]>();

const read = (name: string) => readConformance('camt', name).toString('utf8');
const signed = (side: string, amount: string) =>
  side === 'DBIT' ? new Decimal(amount).negated() : new Decimal(amount);
const none = (value: string) => (value === 'None' ? undefined : value);
/** "['564.05', '100.00']", "[None]" or "None", as the summary tool prints lists */
const pyList = (value: string) => (value === 'None' ? [] : [...value.matchAll(/'([^']*)'|None/g)].map((m) => m[1]));

interface SummaryRecord {
  head: RegExpExecArray;
  balances: RegExpExecArray[];
  entries: RegExpExecArray[];
  balances_ok?: boolean;
}

function summaryRecords(name: string): SummaryRecord[] {
  const records: SummaryRecord[] = [];
  for (const line of summary.get(name) ?? []) {
    const head = /^- (Stmt|Ntfctn) Id=(\S+) acct=(\S+) ElctrncSeqNb=(\S+)/.exec(line);
    const bal = /^\s+Bal (\w+): (CRDT|DBIT) (\S+) ([A-Z]{3}) date=(\S+)/.exec(line);
    const entry = new RegExp(
      String.raw`^\s+\[\d+\] (CRDT|DBIT) (\S+) ([A-Z]{3}) RvslInd=(\S+) Sts=(\S+) BookgDt=(\S+) ValDt=(\S+) ` +
        String.raw`AcctSvcrRef=(\S+) BkTxCd=(\S+) Prtry=(\S+) Btch\.NbOfTxs=(\S+) TxDtls=(\d+) TxAmts=(.*)$`,
    ).exec(line);
    const check = / -> (BALANCES|DOES NOT BALANCE)$/.exec(line);
    if (head) records.push({ head, balances: [], entries: [] });
    else if (bal) records[records.length - 1].balances.push(bal);
    else if (entry) records[records.length - 1].entries.push(entry);
    else if (check) records[records.length - 1].balances_ok = check[1] === 'BALANCES';
  }
  return records;
}

function expectSummaryRecord(s: ParsedStatement, r: SummaryRecord): void {
  expect([s.format, s.statementId, s.account]).toEqual([
    r.head[1] === 'Stmt' ? 'camt.053' : 'camt.054',
    r.head[2],
    r.head[3],
  ]);
  if (none(r.head[4])) expect(s.sequence).toBe(r.head[4]);
  expect(s.balances.map((b) => [b.type, b.amount, b.currency ?? s.currency, b.date])).toEqual(
    r.balances.map((m) => [m[1], signed(m[2], m[3]).toFixed(2), m[4], m[5]]),
  );
  expect(s.entries).toHaveLength(r.entries.length);
  s.entries.forEach((e, i) => {
    const m = r.entries[i];
    const code = m[9] !== 'None-None-None' ? m[9] : none(m[10]);
    expect([e.direction, e.currency ?? s.currency, e.reversal, e.bookingDate, e.valueDate]).toEqual([
      m[1] === 'CRDT' ? 'credit' : 'debit',
      m[3],
      m[4] === 'true',
      m[6].slice(0, 10),
      m[7],
    ]);
    expect(new Decimal(e.amount).eq(m[2])).toBe(true);
    expect([e.bankReference, e.transactionCode, e.batchCount]).toEqual([
      none(m[8]),
      code,
      pyList(m[11]).map(Number)[0],
    ]);
    const amounts = pyList(m[13]);
    const expected =
      Number(m[12]) === 1 && amounts[0] === undefined ? [m[2]] : amounts.every(Boolean) ? amounts : undefined;
    expect(e.transactions?.map((t) => new Decimal(t.amount).toFixed())).toEqual(
      expected && expected.length > 0 ? expected.map((a) => new Decimal(a!).toFixed()) : undefined,
    );
  });
}

describe('camt conformance files', () => {
  it('the conformance folder is present, with its camt files and computed summary', () => {
    requireConformance('camt');
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect([...summary.keys()].sort()).toEqual(files);
  });

  // A plain loop, not describe.each: with the folder absent the list is empty, and only the
  // presence test above should fail, with its message.
  for (const name of files)
    describe(name, () => {
      it('reads the records, balances and entries the computed summary lists', () => {
        const records = summaryRecords(name);
        const statements = parseCamt(read(name), { checkBalances: false });
        expect(records.length).toBeGreaterThan(0);
        expect(statements).toHaveLength(records.length);
        records.forEach((r, k) => expectSummaryRecord(statements[k], r));
      });

      if (BROKEN[name]) {
        it('is refused at its closing balance or summary, because its numbers do not add up', () => {
          expect(summaryRecords(name).some((r) => r.balances_ok === false) || name.includes('with_batch')).toBe(true);
          let error: unknown;
          try {
            parseCamt(read(name));
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(StatementImportError);
          expect((error as StatementImportError).line).toBe(refusalLine(read(name)));
          expect((error as StatementImportError).reason).toMatch(BROKEN[name]);
        });
      } else {
        it('adds up, so it is read without a balance override', () => {
          expect(summaryRecords(name).every((r) => r.balances_ok !== false)).toBe(true);
          expect(parseCamt(read(name))).toEqual(parseCamt(read(name), { checkBalances: false }));
        });
      }

      const expectations = [GENKGO[name], OCA[name], SOURCE_SPECS[name]].filter(Boolean);
      if (expectations.length > 0) {
        it('gives the values its source project expects', () => {
          const statements = parseCamt(read(name), { checkBalances: false });
          for (const expectation of expectations) expectation!(statements, name);
        });
      }
    });
});
