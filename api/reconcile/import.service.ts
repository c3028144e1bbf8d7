// Importing a bank's file (issue 5): the bytes kept as evidence and what they say stored line by
// line, in one transaction or not at all. A file the parsers refuse, or one addressed to an
// acquirer the region does not have, writes nothing and answers 4xx naming the line and the
// reason. The same bytes twice are one import: the second answer is the first one, marked
// duplicate. Statements are also known by (account, statement id), since banks re-send a day's
// statement inside the next day's file.
//
// A settlement file is streamed (issue 12, item 7): its text is decoded a megabyte at a time,
// parsed into chunks of lines, and each chunk COPYed into settlement_lines as it comes, inside
// the transaction; the bank_files row, which carries the totals known only at the end, is written
// last (the lines' foreign key to it is deferred to commit), its bytes hex-encoded into the COPY
// piece by piece. A refusal at any line, after however many chunks, rolls all of it back.
// A line an earlier file already brought is not stored again (resent-lines.ts).
import { createHash, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Deps } from '../core/deps';
import { badRequest, notFound, unprocessable } from '../core/errors';
import { findRegionIn, type RegionRow } from '../regions/regions.service';
import type { Db } from '../../db/knex';
import * as repo from './bank-files.repository';
import * as importRepo from './import.repository';
import { describeFile, type ImportInput, type ImportResult, type SettlementTotals } from './bank-file-result';
import { importStatementFile } from './import-statements';
import { inChunks, settlementChunks } from './importers/settlement-parse';
import type { ParsedSettlementLine, ParseSettlementOptions, SettlementFileSummary } from './importers/settlement-types';
import { LineTally } from './importers/settlement-lines';
import { parseSettlementBytes, workbookKind } from './bank-file-workbook';
import { settlementText } from './bank-file-stream';
import { ResentLines } from './resent-lines';
import { maskRevealedPans } from './evidence-pans';

export type {
  ImportInput,
  ImportResult,
  SettlementTotals,
  StatementSummary,
  StatementTotals,
} from './bank-file-result';

export async function importBankFile(deps: Deps, input: ImportInput): Promise<ImportResult> {
  const region = await findRegionIn(deps.knex, input.regionId);
  if (!region) throw notFound('region', { regionId: input.regionId });
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  if (input.kind === 'statement') return importStatementFile(deps, region, input, sha256);
  const acquirer = await settlementAcquirer(deps.knex, region, input.acquirerCode);
  return importSettlementFile(deps, region, acquirer, input, sha256);
}

async function settlementAcquirer(
  db: Db,
  region: RegionRow,
  code: string | undefined,
): Promise<importRepo.AcquirerRow> {
  if (!code)
    throw badRequest('invalid-input', 'a settlement file needs ?acquirer=CODE', [
      { field: 'acquirer', message: 'required for a settlement file' },
    ]);
  const row = await importRepo.findAcquirerByCode(db, code);
  if (!row || row.region_id !== region.id) {
    throw unprocessable('unknown-acquirer', `region ${region.code} has no acquirer ${JSON.stringify(code)}`, {
      field: 'acquirer',
      acquirer: code,
    });
  }
  return row;
}

/** The acquirer's configured layout when it has one, else the file's own (detected). */
function parseOptions(a: importRepo.AcquirerRow): ParseSettlementOptions {
  // The lines are stored without their raw cells (the file's bytes are kept for that).
  if (a.settlement_format === 'mapped')
    return { format: 'mapped', mapping: a.settlement_mapping ?? undefined, keepRaw: false };
  return a.settlement_format ? { format: a.settlement_format, keepRaw: false } : { keepRaw: false };
}

async function importSettlementFile(
  deps: Deps,
  region: RegionRow,
  acquirer: importRepo.AcquirerRow,
  input: ImportInput,
  sha256: string,
): Promise<ImportResult> {
  // Known bytes are answered before the (possibly long) parse, and again under the lock.
  const known = await repo.findFileBySha(deps.knex, region.id, sha256);
  if (known) return describeFile(deps.knex, known, true);
  // Refused before a connection is taken if it is no text, or a workbook that does not parse.
  const chunksOf = settlementSource(input.content, parseOptions(acquirer));
  const result = await deps.knex.transaction<ImportResult>(async (trx) => {
    await importRepo.lockFileBytes(trx, region.id, sha256);
    const again = await repo.findFileBySha(trx, region.id, sha256);
    if (again) return describeFile(trx, again, true);
    // One file of an acquirer at a time: what its earlier files hold is read, then added to.
    await importRepo.lockAcquirerLines(trx, region.id, acquirer.id);
    const fileId = randomUUID();
    const stored = new LineTally();
    const transactionDates = new Set<string>();
    let lastLineDate: string | undefined;
    // Card cells that showed a full PAN (or too many digits): their text, first line, and count.
    const revealed = new Map<string, number>();
    let panMasked = 0;
    const resent = new ResentLines(deps.knex, region.id, acquirer.id);
    const writer = await repo.SettlementLineWriter.open(trx, {
      regionId: region.id,
      fileId,
      acquirerId: acquirer.id,
      timeZone: region.time_zone,
    });
    let parsed: SettlementFileSummary;
    try {
      const chunks = chunksOf();
      for (;;) {
        const next = chunks.next();
        if (next.done) {
          parsed = next.value;
          break;
        }
        for (const l of next.value) {
          if (l.settlementDate !== undefined && (lastLineDate === undefined || l.settlementDate > lastLineDate))
            lastLineDate = l.settlementDate;
          if (l.revealedPan) {
            panMasked++;
            if (!revealed.has(l.revealedPan.written)) revealed.set(l.revealedPan.written, l.lineNumber);
            delete l.revealedPan;
          }
        }
        const fresh = await resent.fresh(next.value);
        stored.add(fresh);
        for (const l of fresh) transactionDates.add(l.transactionDate);
        await writer.write(fresh);
        // Lets the COPY's bytes go out while the next chunk is parsed.
        await nextTurn();
      }
      await writer.finish();
    } catch (err) {
      await writer.abort();
      throw err;
    } finally {
      await writer.release();
    }
    const settlementDate = parsed.settlementDate ?? lastLineDate;
    // The lines this file stored; the ones an earlier file brought are counted, not summed.
    // alreadyImported only when there were any, so that a fresh file's answer is as it always was.
    const totals: SettlementTotals =
      resent.alreadyImported > 0 ? { ...stored.totals(), alreadyImported: resent.alreadyImported } : stored.totals();
    // A file that showed card numbers is kept with them masked, and says so (totals.panMasked:
    // its lines whose card cell was masked). Its sha256 stays that of the bytes received, so the
    // same bytes sent again are still this import.
    let content = input.content;
    if (panMasked > 0) {
      content = maskRevealedPans(input.content, revealed, acquirer.settlement_mapping?.delimiter);
      totals.panMasked = panMasked;
    }
    await repo.insertFile(trx, {
      id: fileId,
      regionId: region.id,
      kind: 'settlement',
      acquirerId: acquirer.id,
      format: parsed.format,
      name: input.name,
      sha256,
      content,
      lineCount: totals.count,
      totals,
      settlementDate,
      source: input.source,
      importedBy: input.importedBy,
      importedAt: deps.clock.now(),
    });
    deps.logger.info(
      {
        regionId: region.id,
        fileId,
        acquirer: acquirer.code,
        format: parsed.format,
        lines: totals.count,
        alreadyImported: totals.alreadyImported,
        panMasked: totals.panMasked,
      },
      'settlement file imported',
    );
    return {
      fileId,
      regionId: region.id,
      kind: 'settlement',
      format: parsed.format,
      acquirerCode: acquirer.code,
      name: input.name,
      lines: totals.count,
      totals,
      duplicate: false,
      settlementDate,
      transactionDates: [...transactionDates].sort(),
    };
  });
  // A big file changes what the planner should expect of settlement_lines at once; reconciling
  // with statistics from before it would plan for an empty table.
  if (!result.duplicate && result.lines > BIG_FILE_LINES) await importRepo.analyzeSettlementLines(deps.knex);
  return result;
}

const BIG_FILE_LINES = 10_000;

/** The file's lines in chunks: a CSV text parsed as it is read, a piece at a time; a workbook
 * (32 MiB at most) read whole into the CSV text the parsers know (bank-file-workbook.ts), its
 * line numbers made sheet rows, then handed over in chunks all the same. */
function settlementSource(
  bytes: Buffer,
  opts: ParseSettlementOptions,
): () => Generator<ParsedSettlementLine[], SettlementFileSummary> {
  if (workbookKind(bytes)) {
    const parsed = parseSettlementBytes(bytes, opts);
    return () => inChunks(parsed);
  }
  const text = settlementText(bytes);
  return () => settlementChunks(text, opts);
}
