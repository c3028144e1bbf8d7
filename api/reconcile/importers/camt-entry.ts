// One <Ntry> of a camt.053/054 record: the booked amount, its batch of payments (TxDtls), the
// charges the bank took, and the references a matcher can use. Element names are the same
// from .001.02 to .001.08; where versions differ, both spellings are read (noted below).
import Decimal from 'decimal.js';
import { attr, child, children, dateOf, text, texts } from './camt-xml';
import { type StatementLine, type StatementTransaction, StatementImportError } from './statement-types';
import { isoDate, normaliseSpace, readIsoAmount, statementMoney } from './statement-values';

/** ISO's "no reference given", like MT940's NONREF: never something to match on. */
const NO_REFERENCE = 'NOTPROVIDED';

/** The entry, or undefined when it is not booked: PDNG (pending) and INFO entries are not on
 * the account yet and would be matched twice once the bank books them. */
export function readEntry(ntry: unknown, line: number, currency: string): StatementLine | undefined {
  // .02 writes <Sts>BOOK</Sts>, .08 <Sts><Cd>BOOK</Cd></Sts>; a missing status is taken as booked.
  const status = text(child(ntry, 'Sts')) ?? text(child(ntry, 'Sts', 'Cd')) ?? 'BOOK';
  if (status !== 'BOOK') return undefined;
  const amount = readIsoAmount(text(child(ntry, 'Amt')), line, 'Ntry/Amt');
  const entryCurrency = attr(child(ntry, 'Amt'), 'Ccy');
  const direction = text(child(ntry, 'CdtDbtInd'));
  if (direction !== 'CRDT' && direction !== 'DBIT')
    throw new StatementImportError(line, 'Ntry/CdtDbtInd must be CRDT or DBIT');
  const txs = children(ntry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls'));
  const batch = children(ntry, 'NtryDtls')
    .map((d) => child(d, 'Btch'))
    .find(Boolean);
  const { bookingDate, valueDate } = entryDates(ntry, line);
  const single = txs.length === 1 ? txs[0] : undefined;
  const details = { ...entryDetails(ntry, batch), ...(single ? txDetails(single) : {}) };
  const count = text(child(batch, 'NbOfTxs'));
  return {
    lineNumber: line,
    valueDate,
    bookingDate,
    amount: statementMoney(amount),
    ...(entryCurrency && entryCurrency !== currency ? { currency: entryCurrency } : {}),
    direction: direction === 'CRDT' ? 'credit' : 'debit',
    reversal: text(child(ntry, 'RvslInd')) === 'true',
    reference: details['Refs/EndToEndId'] ?? details['Btch/PmtInfId'] ?? details.NtryRef ?? details.AcctSvcrRef ?? '',
    bankReference: details.AcctSvcrRef,
    transactionCode: bankTransactionCode(ntry),
    description: entryDescription(ntry, single),
    details,
    charges: charges(ntry, txs, line),
    batchCount: count && /^\d+$/.test(count) ? Number(count) : undefined,
    transactions: transactions(txs, amount, currency, line),
  };
}

function entryDates(ntry: unknown, line: number): { bookingDate?: string; valueDate: string } {
  const check = (d: string | undefined, what: string) =>
    d === undefined
      ? undefined
      : isoDate(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10)), line, what);
  const bookingDate = check(dateOf(child(ntry, 'BookgDt')), 'Ntry/BookgDt');
  const valueDate = check(dateOf(child(ntry, 'ValDt')), 'Ntry/ValDt') ?? bookingDate;
  if (!valueDate) throw new StatementImportError(line, 'Ntry has neither ValDt nor BookgDt');
  return { bookingDate, valueDate };
}

/** PMNT-RCDT-ESCT from the ISO domain code, else the bank's proprietary code (Prtry/Cd). */
function bankTransactionCode(ntry: unknown): string | undefined {
  const domain = child(ntry, 'BkTxCd', 'Domn');
  const parts = [
    text(child(domain, 'Cd')),
    text(child(domain, 'Fmly', 'Cd')),
    text(child(domain, 'Fmly', 'SubFmlyCd')),
  ];
  if (parts.every(Boolean)) return parts.join('-');
  return text(child(ntry, 'BkTxCd', 'Prtry', 'Cd')) || undefined;
}

function entryDescription(ntry: unknown, single: unknown): string {
  const fromTx = single ? txDescription(single) : undefined;
  return normaliseSpace(fromTx ?? text(child(ntry, 'AddtlNtryInf')) ?? '');
}

function txDescription(tx: unknown): string | undefined {
  const ustrd = texts(child(tx, 'RmtInf'), 'Ustrd');
  if (ustrd.length > 0) return normaliseSpace(ustrd.join(' '));
  const strd = children(child(tx, 'RmtInf'), 'Strd').flatMap((s) => text(child(s, 'AddtlRmtInf')) ?? []);
  return strd.length > 0 ? normaliseSpace(strd.join(' ')) : text(child(tx, 'AddtlTxInf'));
}

function entryDetails(ntry: unknown, batch: unknown): Record<string, string> {
  const pairs: [string, string | undefined][] = [
    ['NtryRef', text(child(ntry, 'NtryRef'))],
    ['AcctSvcrRef', text(child(ntry, 'AcctSvcrRef'))],
    ['BkTxCd/Prtry', text(child(ntry, 'BkTxCd', 'Prtry', 'Cd'))],
    ['Btch/MsgId', text(child(batch, 'MsgId'))],
    ['Btch/PmtInfId', text(child(batch, 'PmtInfId'))],
    ['AddtlNtryInf', text(child(ntry, 'AddtlNtryInf'))],
  ];
  return Object.fromEntries(pairs.filter((p): p is [string, string] => Boolean(p[1])));
}

/** References and parties of one payment. .08 wraps parties in <Pty> (RltdPties/Dbtr/Pty/Nm). */
function txDetails(tx: unknown): Record<string, string> {
  const details: Record<string, string> = {};
  const refs = child(tx, 'Refs');
  for (const key of ['MsgId', 'AcctSvcrRef', 'PmtInfId', 'InstrId', 'EndToEndId', 'TxId', 'MndtId', 'ChqNb']) {
    const value = text(child(refs, key));
    if (value && value !== NO_REFERENCE) details[`Refs/${key}`] = value;
  }
  for (const party of ['Dbtr', 'Cdtr', 'UltmtDbtr', 'UltmtCdtr']) {
    const name = text(child(tx, 'RltdPties', party, 'Nm')) ?? text(child(tx, 'RltdPties', party, 'Pty', 'Nm'));
    if (name) details[`RltdPties/${party}/Nm`] = name;
    const iban = text(child(tx, 'RltdPties', `${party}Acct`, 'Id', 'IBAN'));
    if (iban) details[`RltdPties/${party}Acct`] = iban;
  }
  const creditorRef = children(child(tx, 'RmtInf'), 'Strd')
    .map((s) => text(child(s, 'CdtrRefInf', 'Ref')))
    .find(Boolean);
  if (creditorRef) details['RmtInf/Strd/CdtrRefInf/Ref'] = creditorRef;
  const returnReason = text(child(tx, 'RtrInf', 'Rsn', 'Cd')) ?? text(child(tx, 'RtrInf', 'Rsn', 'Prtry'));
  if (returnReason) details['RtrInf/Rsn'] = returnReason;
  const info = text(child(tx, 'AddtlTxInf'));
  if (info) details.AddtlTxInf = info;
  return details;
}

/** One per TxDtls. .02 gives the amount in AmtDtls/TxAmt/Amt, later versions in Amt; a lone
 * TxDtls without either is the whole entry. A batch whose parts carry no amount gives none. */
function transactions(
  txs: unknown[],
  entryAmount: Decimal,
  currency: string,
  line: number,
): StatementTransaction[] | undefined {
  const read = txs.map((tx): StatementTransaction | undefined => {
    const amt = child(tx, 'Amt') ?? child(tx, 'AmtDtls', 'TxAmt', 'Amt');
    const amount = amt ? readIsoAmount(text(amt), line, 'TxDtls/Amt') : txs.length === 1 ? entryAmount : undefined;
    if (!amount) return undefined;
    const details = txDetails(tx);
    const txCurrency = attr(amt, 'Ccy');
    return {
      amount: statementMoney(amount),
      ...(txCurrency && txCurrency !== currency ? { currency: txCurrency } : {}),
      reference: details['RmtInf/Strd/CdtrRefInf/Ref'] ?? details['Refs/AcctSvcrRef'],
      endToEndId: details['Refs/EndToEndId'],
      description: txDescription(tx),
      details,
    };
  });
  return read.length > 0 && read.every(Boolean) ? (read as StatementTransaction[]) : undefined;
}

/** What the bank took: TtlChrgsAndTaxAmt where given (.04+), else the records, a DBIT record a
 * charge and a CRDT one a discount (PostFinance: 5.40 DBIT + 0.20 CRDT = 5.20). Entry-level
 * charges when the bank states them, else the sum over the payments. */
function charges(ntry: unknown, txs: unknown[], line: number): string | undefined {
  const own = chargesOf(ntry, line);
  if (own) return statementMoney(own);
  const perTx = txs.map((tx) => chargesOf(tx, line)).filter((c): c is Decimal => c !== undefined);
  return perTx.length > 0 ? statementMoney(perTx.reduce((a, b) => a.plus(b))) : undefined;
}

function chargesOf(node: unknown, line: number): Decimal | undefined {
  const blocks = children(node, 'Chrgs');
  if (blocks.length === 0) return undefined;
  let total = new Decimal(0);
  for (const block of blocks) {
    const stated = text(child(block, 'TtlChrgsAndTaxAmt'));
    if (stated !== undefined) {
      total = total.plus(readIsoAmount(stated, line, 'Chrgs/TtlChrgsAndTaxAmt'));
      continue;
    }
    for (const record of [block, ...children(block, 'Rcrd')]) {
      const amt = text(child(record, 'Amt'));
      if (amt === undefined) continue;
      const value = readIsoAmount(amt, line, 'Chrgs/Amt');
      total = text(child(record, 'CdtDbtInd')) === 'CRDT' ? total.minus(value) : total.plus(value);
    }
  }
  return total;
}
