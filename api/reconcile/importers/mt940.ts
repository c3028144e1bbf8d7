// SWIFT MT940 customer statements, as real banks write them: several statements per file,
// continuation pages (:60M:/:62M:), RC/RD reversals, structured :86:, CRLF or LF. The file is
// read whole or refused with the line that is wrong (StatementImportError); a statement whose
// balances do not add up is refused at its closing balance unless the caller asks otherwise.
import { type Field86, readField86 } from './mt940-details';
import { readBalance, readLine61 } from './mt940-entry';
import { type Mt940Field, type Mt940RawStatement, readMt940Statements } from './mt940-lines';
import {
  type ParsedStatement,
  type ParseStatementOptions,
  type StatementLine,
  StatementImportError,
} from './statement-types';
import { checkBalanced, normaliseSpace } from './statement-values';

export { decodeStatementBuffer } from './statement-values';

/** Fields of one line only: text on a following line is not theirs (a garbled file). */
const ONE_LINE = new Set(['20', '25', '28', '28C', '60F', '60M', '62F', '62M', '64', '65']);
const BALANCE_TYPES: Record<string, string> = {
  '60F': 'OPBD',
  '60M': 'ITBD',
  '62F': 'CLBD',
  '62M': 'ITBD',
  '64': 'CLAV',
  '65': 'FWAV',
};

export function parseMt940(text: string, options: ParseStatementOptions = {}): ParsedStatement[] {
  const raw = readMt940Statements(text);
  if (raw.length === 0) throw new StatementImportError(1, 'no MT940 statement in the file (no :20: field)');
  return raw.map((r) => {
    const { statement, closingLine } = readStatement(r);
    if (options.checkBalances !== false) checkBalanced(statement, closingLine);
    return statement;
  });
}

interface Reading {
  statement: ParsedStatement;
  closingLine: number;
  /** The entry :86: and :NS: attach to; none before the first :61: or after a balance */
  entry?: { line: StatementLine; text86: string[] };
  information: string[];
}

function readStatement(raw: Mt940RawStatement): { statement: ParsedStatement; closingLine: number } {
  const first = raw.fields[0];
  const r: Reading = {
    statement: {
      format: 'mt940',
      statementId: first.lines[0].text.trim(),
      lineNumber: first.line,
      account: '',
      currency: '',
      balances: [],
      entries: [],
    },
    closingLine: 0,
    information: [],
  };
  for (const field of raw.fields) {
    if (ONE_LINE.has(field.tag) && field.lines.length > 1) {
      throw new StatementImportError(field.lines[1].line, `unexpected text after :${field.tag}:`);
    }
    readField(r, field);
  }
  finishEntry(r);
  return { statement: complete(r, raw), closingLine: r.closingLine };
}

function readField(r: Reading, field: Mt940Field): void {
  const value = field.lines[0].text.trim();
  const s = r.statement;
  if (field.tag === '25') s.account = value;
  else if (field.tag === '28C' || field.tag === '28') s.sequence = value;
  else if (field.tag in BALANCE_TYPES) readBalanceField(r, field);
  else if (field.tag === '61') {
    if (!s.openingBalance) throw new StatementImportError(field.line, ':61: before the opening balance :60F:');
    if (s.closingBalance) throw new StatementImportError(field.line, ':61: after the closing balance');
    finishEntry(r);
    r.entry = { line: readLine61(field), text86: [] };
  } else if (field.tag === '86') (r.entry ? r.entry.text86 : r.information).push(...field.lines.map((l) => l.text));
  else if (field.tag === 'NS' && r.entry) addNonSwift(r.entry.line, field);
  // Others (:21:, :13D:, :34F:, :90C:/:90D: counts, statement-level :NS:) say nothing we keep.
}

function readBalanceField(r: Reading, field: Mt940Field): void {
  finishEntry(r);
  const s = r.statement;
  const { currency, ...balance } = readBalance(field);
  if (field.tag.endsWith('M')) balance.intermediate = true;
  if (field.tag.startsWith('60')) {
    if (s.openingBalance) throw new StatementImportError(field.line, 'a second opening balance in one statement');
    [s.openingBalance, s.currency] = [balance, currency];
  } else if (currency !== s.currency) {
    throw new StatementImportError(
      field.line,
      `:${field.tag}: is in ${currency}, the opening balance in ${s.currency || 'none'}`,
    );
  }
  if (field.tag.startsWith('62')) {
    if (s.closingBalance) throw new StatementImportError(field.line, 'a second closing balance in one statement');
    [s.closingBalance, r.closingLine] = [balance, field.line];
  }
  s.balances.push({ type: BALANCE_TYPES[field.tag], ...balance });
}

/** Sberbank's non-SWIFT :NS: lines after :61:, "NN" + text, kept as details NS01, NS09 ... */
function addNonSwift(entry: StatementLine, field: Mt940Field): void {
  for (const { text } of field.lines) {
    const m = /^(\d{2})(.*)$/.exec(text.trim());
    if (m && m[2].trim() !== '') entry.details[`NS${m[1]}`] = m[2].trim();
  }
}

function finishEntry(r: Reading): void {
  if (!r.entry) return;
  const { line, text86 } = r.entry;
  const field86: Field86 = text86.length > 0 ? readField86(text86) : { description: '', details: {} };
  r.statement.entries.push({
    ...line,
    description: field86.description,
    details: { ...line.details, ...field86.details },
  });
  r.entry = undefined;
}

function complete(r: Reading, raw: Mt940RawStatement): ParsedStatement {
  const s = r.statement;
  const start = s.lineNumber;
  if (s.account === '') throw new StatementImportError(start, `statement ${s.statementId} has no account (:25:)`);
  if (!s.openingBalance)
    throw new StatementImportError(raw.endLine, `statement starting at line ${start} has no opening balance (:60F:)`);
  if (!s.closingBalance) {
    const reason = `statement starting at line ${start} ends without a closing balance (:62F:): is the file cut short?`;
    throw new StatementImportError(raw.endLine, reason);
  }
  if (s.sequence) s.statementId = `${s.statementId}/${s.sequence}`;
  if (r.information.length > 0) s.information = normaliseSpace(r.information.join(' '));
  return s;
}
