// Treasury account statements (MT940, camt.053/054) into bank_statements and statement_entries.
// A statement is known by its account and id: one already imported, from whatever file, is
// skipped, and a file holding nothing new is the earlier import again. An opening balance that
// is not the account's previous closing balance is kept and flagged (a statement is missing, or
// the bank corrected one): the officer needs to see it, and refusing the file would hide it.
import Decimal from 'decimal.js';
import type { Deps } from '../deps';
import type { RegionRow } from '../regions/regions.repository';
import type { Db } from '../../db/knex';
import * as repo from './bank-files.repository';
import { describeFile, type ImportResult, statementSummary, type StatementSummary, type StatementTotals } from './bank-file-result';
import { decodeBankFile, parseStatementText } from './bank-file-text';
import type { ImportInput } from './import.service';
import { type ParsedStatement, StatementImportError } from './importers/statement-types';
import { statementMoney } from './importers/statement-values';

const keyOf = (s: { account: string; statementId: string }) => `${s.account}\u0000${s.statementId}`;

export async function importStatementFile(deps: Deps, region: RegionRow, input: ImportInput, sha256: string): Promise<ImportResult> {
  const known = await repo.findFileBySha(deps.knex, region.id, sha256);
  if (known) return describeFile(deps.knex, known, true);
  const parsed = parseStatementText(decodeBankFile(input.content, 'statement'));
  refuseRepeats(parsed);
  return deps.knex.transaction(async (trx) => {
    // One statement import per region at a time: what is known and each account's previous
    // closing balance are read here and then written on.
    await trx.raw(`select pg_advisory_xact_lock(hashtextextended('bank-statements:' || ?, 0))`, [region.id]);
    const again = await repo.findFileBySha(trx, region.id, sha256);
    if (again) return describeFile(trx, again, true);
    const stored = new Map((await repo.findStatements(trx, region.id, parsed)).map((s) => [`${s.account}\u0000${s.statement_id}`, s]));
    const fresh = parsed.filter((s) => !stored.has(keyOf(s)));
    if (fresh.length === 0) {
      const earlier = await repo.findFile(trx, region.id, stored.get(keyOf(parsed[0]))!.file_id);
      return describeFile(trx, earlier!, true);
    }
    const totals = totalsOf(fresh);
    const fileId = await repo.insertFile(trx, {
      regionId: region.id, kind: 'statement', format: parsed[0].format, name: input.name, sha256, content: input.content,
      lineCount: totals.entries, totals, source: input.source, importedBy: input.importedBy, importedAt: deps.clock.now(),
    });
    const statements: StatementSummary[] = [];
    for (const s of parsed) {
      const earlier = stored.get(keyOf(s));
      statements.push(earlier ? statementSummary(earlier, s.entries.length, true) : await storeStatement(trx, region.id, fileId, s));
    }
    deps.logger.info({ regionId: region.id, fileId, format: parsed[0].format, statements: fresh.length, entries: totals.entries }, 'statement file imported');
    const valueDates = [...new Set(fresh.flatMap((s) => s.entries.map((e) => e.valueDate)))].sort();
    return {
      fileId, regionId: region.id, kind: 'statement', format: parsed[0].format, name: input.name, lines: totals.entries,
      totals, duplicate: false, statements, valueDates,
    };
  });
}

/** One file cannot say the same statement twice: which of the two would be the bank's? */
function refuseRepeats(parsed: ParsedStatement[]): void {
  const seen = new Set<string>();
  for (const s of parsed) {
    if (seen.has(keyOf(s))) {
      throw new StatementImportError(s.lineNumber, `statement ${s.statementId} of account ${s.account} appears twice in the file`);
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
  const id = await repo.insertStatement(db, { regionId, fileId, statement: s, openingMismatch, previousClosing: openingMismatch ? previous : undefined });
  await repo.insertEntries(db, regionId, id, s.entries);
  return statementSummary(
    {
      id, file_id: fileId, account: s.account, statement_id: s.statementId, currency: s.currency, line_number: s.lineNumber,
      opening_balance: opening?.amount ?? null, opening_date: opening?.date ?? null,
      closing_balance: s.closingBalance?.amount ?? null, closing_date: s.closingBalance?.date ?? null,
      previous_closing: openingMismatch ? previous! : null, opening_mismatch: openingMismatch,
    },
    s.entries.length,
    false,
  );
}
