// Importing a bank's file (issue 5): the bytes kept as evidence and what they say stored line by
// line, in one transaction or not at all. A file the parsers refuse, or one addressed to an
// acquirer the region does not have, writes nothing and answers 4xx naming the line and the
// reason. The same bytes twice are one import: the second answer is the first one, marked
// duplicate. Statements are also known by (account, statement id), since banks re-send a day's
// statement inside the next day's file.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps';
import { badRequest, notFound, unprocessable } from '../errors';
import { findRegion, type RegionRow } from '../regions/regions.repository';
import type { Db } from '../../db/knex';
import * as repo from './bank-files.repository';
import { describeFile, type ImportResult, type SettlementTotals } from './bank-file-result';
import { importStatementFile } from './import-statements';
import type { ColumnMapping, ParseSettlementOptions, SettlementFormat } from './importers/settlement-types';
import { parseSettlementBytes } from './bank-file-workbook';

export type { ImportResult, SettlementTotals, StatementSummary, StatementTotals } from './bank-file-result';

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

interface AcquirerRow {
  region_id: string;
  id: string;
  code: string;
  settlement_format: SettlementFormat | null;
  settlement_mapping: ColumnMapping | null;
}

export async function importBankFile(deps: Deps, input: ImportInput): Promise<ImportResult> {
  const region = await findRegion(deps.knex, input.regionId);
  if (!region) throw notFound('region', { regionId: input.regionId });
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  if (input.kind === 'statement') return importStatementFile(deps, region, input, sha256);
  const acquirer = await settlementAcquirer(deps.knex, region, input.acquirerCode);
  return importSettlementFile(deps, region, acquirer, input, sha256);
}

async function settlementAcquirer(db: Db, region: RegionRow, code: string | undefined): Promise<AcquirerRow> {
  if (!code) throw badRequest('invalid-input', 'a settlement file needs ?acquirer=CODE', [{ field: 'acquirer', message: 'required for a settlement file' }]);
  const row: AcquirerRow | undefined = await db('acquirers')
    .where({ code })
    .first('region_id', 'id', 'code', 'settlement_format', 'settlement_mapping');
  if (!row || row.region_id !== region.id) {
    throw unprocessable('unknown-acquirer', `region ${region.code} has no acquirer ${JSON.stringify(code)}`, { field: 'acquirer', acquirer: code });
  }
  return row;
}

/** The acquirer's configured layout when it has one, else the file's own (detected). */
function parseOptions(a: AcquirerRow): ParseSettlementOptions {
  // The lines are stored without their raw cells (the file's bytes are kept for that).
  if (a.settlement_format === 'mapped') return { format: 'mapped', mapping: a.settlement_mapping ?? undefined, keepRaw: false };
  return a.settlement_format ? { format: a.settlement_format, keepRaw: false } : { keepRaw: false };
}

async function importSettlementFile(deps: Deps, region: RegionRow, acquirer: AcquirerRow, input: ImportInput, sha256: string): Promise<ImportResult> {
  // Known bytes are answered before the (possibly long) parse, and again under the lock.
  const known = await repo.findFileBySha(deps.knex, region.id, sha256);
  if (known) return describeFile(deps.knex, known, true);
  // Parsed outside the transaction: a million lines take seconds, no connection held meanwhile.
  const parsed = parseSettlementBytes(input.content, parseOptions(acquirer));
  const lineDates = parsed.lines.map((l) => l.settlementDate).filter((d): d is string => d !== undefined);
  const settlementDate = parsed.settlementDate ?? (lineDates.length ? lineDates.reduce((a, b) => (a > b ? a : b)) : undefined);
  const totals: SettlementTotals = { ...parsed.totals };
  const result = await deps.knex.transaction<ImportResult>(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtextextended('bank-file:' || ? || ':' || ?, 0))`, [region.id, sha256]);
    const again = await repo.findFileBySha(trx, region.id, sha256);
    if (again) return describeFile(trx, again, true);
    const fileId = await repo.insertFile(trx, {
      regionId: region.id, kind: 'settlement', acquirerId: acquirer.id, format: parsed.format, name: input.name, sha256,
      content: input.content, lineCount: parsed.lines.length, totals, settlementDate, source: input.source,
      importedBy: input.importedBy, importedAt: deps.clock.now(),
    });
    await repo.insertSettlementLines(trx, { regionId: region.id, fileId, acquirerId: acquirer.id, timeZone: region.time_zone }, parsed.lines);
    deps.logger.info({ regionId: region.id, fileId, acquirer: acquirer.code, format: parsed.format, lines: parsed.lines.length }, 'settlement file imported');
    return {
      fileId, regionId: region.id, kind: 'settlement', format: parsed.format, acquirerCode: acquirer.code, name: input.name,
      lines: parsed.lines.length, totals, duplicate: false, settlementDate,
      transactionDates: [...new Set(parsed.lines.map((l) => l.transactionDate))].sort(),
    };
  });
  // A big file changes what the planner should expect of settlement_lines at once; reconciling
  // with statistics from before it would plan for an empty table.
  if (!result.duplicate && parsed.lines.length > BIG_FILE_LINES) await deps.knex.raw('analyze settlement_lines');
  return result;
}

const BIG_FILE_LINES = 10_000;
