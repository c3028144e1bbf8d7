// The settlement inbox: the banks' files as they land in <inbox>/<REGION>/<YYYY-MM-DD>/ (the
// layout terminal-sim/inbox.ts writes and a bank's SFTP drop would be mapped to). Every date
// folder is read on every run: a file imported before is a duplicate and costs one lookup, and a
// file that arrives late in an old folder is still found. A file the importer refuses is
// recorded once (path and hash) and logged; it never stops the files after it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Deps } from '../core/deps';
import { AppError, notFound } from '../core/errors';
import { findRegionIn } from '../regions/regions.service';
import * as repo from './bank-files.repository';
import { acquirerCodes } from './import.repository';
import { importBankFile, type ImportResult } from './import.service';

export interface InboxRefusal {
  /** Relative to the inbox: <REGION>/<date>/<file> */
  path: string;
  /** 0 when the refusal is not about a line (an unknown acquirer) */
  line: number;
  reason: string;
}

export interface InboxResult {
  /** Every file imported, those imported on an earlier run included (duplicate: true) */
  imported: ImportResult[];
  refused: InboxRefusal[];
  /** The local transaction dates of the settlement lines this run added, and of the lines
   * settled on a value date of a statement entry this run added: the days to reconcile again. */
  businessDates: string[];
  /** The value dates of the statement entries this run added */
  statementDates: string[];
}

type Classified = { kind: 'settlement'; acquirerCode: string } | { kind: 'statement' };

const DATE_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

export async function importInbox(deps: Deps, regionId: string, inboxDir: string): Promise<InboxResult> {
  const region = await findRegionIn(deps.knex, regionId);
  if (!region) throw notFound('region', { regionId });
  const result: InboxResult = { imported: [], refused: [], businessDates: [], statementDates: [] };
  const regionDir = path.join(inboxDir, region.code);
  if (!isDirectory(regionDir)) return result;
  const codes: string[] = (await acquirerCodes(deps.knex, regionId)).sort(
    (a: string, b: string) => b.length - a.length,
  );
  for (const date of readdirSync(regionDir)
    .filter((d) => DATE_FOLDER.test(d) && isDirectory(path.join(regionDir, d)))
    .sort()) {
    for (const name of readdirSync(path.join(regionDir, date)).sort()) {
      const relative = path.posix.join(region.code, date, name);
      const full = path.join(regionDir, date, name);
      const kind = classify(name, codes);
      if (!kind || !statSync(full).isFile()) continue;
      await importOne(deps, regionId, { relative, full, name, kind }, result);
    }
  }
  const settled = await repo.transactionDatesSettledOn(deps.knex, regionId, result.statementDates);
  result.businessDates = [...new Set([...result.businessDates, ...settled])].sort();
  result.statementDates = [...new Set(result.statementDates)].sort();
  return result;
}

/** settlement_<acquirer code>_*.csv|txt|xlsx|xls and statement_*; anything else (manifest.json, a
 * README, a half-copied .part) is not a bank file. The code is the longest of the region's that
 * fits, so a code may itself hold an underscore; an unknown one is still tried, and refused. */
export function classify(name: string, codes: string[]): Classified | undefined {
  if (name.startsWith('statement_')) return { kind: 'statement' };
  const m = /^settlement_(.+)_[^/]*\.(csv|txt|xlsx|xls)$/i.exec(name);
  if (!m) return undefined;
  const known = codes.find((c) => name.startsWith(`settlement_${c}_`));
  return { kind: 'settlement', acquirerCode: known ?? m[1].split('_')[0] };
}

async function importOne(
  deps: Deps,
  regionId: string,
  file: { relative: string; full: string; name: string; kind: Classified },
  result: InboxResult,
): Promise<void> {
  const content = readFileSync(file.full);
  try {
    const imported = await importBankFile(deps, {
      regionId,
      kind: file.kind.kind,
      acquirerCode: file.kind.kind === 'settlement' ? file.kind.acquirerCode : undefined,
      content,
      name: file.name,
      source: 'inbox',
      importedBy: 'inbox',
    });
    result.imported.push(imported);
    if (!imported.duplicate) {
      result.businessDates.push(...(imported.transactionDates ?? []));
      result.statementDates.push(...(imported.valueDates ?? []));
    }
  } catch (err) {
    const refusal = refusalOf(err, file.relative);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const isNew = await repo.recordRefusal(deps.knex, { regionId, ...refusal, sha256 });
    const log = { regionId, path: refusal.path, line: refusal.line, reason: refusal.reason };
    if (err instanceof AppError) {
      if (isNew) deps.logger.warn(log, 'bank file refused');
    } else {
      deps.logger.error({ ...log, err }, 'bank file could not be imported');
    }
    result.refused.push(refusal);
  }
}

/** A refusal names its line (the parsers' errors carry it); any other failure of one file is
 * recorded too, so that it neither stops the others nor goes unnoticed. */
function refusalOf(err: unknown, relative: string): InboxRefusal {
  if (err instanceof AppError) {
    const details = err.details as { line?: unknown; reason?: unknown } | undefined;
    const line = typeof details?.line === 'number' ? details.line : 0;
    return { path: relative, line, reason: typeof details?.reason === 'string' ? details.reason : err.message };
  }
  return { path: relative, line: 0, reason: `could not be imported: ${(err as Error)?.message ?? String(err)}` };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
