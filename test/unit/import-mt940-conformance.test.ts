// Every MT940 file in the shared conformance folder, against the values its sources state:
// expected/_computed_summary.txt for every file (statements, balances, entry counts and sums,
// whether it balances) and, where WoLpH/mt940 has one, expected/<name>.expected.json.
import Decimal from 'decimal.js';
import { decodeStatementBuffer, parseMt940 } from '../../api/reconcile/importers/mt940';
import {
  type ParsedStatement,
  type StatementLine,
  StatementImportError,
} from '../../api/reconcile/importers/statement-types';
import {
  computedSummary,
  conformanceFiles,
  readConformance,
  readExpected,
  requireConformance,
} from '../support/conformance';

/** Files whose own numbers do not add up (SOURCES.md): refused by default, read when asked. */
const BROKEN: Record<string, string> = {
  'id_BRI_042801020365703.202107140256.txt': 'sanitised sample: one debit of 1469582861 between equal balances',
  'westpac_npp_mt940-sample-file_via_alfajrimutawadhi.txt': 'sample: entries sum to +19220, balances to +12000',
  'wolph_jejik_abnamro.sta': 'anonymised data: entries do not add up to the balances',
  'wolph_jejik_ing.sta': 'anonymised data: 0.00 - 45.59 is not 3.47',
  'wolph_jejik_knab.sta': 'edited sample: a debit of 7260 where mt940js_test1 has 2760',
  'wolph_jejik_rabobank.sta': 'anonymised data: statements 1 and 3 do not add up',
  'wolph_self-provided_raiffeisen-cmi.sta': 'anonymised data: entries do not add up to the balances',
};

const SUMMARY_LINE = new RegExp(
  String.raw`^\s+:20:(.*?) :25:(.*?) :28C:(.*?) open=(6\d[FM]) ([CD]) (\d{6}) ([A-Z]{3}) (\S+) ` +
    String.raw`close=(6\d[FM]) ([CD]) (\d{6}) (\S+) n61=(\d+) net=(\S+) marks=\[(.*?)\] -> (BALANCES|DOES NOT BALANCE)`,
);

const files = conformanceFiles('mt940');
const summary = files.length > 0 ? computedSummary('mt940') : new Map<string, string[]>();

function read(name: string): string {
  return decodeStatementBuffer(readConformance('mt940', name));
}

const signed = (mark: string, amount: string) => (mark === 'D' ? new Decimal(amount).negated() : new Decimal(amount));
const ymd = (yymmdd: string) => `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4)}`;
const markOf = (e: StatementLine) =>
  e.reversal ? (e.direction === 'debit' ? 'RC' : 'RD') : e.direction === 'credit' ? 'C' : 'D';
const net = (s: ParsedStatement) =>
  s.entries.reduce((acc, e) => (e.direction === 'credit' ? acc.plus(e.amount) : acc.minus(e.amount)), new Decimal(0));

/** The 1-based line of each statement's closing balance (:62F:/:62M:), from the raw text. */
function closingLines(text: string): number[] {
  return text.split(/\r\n|\r|\n/).flatMap((l, i) => (/^\s*:62[FM]:/.test(l) ? [i + 1] : []));
}

describe('MT940 conformance files', () => {
  it('the conformance folder is present, with its MT940 files and computed summary', () => {
    requireConformance('mt940');
    expect(files.length).toBeGreaterThanOrEqual(16);
    expect([...summary.keys()].sort()).toEqual(files);
  });

  // A plain loop, not describe.each: with the folder absent the list is empty, and only the
  // presence test above should fail, with its message.
  for (const name of files)
    describe(name, () => {
      const rows = (summary.get(name) ?? []).flatMap((l) => {
        const m = SUMMARY_LINE.exec(l);
        return m ? [m] : [];
      });

      it('reads the statements, balances and entries the computed summary lists', () => {
        const statements = parseMt940(read(name), { checkBalances: false });
        expect(rows.length).toBeGreaterThan(0);
        expect(statements).toHaveLength(rows.length);
        rows.forEach((m, k) => {
          const s = statements[k];
          expect(s.statementId).toBe(`${m[1].trim()}/${m[3].trim()}`);
          expect([s.account, s.sequence, s.currency]).toEqual([m[2].trim(), m[3].trim(), m[7]]);
          expect(s.openingBalance).toEqual({
            amount: expect.any(String),
            date: ymd(m[6]),
            ...(m[4].endsWith('M') ? { intermediate: true } : {}),
          });
          expect(new Decimal(s.openingBalance!.amount).eq(signed(m[5], m[8]))).toBe(true);
          expect(s.closingBalance).toEqual({
            amount: expect.any(String),
            date: ymd(m[11]),
            ...(m[9].endsWith('M') ? { intermediate: true } : {}),
          });
          expect(new Decimal(s.closingBalance!.amount).eq(signed(m[10], m[12]))).toBe(true);
          expect(s.entries).toHaveLength(Number(m[13]));
          expect(net(s).eq(m[14])).toBe(true);
          expect([...new Set(s.entries.map(markOf))].sort()).toEqual(
            m[15] === '' ? [] : m[15].replace(/'/g, '').split(', ').sort(),
          );
        });
      });

      if (BROKEN[name]) {
        it(`is refused at the closing balance of the first statement that does not add up (${BROKEN[name]})`, () => {
          const first = rows.findIndex((m) => m[16] !== 'BALANCES');
          expect(first).toBeGreaterThanOrEqual(0);
          const error = catchError(() => parseMt940(read(name)));
          expect(error).toBeInstanceOf(StatementImportError);
          expect((error as StatementImportError).line).toBe(closingLines(read(name))[first]);
          expect((error as StatementImportError).reason).toMatch(/does not balance/);
        });
      } else {
        it('balances, so it is read without a balance override', () => {
          expect(rows.every((m) => m[16] === 'BALANCES')).toBe(true);
          expect(parseMt940(read(name))).toEqual(parseMt940(read(name), { checkBalances: false }));
        });
      }

      const expected = readExpectedJson(name);
      if (expected) {
        it('gives the balances, statement fields and transactions WoLpH/mt940 expects', () => {
          compareWithPythonMt940(read(name), expected);
        });
      }
    });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the file to be refused');
}

interface PythonTransaction {
  date: string;
  entry_date: string | null;
  status: string;
  amount: string;
  currency: string;
  id: string;
  customer_reference: string | null;
  bank_reference: string | null;
}

interface PythonExpectation {
  n_transactions: number;
  final_opening_balance: string;
  final_closing_balance: string;
  intermediate_opening_balance?: string;
  intermediate_closing_balance?: string;
  available_balance?: string;
  forward_available_balance?: string;
  last_statement_fields: Record<string, string | null>;
  transactions: PythonTransaction[];
}

function readExpectedJson(name: string): PythonExpectation | undefined {
  if (files.length === 0) return undefined;
  const json = readExpected('mt940', name.replace(/\.sta$/, '.expected.json'));
  return json ? (JSON.parse(json) as PythonExpectation) : undefined;
}

/** "C 3236.28 EUR 2011-05-22" (python-mt940 writes D balances with or without a minus). */
function pythonBalance(text: string, currency: string) {
  const [mark, amount, ccy, date] = text.split(' ');
  expect(ccy).toBe(currency);
  return { amount: signed(mark, amount.replace('-', '')).toFixed(2), date };
}

function compareWithPythonMt940(text: string, expected: PythonExpectation): void {
  const statements = parseMt940(text, { checkBalances: false });
  const last = statements[statements.length - 1];
  const kinds = statements.flatMap((s) => s.balances);
  const lastOf = (type: string, intermediate = false) =>
    [...kinds].reverse().find((b) => b.type === type && (b.intermediate ?? false) === intermediate);
  const asPython = (b: { amount: string; date: string } | undefined) =>
    b && { amount: new Decimal(b.amount).toFixed(2), date: b.date };
  const balance = (text: string | undefined) => text && pythonBalance(text, last.currency);
  expect(asPython(lastOf('OPBD'))).toEqual(balance(expected.final_opening_balance));
  expect(asPython(lastOf('CLBD'))).toEqual(balance(expected.final_closing_balance));
  const openingM = [...statements].reverse().find((s) => s.openingBalance?.intermediate)?.openingBalance;
  const closingM = [...statements].reverse().find((s) => s.closingBalance?.intermediate)?.closingBalance;
  expect(asPython(openingM)).toEqual(balance(expected.intermediate_opening_balance));
  expect(asPython(closingM)).toEqual(balance(expected.intermediate_closing_balance));
  expect(asPython(lastOf('CLAV'))).toEqual(balance(expected.available_balance));
  expect(asPython(lastOf('FWAV'))).toEqual(balance(expected.forward_available_balance));
  const fields = expected.last_statement_fields;
  expect(last.account).toBe(fields.account_identification);
  expect(last.sequence).toBe([fields.statement_number, fields.sequence_number].filter(Boolean).join('/'));
  expect(last.statementId).toBe(`${fields.transaction_reference}/${last.sequence}`);
  const entries = statements.flatMap((s) => s.entries.map((e) => ({ e, currency: s.currency })));
  expect(entries).toHaveLength(expected.n_transactions);
  const lines = text.split(/\r\n|\r|\n/);
  expect(entries.map(({ e, currency }) => asPythonTransaction(e, currency))).toEqual(
    expected.transactions.map((t, i) => pythonTransaction(t, entries[i].e, lines[entries[i].e.lineNumber - 1])),
  );
}

/** python-mt940 quirks, corrected rather than copied (each correction checked against the :61:
 * line itself): an RC amount is positive there (SOURCES.md: "wrong by the standard"), so amounts
 * are compared unsigned with the mark beside them; its reference is cut at 16 characters even
 * across "//" (Knab: "NONREF//B4E07XM0", "TFNr 01008 MEBB/", losing the bank reference), and is null when the
 * reference holds spaces and a bank reference follows (betterplace: "TFNr 40005 MSGID//..."),
 * or has :86: text appended after a line break ("KREF+//06F8672B2\nTFNr 41003 ..."). */
function pythonTransaction(t: PythonTransaction, ours: StatementLine, line61: string) {
  let reference = (t.customer_reference ?? '').split('\n')[0].trim();
  let bankReference = t.bank_reference ?? undefined;
  const written = `${ours.reference || 'NONREF'}//${ours.bankReference}`;
  const lost =
    (t.bank_reference === null && ours.bankReference) || (t.customer_reference === null && ours.reference !== '');
  if (lost) {
    expect(line61).toContain(ours.bankReference ? written : ours.reference);
    if (t.customer_reference !== null) expect(written.startsWith(reference)).toBe(true);
    [reference, bankReference] = [ours.reference, t.bank_reference ?? ours.bankReference];
  }
  return {
    date: t.date,
    entryDate: t.entry_date ?? undefined,
    mark: t.status,
    amount: new Decimal(t.amount).abs().toFixed(2),
    currency: t.currency,
    code: t.id,
    reference: reference === 'NONREF' ? '' : reference,
    bankReference,
  };
}

function asPythonTransaction(e: StatementLine, currency: string) {
  const { valueDate: date, bookingDate: entryDate, amount, transactionCode: code, reference, bankReference } = e;
  return { date, entryDate, mark: markOf(e), amount, currency, code, reference, bankReference };
}
