// The treasury account statement as ISO 20022 camt.053.001.02 (BankToCustomerStatementV02), the
// version most bank portals still export and every camt parser reads (../shared/conformance/camt
// has .02, .04 and .08 samples). Elements appear in the order the .02 schema requires.
//
// Choices a reader of our files should know:
// - Indonesian accounts have no IBAN: the account is Acct/Id/Othr/Id, the bank Svcr/FinInstnId/BIC.
// - Balances OPBD and CLBD, both dated the statement day; amounts have a decimal point and two
//   decimals, Ccy="IDR"; a negative balance is written unsigned with CdtDbtInd DBIT.
// - One Ntry per statement entry, Sts BOOK, one TxDtls whose Refs/EndToEndId is the reference the
//   acquirer sent with its transfer (its settlement batch id) and whose RmtInf/Ustrd is the bank's
//   text. A TxsSummry gives the count and sums, so an importer can check it has every entry.
// - BkTxCd PMNT/RCDT/DMCT (received domestic credit transfer), PMNT/ICDT/DMCT for a debit.
// - CreDtTm is generatedAt in UTC with Z; MsgId and Stmt Id are built from the input, not random.
import type Decimal from 'decimal.js';
import type { Statement } from '../types';
import { BankFileInputError, utcDateTime, utcStamp, yyyymmdd } from './file-format';
import { type CheckedEntry, checkStatement } from './statement-check';

export const CAMT053_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02';

/** Characters XML 1.0 cannot hold at all, escaped or not. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const USTRD_MAX = 140;

function text(value: string, what: string): string {
  if (NOT_XML_CHAR.test(value)) throw new BankFileInputError(`${what} holds a character XML cannot carry`);
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function max35(value: string, what: string): string {
  if (value.length < 1 || value.length > 35) throw new BankFileInputError(`${what} must be 1-35 characters: ${value}`);
  return text(value, what);
}

/** An element: a leaf when given a string, else children one level deeper. */
function el(name: string, content: string | string[], attrs = ''): string[] {
  if (typeof content === 'string') return [`<${name}${attrs}>${content}</${name}>`];
  return [`<${name}${attrs}>`, ...content.map((l) => `  ${l}`), `</${name}>`];
}

function amt(value: Decimal, what: string): string[] {
  if (value.decimalPlaces() > 2) throw new BankFileInputError(`${what} ${value.toFixed()} has more than 2 decimals`);
  return el('Amt', value.abs().toFixed(2), ' Ccy="IDR"');
}

function balance(code: 'OPBD' | 'CLBD', value: Decimal, date: string): string[] {
  return el('Bal', [
    ...el('Tp', el('CdOrPrtry', el('Cd', code))),
    ...amt(value, code),
    ...el('CdtDbtInd', value.isNegative() ? 'DBIT' : 'CRDT'),
    ...el('Dt', el('Dt', date)),
  ]);
}

function entry({ entry: e, amount }: CheckedEntry, index: number): string[] {
  const what = `entry ${index + 1}`;
  // Ustrd is 140 characters at most, and may repeat: a longer text is split, not cut.
  const chars = Array.from(e.description);
  const remittance: string[] = [];
  for (let i = 0; i < chars.length; i += USTRD_MAX) {
    remittance.push(...el('Ustrd', text(chars.slice(i, i + USTRD_MAX).join(''), `${what} description`)));
  }
  return el('Ntry', [
    ...amt(amount, what),
    ...el('CdtDbtInd', e.direction === 'credit' ? 'CRDT' : 'DBIT'),
    ...el('Sts', 'BOOK'),
    ...el('BookgDt', el('Dt', e.bookingDate)),
    ...el('ValDt', el('Dt', e.valueDate)),
    ...el(
      'BkTxCd',
      el('Domn', [
        ...el('Cd', 'PMNT'),
        ...el('Fmly', [...el('Cd', e.direction === 'credit' ? 'RCDT' : 'ICDT'), ...el('SubFmlyCd', 'DMCT')]),
      ]),
    ),
    ...el(
      'NtryDtls',
      el('TxDtls', [
        ...el('Refs', el('EndToEndId', max35(e.reference === '' ? 'NOTPROVIDED' : e.reference, `${what} reference`))),
        ...(remittance.length > 0 ? el('RmtInf', remittance) : []),
      ]),
    ),
  ]);
}

function summary(count: number, credits: Decimal, debits: Decimal, nCredits: number): string[] {
  const net = credits.minus(debits);
  return el('TxsSummry', [
    ...el('TtlNtries', [
      ...el('NbOfNtries', String(count)),
      ...el('Sum', credits.plus(debits).toFixed(2)),
      ...el('TtlNetNtryAmt', net.abs().toFixed(2)),
      ...el('CdtDbtInd', net.isNegative() ? 'DBIT' : 'CRDT'),
    ]),
    ...el('TtlCdtNtries', [...el('NbOfNtries', String(nCredits)), ...el('Sum', credits.toFixed(2))]),
    ...el('TtlDbtNtries', [...el('NbOfNtries', String(count - nCredits)), ...el('Sum', debits.toFixed(2))]),
  ]);
}

export function writeCamt053(statement: Statement): string {
  const s = checkStatement(statement);
  const created = utcDateTime(statement.generatedAt);
  const nCredits = s.entries.filter((e) => e.entry.direction === 'credit').length;
  const stmt = el('Stmt', [
    ...el(
      'Id',
      max35(
        statement.statementId ?? `${statement.accountNumber}-${yyyymmdd(statement.date, 'statement date')}`,
        'Stmt Id',
      ),
    ),
    ...el('ElctrncSeqNb', String(statement.statementNumber)),
    ...el('CreDtTm', created),
    ...el('Acct', [
      ...el('Id', el('Othr', el('Id', text(statement.accountNumber, 'accountNumber')))),
      ...el('Ccy', 'IDR'),
      ...el('Ownr', el('Nm', text(statement.accountName, 'accountName'))),
      ...el('Svcr', el('FinInstnId', [...el('BIC', statement.bic), ...el('Nm', text(statement.bankName, 'bankName'))])),
    ]),
    ...balance('OPBD', s.opening, statement.date),
    ...balance('CLBD', s.closing, statement.date),
    ...summary(s.entries.length, s.credits, s.debits, nCredits),
    ...s.entries.flatMap(entry),
  ]);
  const document = el(
    'Document',
    el('BkToCstmrStmt', [
      ...el('GrpHdr', [
        ...el('MsgId', max35(`CAMT053-${utcStamp(statement.generatedAt)}-${statement.statementNumber}`, 'MsgId')),
        ...el('CreDtTm', created),
        ...el('MsgPgntn', [...el('PgNb', '1'), ...el('LastPgInd', 'true')]),
      ]),
      ...stmt,
    ]),
    ` xmlns="${CAMT053_NAMESPACE}"`,
  );
  return `${['<?xml version="1.0" encoding="UTF-8"?>', ...document].join('\n')}\n`;
}
