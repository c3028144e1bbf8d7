// What an import is given and what it answers, and the same answer rebuilt from the database for
// a file imported before: a repeat of the same bytes gets the first import's result, marked duplicate.
import type { Db } from '../../db/knex';
import * as repo from './bank-files.repository';
import { decodeBankFile, parseStatementText } from './bank-file-text';
import type { ParsedStatement } from './importers/statement-types';

/** A bank file to import, from an upload or the inbox. */
export interface ImportInput {
  regionId: string;
  kind: 'settlement' | 'statement';
  /** Required for a settlement file: whose file it is */
  acquirerCode?: string;
  content: Buffer;
  /** The file's name as received, for people */
  name?: string;
  source: 'upload' | 'inbox';
  importedBy?: string;
}

/** A settlement file's stored lines: those an earlier file already brought are not among them. */
export interface SettlementTotals {
  count: number;
  gross: string;
  mdr: string;
  otherFees: string;
  net: string;
  /** Lines of the file an earlier file of the acquirer already brought (same row key, same
   * content): not stored again, and not in count or the sums */
  alreadyImported?: number;
  /** Lines whose card cell showed a full card number (or more than its first 6 and last 4
   * digits): stored masked, and masked in the copy of the file that is kept (whose sha256 is
   * still that of the bytes received). Absent when there were none. */
  panMasked?: number;
}

export interface StatementTotals {
  /** Statements this file added; ones already known from an earlier file are not counted */
  statements: number;
  entries: number;
  credits: string;
  debits: string;
}

export interface StatementSummary {
  statementId: string;
  account: string;
  currency: string;
  openingBalance?: string;
  openingDate?: string;
  closingBalance?: string;
  closingDate?: string;
  entries: number;
  /** The opening balance is not the closing balance of the account's previous statement */
  openingMismatch: boolean;
  previousClosing?: string;
  /** Imported before, from another file: skipped here */
  alreadyImported: boolean;
}

export interface ImportResult {
  fileId: string;
  regionId: string;
  kind: 'settlement' | 'statement';
  format: string;
  acquirerCode?: string;
  name?: string;
  /** Settlement lines, or statement entries stored */
  lines: number;
  totals: SettlementTotals | StatementTotals;
  /** These bytes (or every statement in them) were imported before: nothing was written */
  duplicate: boolean;
  /** The last settlement date a settlement file covers */
  settlementDate?: string;
  /** Settlement files: the distinct local transaction dates of their lines */
  transactionDates?: string[];
  statements?: StatementSummary[];
  /** Statement files: the distinct value dates of the entries they stored */
  valueDates?: string[];
}

export function statementSummary(
  row: repo.StoredStatementRow,
  entries: number,
  alreadyImported: boolean,
): StatementSummary {
  return {
    statementId: row.statement_id,
    account: row.account,
    currency: row.currency,
    openingBalance: row.opening_balance ?? undefined,
    openingDate: row.opening_date ?? undefined,
    closingBalance: row.closing_balance ?? undefined,
    closingDate: row.closing_date ?? undefined,
    entries,
    openingMismatch: row.opening_mismatch,
    previousClosing: row.previous_closing ?? undefined,
    alreadyImported,
  };
}

export async function describeFile(db: Db, row: repo.BankFileRow, duplicate: boolean): Promise<ImportResult> {
  const base: ImportResult = {
    fileId: row.id,
    regionId: row.region_id,
    kind: row.kind,
    format: row.format,
    acquirerCode: row.acquirer_code ?? undefined,
    name: row.name ?? undefined,
    lines: row.line_count,
    totals: row.totals as unknown as ImportResult['totals'],
    duplicate,
    settlementDate: row.settlement_date ?? undefined,
  };
  if (row.kind === 'settlement')
    return { ...base, transactionDates: await repo.transactionDatesOfFile(db, row.region_id, row.id) };
  return { ...base, ...(await describeStatements(db, row)) };
}

/** The file's statements in its own order, those an earlier file brought marked alreadyImported,
 * read again from its kept bytes (a statement file is small); from the rows alone if the bytes
 * no longer parse. */
async function describeStatements(
  db: Db,
  row: repo.BankFileRow,
): Promise<Pick<ImportResult, 'statements' | 'valueDates'>> {
  let parsed: ParsedStatement[];
  try {
    parsed = parseStatementText(decodeBankFile(await repo.fileContent(db, row.region_id, row.id), 'statement'));
  } catch {
    const stored = await repo.statementsOfFile(db, row.region_id, row.id);
    return { statements: stored.map((s) => statementSummary(s, Number(s.entries), false)) };
  }
  const stored = await repo.findStatements(db, row.region_id, parsed);
  const byKey = new Map(stored.map((s) => [`${s.account}\u0000${s.statement_id}`, s]));
  const statements = parsed.flatMap((p) => {
    const s = byKey.get(`${p.account}\u0000${p.statementId}`);
    return s ? [{ summary: statementSummary(s, p.entries.length, s.file_id !== row.id), parsed: p }] : [];
  });
  const valueDates = statements
    .filter((s) => !s.summary.alreadyImported)
    .flatMap((s) => s.parsed.entries.map((e) => e.valueDate));
  return { statements: statements.map((s) => s.summary), valueDates: [...new Set(valueDates)].sort() };
}
