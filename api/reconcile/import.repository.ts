// An import's own SQL, beside the files' (bank-files.repository.ts): the acquirers a file may be
// addressed to, and the advisory locks that keep two imports of the same thing apart.
import type { Db } from '../../db/knex';
import type { ColumnMapping, SettlementFormat } from './importers/settlement-types';

/** The acquirer a settlement file names, with the layout its files are read by. */
export interface AcquirerRow {
  region_id: string;
  id: string;
  code: string;
  settlement_format: SettlementFormat | null;
  settlement_mapping: ColumnMapping | null;
}

/** By code alone (codes are unique across regions); the caller checks the region. */
export async function findAcquirerByCode(db: Db, code: string): Promise<AcquirerRow | undefined> {
  return db('acquirers').where({ code }).first('region_id', 'id', 'code', 'settlement_format', 'settlement_mapping');
}

/** The region of the acquirer with this code, for an upload that does not name its region. */
export async function acquirerRegionByCode(db: Db, code: string): Promise<{ region_id: string } | undefined> {
  return db('acquirers').where({ code }).first('region_id');
}

/** The codes of a region's acquirers, as the inbox's file names carry them. */
export async function acquirerCodes(db: Db, regionId: string): Promise<string[]> {
  return db('acquirers').where({ region_id: regionId }).pluck('code');
}

/** The same bytes are imported once: a second import of them waits, then finds the first. */
export async function lockFileBytes(db: Db, regionId: string, sha256: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtextextended('bank-file:' || ? || ':' || ?, 0))`, [regionId, sha256]);
}

/** One file of an acquirer at a time: what its earlier files hold is read, then added to. */
export async function lockAcquirerLines(db: Db, regionId: string, acquirerId: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtextextended('settlement-lines:' || ? || ':' || ?, 0))`, [
    regionId,
    acquirerId,
  ]);
}

/** One statement import per region at a time: what is known and each account's previous closing
 * balance are read, then written on. */
export async function lockRegionStatements(db: Db, regionId: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtextextended('bank-statements:' || ?, 0))`, [regionId]);
}

/** Fresh planner statistics for settlement_lines, after a big file changed what it holds. */
export async function analyzeSettlementLines(db: Db): Promise<void> {
  await db.raw('analyze settlement_lines');
}
