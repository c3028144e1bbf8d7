// ISO 20022 bank-to-customer messages: camt.053 statements (BkToCstmrStmt/Stmt) and camt.054
// debit/credit notifications (BkToCstmrDbtCdtNtfctn/Ntfctn), any version from .001.02 to .001.08,
// several records per message. Malformed XML is refused at the line the validator names; a
// statement that does not balance is refused at its closing balance (CLBD).
import Decimal from 'decimal.js';
import { readEntry } from './camt-entry';
import { type ElementLines, attr, child, children, dateOf, elementLines, parseXml, text } from './camt-xml';
import {
  type ParsedStatement,
  type ParseStatementOptions,
  type StatementFormat,
  type StatementLine,
  type TypedBalance,
  StatementImportError,
} from './statement-types';
import { checkBalanced, isoDate, normaliseSpace, readIsoAmount, statementMoney } from './statement-values';

const MESSAGES: Record<string, { format: StatementFormat; record: string }> = {
  BkToCstmrStmt: { format: 'camt.053', record: 'Stmt' },
  BkToCstmrDbtCdtNtfctn: { format: 'camt.054', record: 'Ntfctn' },
};

interface Cursor {
  lines: ElementLines;
  record: number;
  bal: number;
  ntry: number;
}

export function parseCamt(xml: string, options: ParseStatementOptions = {}): ParsedStatement[] {
  const source = xml.replace(/^\uFEFF/, '');
  const document = child(parseXml(source), 'Document');
  const name = Object.keys((document as object | undefined) ?? {}).find((k) => !k.startsWith('@'));
  const message = name ? MESSAGES[name] : undefined;
  if (!message) {
    const what = name === 'BkToCstmrAcctRpt' ? 'a camt.052 account report' : `<${name ?? 'no Document'}>`;
    throw new StatementImportError(1, `${what} is not a camt.053 statement or camt.054 notification`);
  }
  const records = children(child(document, name!), message.record);
  if (records.length === 0) throw new StatementImportError(1, `the message holds no <${message.record}>`);
  const cursor: Cursor = { lines: elementLines(source), record: 0, bal: 0, ntry: 0 };
  return records.map((record) => {
    const summaryLine = cursor.lines.TxsSummry.get(cursor.record);
    const { statement, closingLine } = readRecord(record, message.format, cursor);
    if (options.checkBalances !== false) {
      if (summaryLine) checkSummary(record, summaryLine);
      checkBalanced(statement, closingLine);
    }
    return statement;
  });
}

function readRecord(record: unknown, format: StatementFormat, cursor: Cursor) {
  const line = cursor.lines.record[cursor.record++] ?? 1;
  const statementId = text(child(record, 'Id'));
  if (!statementId) throw new StatementImportError(line, `the ${format} record has no Id`);
  const acct = child(record, 'Acct');
  const account = text(child(acct, 'Id', 'IBAN')) ?? text(child(acct, 'Id', 'Othr', 'Id'));
  if (!account) throw new StatementImportError(line, `${statementId}: no account (Acct/Id/IBAN or Acct/Id/Othr/Id)`);
  const rawBalances = children(record, 'Bal').map((b) => readBalance(b, cursor.lines.Bal[cursor.bal++] ?? line));
  const ntries = children(record, 'Ntry').map((n) => ({ ntry: n, line: cursor.lines.Ntry[cursor.ntry++] ?? line }));
  // Acct/Ccy is optional (camt.054 samples leave it out): then the balances' or entries' currency.
  const entryCurrencies = ntries.map((n) => attr(child(n.ntry, 'Amt'), 'Ccy'));
  const currency = [text(child(acct, 'Ccy')), ...rawBalances.map((b) => b.currency), ...entryCurrencies].find(Boolean);
  if (!currency) throw new StatementImportError(line, `${statementId}: no currency (Acct/Ccy, a balance or an entry)`);
  const entries = ntries
    .map((n) => readEntry(n.ntry, n.line, currency))
    .filter((e): e is StatementLine => e !== undefined);
  const balances: TypedBalance[] = rawBalances.map(({ line: _line, currency: c, ...b }) =>
    c === currency ? b : { ...b, currency: c },
  );
  const opening = balances.find((b) => b.type === 'OPBD') ?? balances.find((b) => b.type === 'PRCD');
  const closingIndex = balances.findIndex((b) => b.type === 'CLBD');
  const info = text(child(record, format === 'camt.053' ? 'AddtlStmtInf' : 'AddtlNtfctnInf'));
  const statement: ParsedStatement = {
    format,
    statementId,
    sequence: text(child(record, 'ElctrncSeqNb')) ?? text(child(record, 'LglSeqNb')),
    lineNumber: line,
    account,
    currency,
    openingBalance: opening && plain(opening),
    closingBalance: closingIndex >= 0 ? plain(balances[closingIndex]) : undefined,
    balances,
    entries,
    ...(info ? { information: normaliseSpace(info) } : {}),
  };
  return { statement, closingLine: closingIndex >= 0 ? rawBalances[closingIndex].line : line };
}

/** TxsSummry states how many entries the record holds and their sums: a statement cut short
 * (or an export that dropped entries, as in viafintech's ING sample) fails it. */
function checkSummary(record: unknown, line: number): void {
  const ntries = children(record, 'Ntry');
  const groups: [string, string | undefined][] = [
    ['TtlNtries', undefined],
    ['TtlCdtNtries', 'CRDT'],
    ['TtlDbtNtries', 'DBIT'],
  ];
  for (const [group, side] of groups) {
    const node = child(record, 'TxsSummry', group);
    const counted = ntries.filter((n) => !side || text(child(n, 'CdtDbtInd')) === side);
    const count = text(child(node, 'NbOfNtries'));
    if (count !== undefined && Number(count) !== counted.length) {
      throw new StatementImportError(
        line,
        `TxsSummry/${group} says ${count} entries, the record holds ${counted.length}`,
      );
    }
    const stated = text(child(node, 'Sum'));
    if (stated === undefined) continue;
    const sum = counted.reduce<Decimal>(
      (acc, n) => acc.plus(readIsoAmount(text(child(n, 'Amt')), line, 'Ntry/Amt')),
      new Decimal(0),
    );
    if (!sum.eq(readIsoAmount(stated, line, `TxsSummry/${group}/Sum`))) {
      throw new StatementImportError(
        line,
        `TxsSummry/${group} says the entries sum to ${stated}, they sum to ${statementMoney(sum)}`,
      );
    }
  }
}

function plain({ type: _type, ...balance }: TypedBalance) {
  return balance;
}

/** Bal: Tp/CdOrPrtry/Cd (OPBD, PRCD, CLBD, CLAV, FWAV, ITBD ...), Amt, CdtDbtInd, Dt/Dt or Dt/DtTm. */
function readBalance(bal: unknown, line: number): TypedBalance & { line: number; currency: string } {
  const type = text(child(bal, 'Tp', 'CdOrPrtry', 'Cd')) ?? text(child(bal, 'Tp', 'CdOrPrtry', 'Prtry'));
  if (!type) throw new StatementImportError(line, 'Bal has no Tp/CdOrPrtry code');
  const amount = readIsoAmount(text(child(bal, 'Amt')), line, `Bal ${type} Amt`);
  const sign = text(child(bal, 'CdtDbtInd'));
  if (sign !== 'CRDT' && sign !== 'DBIT')
    throw new StatementImportError(line, `Bal ${type}: CdtDbtInd must be CRDT or DBIT`);
  const date = dateOf(child(bal, 'Dt'));
  if (!date) throw new StatementImportError(line, `Bal ${type} has no date`);
  return {
    type,
    amount: statementMoney(sign === 'DBIT' ? amount.negated() : amount),
    date: isoDate(
      Number(date.slice(0, 4)),
      Number(date.slice(5, 7)),
      Number(date.slice(8, 10)),
      line,
      `Bal ${type} date`,
    ),
    currency: attr(child(bal, 'Amt'), 'Ccy') ?? '',
    line,
    ...(type === 'ITBD' ? { intermediate: true } : {}),
  };
}
