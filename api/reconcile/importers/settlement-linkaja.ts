// LinkAja's Trans Status Detail Report (the real one: conformance/settlement/
// cashlez_linkaja_trans_status_detail_20200522_REDACTED.csv), an e-wallet/QR merchant account
// report: a preamble of report criteria, a table with a leading empty column, a Total row, a footer.
//
// LinkAja's quirks:
// - the fee is its own row (Transaction Scenario "... Fee", a Debit) right after the payment row
//   (a Credit) with the same Transaction ID; the cell after Balance holds the fee rate as a fraction
//   on some fee rows and is missing on others. A payment and its fee rows are one settlement line.
// - a running Balance on every row: the only way to see a row lost in the middle.
// - Finalized Time is an Excel day fraction (0.45275462962963 = 10:51:58), the date DD/MM/YYYY.
// - Invoice ID is written in scientific notation (2.00522903886572e+16) with its digits lost;
//   the full invoice id is the first ;-separated part of Transaction Statement, and the sixth is
//   the switch's reference (the RRN of an Artajasa QR payment).
import {
  type CsvHeader,
  type CsvRow,
  cell,
  cleanCell,
  isBlank,
  rawCells,
  readCsvRows,
  readHeader,
  requireColumns,
  requireWidth,
} from './csv-text';
import { checkStated, isTotalsRow, lineAmounts, shared, text, totalsOf } from './settlement-lines';
import { type ParsedSettlementFile, type ParsedSettlementLine, SettlementImportError } from './settlement-types';
import { Decimal, at, money, plainDecimal, readAmount, readDate, readTime } from './settlement-values';

const LAYOUT = 'LinkAja report';
const REQUIRED = [
  'Transaction ID',
  'Finalized Date',
  'Finalized Time',
  'Transaction Scenario',
  'Transaction Status',
  'Transaction Statement',
  'Debit',
  'Credit',
  'Balance',
] as const;
const DATE = 'DD/MM/YYYY';

export function looksLikeLinkAja(firstLines: string[]): boolean {
  return firstLines.some(
    (l) => /Trans Status Detail Report/i.test(l) || /,Transaction ID,.*,Transaction Scenario,/i.test(l),
  );
}

export function parseLinkAjaReport(textIn: string, keepRaw = true): ParsedSettlementFile {
  const rows = readCsvRows(textIn);
  const headerAt = rows.findIndex((r) => r.cells.some((c) => c.trim().toUpperCase() === 'TRANSACTION ID'));
  if (headerAt < 0) throw new SettlementImportError(1, `no ${LAYOUT} header (Transaction ID ...)`);
  const header = readHeader(rows[headerAt]);
  requireColumns(header, REQUIRED, LAYOUT);
  const totalAt = rows.findIndex((r, i) => i > headerAt && isTotalsRow(r) && cell(r, header, 'Transaction ID') === '');
  if (totalAt < 0)
    throw new SettlementImportError(rows[rows.length - 1].line, `no Total row: the ${LAYOUT} is cut short`);
  requireOnlyFooter(rows.slice(totalAt + 1));
  const body = rows.slice(headerAt + 1, totalAt).filter((r) => !isBlank(r));
  body.forEach((r) => requireWidth(r, header, LAYOUT));
  const lines = groupPayments(body, header).map((p) => linkAjaLine(p, header, keepRaw));
  const totals = totalsOf(lines);
  const stated = [
    {
      lineNumber: rows[totalAt].line,
      gross: statedAmount(rows[totalAt], header, 'Credit'),
      mdr: statedAmount(rows[totalAt], header, 'Debit'),
    },
  ];
  stated.forEach((s) => checkStated(s, totals));
  const day = reportDay(rows.slice(0, headerAt));
  return { format: 'linkaja', merchantId: shared(lines, 'mid'), settlementDate: day, lines, totals, stated };
}

function linkAjaLine(p: Payment, header: CsvHeader, keepRaw: boolean): ParsedSettlementLine {
  const get = (name: string) => cell(p.row, header, name);
  const where = (name: string) => at(p.row.line, name);
  const statement = get('Transaction Statement')
    .split(';')
    .map((s) => s.trim());
  const date = readDate(get('Finalized Date'), DATE, where('Finalized Date'));
  const mdr = p.fees.reduce((acc, f) => acc.plus(f), new Decimal(0));
  return {
    lineNumber: p.row.line,
    rrn: rrnOf(statement[5] ?? ''),
    reference: invoiceId(get('Invoice ID'), statement[0] ?? ''),
    mid: text(statement[2] ?? ''),
    lineKey: text(get('Transaction ID')),
    transactedAt: `${date}T${readTime(get('Finalized Time'), where('Finalized Time'))}`,
    transactionDate: date,
    ...lineAmounts(p.row.line, { gross: p.gross, mdr, net: p.gross.minus(mdr) }),
    mdrRate: p.fees.length === 1 && p.rates.length === 1 ? p.rates[0] : undefined,
    status: text(get('Transaction Status')),
    raw: keepRaw ? rawCells(p.row, header) : undefined,
  };
}

/** ISO 8583's RRN is 12 characters: Artajasa's QR transfers carry one there; LinkAja's own
 * Buy Goods rows carry a 20-digit partner reference instead, which stays in raw. */
function rrnOf(value: string): string | undefined {
  return /^[0-9A-Za-z]{12}$/.test(value) ? value : undefined;
}

/** The Invoice ID cell unless Excel has turned it into an exponent; then the statement's copy. */
function invoiceId(cellValue: string, fromStatement: string): string | undefined {
  if (/e[+-]?\d+$/i.test(cellValue)) return /^\d+$/.test(fromStatement) ? fromStatement : undefined;
  return text(cellValue);
}

function statedAmount(row: CsvRow, header: CsvHeader, column: string): string | undefined {
  const v = cell(row, header, column);
  return v === '' ? undefined : money(readAmount(v, at(row.line, column)));
}

/** The report's own day, when it covers one (Start Date = End Date). */
function reportDay(preamble: CsvRow[]): string | undefined {
  const labelled = (label: string) => {
    const row = preamble.find((r) => r.cells.some((c) => c.trim().toUpperCase() === label));
    return row ? row.cells.map(cleanCell).filter((c) => c !== '')[1] : undefined;
  };
  const [start, end] = [labelled('START DATE:'), labelled('END DATE:')];
  if (!start || start !== end) return undefined;
  const row = preamble.find((r) => r.cells.some((c) => c.trim().toUpperCase() === 'START DATE:'));
  return readDate(start, DATE, at(row?.line ?? 0, 'Start Date'));
}

/** After Total, LinkAja writes one "Data up to date as of" line; anything else is not its own. */
function requireOnlyFooter(rows: CsvRow[]): void {
  const stray = rows.find(
    (r) => !isBlank(r) && !/^data up to date/i.test(r.cells.map(cleanCell).find((c) => c !== '') ?? ''),
  );
  if (stray) throw new SettlementImportError(stray.line, `text after the ${LAYOUT}'s Total row`);
}

// LinkAja's rows are account movements, not transactions: a Credit (the payment) followed by
// one or more Debits (its fees) with the same Transaction ID, each row carrying the running
// Balance. Here they become one payment per Credit, and the Balance proves no row went missing.
interface Payment {
  row: CsvRow;
  gross: Decimal;
  fees: Decimal[];
  /** Fee rates as fractions, from the unlabelled cell after Balance on fee rows that have it */
  rates: string[];
}

function groupPayments(rows: CsvRow[], header: CsvHeader): Payment[] {
  const payments: Payment[] = [];
  let balance: Decimal | undefined;
  for (const row of rows) {
    const amount = (name: string) => readAmount(cell(row, header, name), at(row.line, name));
    const [debit, credit, after] = [amount('Debit'), amount('Credit'), amount('Balance')];
    if (balance && !balance.plus(credit).minus(debit).eq(after)) {
      throw new SettlementImportError(
        row.line,
        `Balance ${money(after)} does not follow from ${money(balance)} + ${money(credit)} - ${money(debit)}: a row is missing above`,
      );
    }
    balance = after;
    if (debit.isZero()) payments.push({ row, gross: credit, fees: [], rates: [] });
    else if (credit.isZero()) addFee(payments[payments.length - 1], row, header, debit);
    else throw new SettlementImportError(row.line, 'both a Debit and a Credit on one row');
  }
  return payments;
}

function addFee(payment: Payment | undefined, row: CsvRow, header: CsvHeader, debit: Decimal): void {
  const id = cell(row, header, 'Transaction ID');
  if (!payment || cell(payment.row, header, 'Transaction ID') !== id) {
    throw new SettlementImportError(
      row.line,
      `a Debit for ${id} that follows no payment of ${id}: not a fee we can place`,
    );
  }
  payment.fees.push(debit);
  const balanceAt = header.index.get('BALANCE') ?? -1;
  const rate = (row.cells[balanceAt + 1] ?? '').trim();
  if (rate !== '') payment.rates.push(plainDecimal(readAmount(rate, at(row.line, 'fee rate'))));
}
