// Treasury account statements (MT940, camt.053/054) into bank_statements and statement_entries.
// A statement is known by its account and id: one already imported, from whatever file, is
// skipped, and a file holding nothing new is the earlier import again. An opening balance that
// is not the account's previous closing balance is kept and flagged (a statement is missing, or
// the bank corrected one): the officer needs to see it, and refusing the file would hide it.
// A known statement sent again with other content (balances, dates, entries) is the bank changing
// what it said: the file is refused (409 statement-conflict) naming both versions and what differs,
// never skipped as if it were the same.
import Decimal from 'decimal.js';
import type { Deps } from '../core/deps';
import type { RegionRow } from '../regions/regions.service';
import type { Db } from '../../db/knex';
import { conflict } from '../core/errors';
import * as repo from './bank-files.repository';
import { lockRegionStatements } from './import.repository';
import {
  describeFile,
  type ImportInput,
  type ImportResult,
  statementSummary,
  type StatementSummary,
  type StatementTotals,
} from './bank-file-result';
import { decodeBankFile, parseStatementText } from './bank-file-text';
import { type ParsedStatement, StatementImportError } from './importers/statement-types';
import { statementMoney } from './importers/statement-values';

const keyOf = (s: { account: string; statementId: string }) => `${s.account}\u0000${s.statementId}`;

export async function importStatementFile(
  deps: Deps,
  region: RegionRow,
  input: ImportInput,
  sha256: string,
): Promise<ImportResult> {
  const known = await repo.findFileBySha(deps.knex, region.id, sha256);
  if (known) return describeFile(deps.knex, known, true);
  const parsed = parseStatementText(decodeBankFile(input.content, 'statement'));
  refuseRepeats(parsed);
  return deps.knex.transaction(async (trx) => {
    // One statement import per region at a time: what is known and each account's previous
    // closing balance are read here and then written on.
    await lockRegionStatements(trx, region.id);
    const again = await repo.findFileBySha(trx, region.id, sha256);
    if (again) return describeFile(trx, again, true);
    const stored = new Map(
      (await repo.findStatements(trx, region.id, parsed)).map((s) => [`${s.account}\u0000${s.statement_id}`, s]),
    );
    await refuseConflicts(trx, region.id, parsed, stored);
    const fresh = parsed.filter((s) => !stored.has(keyOf(s)));
    if (fresh.length === 0) {
      const earlier = await repo.findFile(trx, region.id, stored.get(keyOf(parsed[0]))!.file_id);
      return describeFile(trx, earlier!, true);
    }
    const totals = totalsOf(fresh);
    const fileId = await repo.insertFile(trx, {
      regionId: region.id,
      kind: 'statement',
      format: parsed[0].format,
      name: input.name,
      sha256,
      content: input.content,
      lineCount: totals.entries,
      totals,
      source: input.source,
      importedBy: input.importedBy,
      importedAt: deps.clock.now(),
    });
    const statements: StatementSummary[] = [];
    for (const s of parsed) {
      const earlier = stored.get(keyOf(s));
      statements.push(
        earlier ? statementSummary(earlier, s.entries.length, true) : await storeStatement(trx, region.id, fileId, s),
      );
    }
    deps.logger.info(
      { regionId: region.id, fileId, format: parsed[0].format, statements: fresh.length, entries: totals.entries },
      'statement file imported',
    );
    const valueDates = [...new Set(fresh.flatMap((s) => s.entries.map((e) => e.valueDate)))].sort();
    return {
      fileId,
      regionId: region.id,
      kind: 'statement',
      format: parsed[0].format,
      name: input.name,
      lines: totals.entries,
      totals,
      duplicate: false,
      statements,
      valueDates,
    };
  });
}

/** A statement already known must be the one known: its balances, dates and entries the same. */
async function refuseConflicts(
  db: Db,
  regionId: string,
  parsed: ParsedStatement[],
  stored: Map<string, repo.StoredStatementRow>,
): Promise<void> {
  const known = parsed.filter((s) => stored.has(keyOf(s)));
  if (known.length === 0) return;
  const entries = await repo.entriesOfStatements(
    db,
    regionId,
    known.map((s) => stored.get(keyOf(s))!.id),
  );
  for (const s of known) {
    const earlier = stored.get(keyOf(s))!;
    const differs = statementDifferences(earlier, entries.get(earlier.id) ?? [], s);
    if (differs.length === 0) continue;
    const file = await repo.findFile(db, regionId, earlier.file_id);
    const name = file?.name ? `${JSON.stringify(file.name)} (${earlier.file_id})` : earlier.file_id;
    const reason = `statement ${s.statementId} of account ${s.account} was imported from file ${name} at its line ${earlier.line_number} with other content: ${differs.join('; ')}`;
    throw conflict('statement-conflict', `line ${s.lineNumber}: ${reason}`, {
      line: s.lineNumber,
      reason,
      statementId: s.statementId,
      account: s.account,
      earlier: { fileId: earlier.file_id, fileName: file?.name ?? undefined, line: earlier.line_number },
      differs,
    });
  }
}

const same = (a: string | null | undefined, b: string | null | undefined, money = false) =>
  (a ?? null) === null || (b ?? null) === null ? (a ?? null) === (b ?? null) : money ? new Decimal(a!).eq(b!) : a === b;

function statementDifferences(
  earlier: repo.StoredStatementRow,
  earlierEntries: repo.StoredEntryRow[],
  s: ParsedStatement,
): string[] {
  const out: string[] = [];
  const show = (v: string | null | undefined) => v ?? 'none';
  const compare = (what: string, a: string | null, b: string | undefined, money = false) => {
    if (!same(a, b, money)) out.push(`${what} ${show(a)} there, ${show(b)} here`);
  };
  compare('opening balance', earlier.opening_balance, s.openingBalance?.amount, true);
  compare('opening date', earlier.opening_date, s.openingBalance?.date);
  compare('closing balance', earlier.closing_balance, s.closingBalance?.amount, true);
  compare('closing date', earlier.closing_date, s.closingBalance?.date);
  if (earlierEntries.length !== s.entries.length)
    out.push(`${earlierEntries.length} entries there, ${s.entries.length} here`);
  const n = Math.min(earlierEntries.length, s.entries.length);
  for (let i = 0; i < n; i++) {
    const [a, b] = [earlierEntries[i], s.entries[i]];
    const fields: string[] = [];
    if (a.value_date !== b.valueDate) fields.push(`value date ${a.value_date} there, ${b.valueDate} here`);
    if (!new Decimal(a.amount).eq(b.amount)) fields.push(`amount ${a.amount} there, ${b.amount} here`);
    if (a.direction !== b.direction) fields.push(`${a.direction} there, ${b.direction} here`);
    if (a.reversal !== b.reversal) fields.push(`reversal ${a.reversal} there, ${b.reversal} here`);
    if (a.reference !== (b.reference ?? ''))
      fields.push(`reference ${JSON.stringify(a.reference)} there, ${JSON.stringify(b.reference ?? '')} here`);
    if (fields.length > 0) out.push(`entry ${i + 1}: ${fields.join(', ')}`);
  }
  return out;
}

/** One file cannot say the same statement twice: which of the two would be the bank's? */
function refuseRepeats(parsed: ParsedStatement[]): void {
  const seen = new Set<string>();
  for (const s of parsed) {
    if (seen.has(keyOf(s))) {
      throw new StatementImportError(
        s.lineNumber,
        `statement ${s.statementId} of account ${s.account} appears twice in the file`,
      );
    }
    seen.add(keyOf(s));
  }
}

function totalsOf(statements: ParsedStatement[]): StatementTotals {
  let credits = new Decimal(0);
  let debits = new Decimal(0);
  let entries = 0;
  for (const e of statements.flatMap((s) => s.entries)) {
    entries++;
    if (e.direction === 'credit') credits = credits.plus(e.amount);
    else debits = debits.plus(e.amount);
  }
  return { statements: statements.length, entries, credits: statementMoney(credits), debits: statementMoney(debits) };
}

async function storeStatement(db: Db, regionId: string, fileId: string, s: ParsedStatement): Promise<StatementSummary> {
  const opening = s.openingBalance;
  const previous = opening ? await repo.previousClosing(db, regionId, s.account, opening.date) : undefined;
  const openingMismatch = previous !== undefined && !new Decimal(previous).eq(opening!.amount);
  const id = await repo.insertStatement(db, {
    regionId,
    fileId,
    statement: s,
    openingMismatch,
    previousClosing: openingMismatch ? previous : undefined,
  });
  await repo.insertEntries(db, regionId, id, s.entries);
  return statementSummary(
    {
      id,
      file_id: fileId,
      account: s.account,
      statement_id: s.statementId,
      currency: s.currency,
      line_number: s.lineNumber,
      opening_balance: opening?.amount ?? null,
      opening_date: opening?.date ?? null,
      closing_balance: s.closingBalance?.amount ?? null,
      closing_date: s.closingBalance?.date ?? null,
      previous_closing: openingMismatch ? previous! : null,
      opening_mismatch: openingMismatch,
    },
    s.entries.length,
    false,
  );
}
