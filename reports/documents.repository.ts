// The register of issued documents: each region's counters of document numbers, and the row kept
// for every document issued (its SHA-256 and what it covers), which /verify reads back.
import type { Db } from '../db/knex';

/** The next number of a region's counter `kind` for `year` (1 for the first), taken by an upsert
 * whose row lock orders concurrent takers. */
export async function takeDocumentNumber(db: Db, regionId: string, kind: string, year: number): Promise<number> {
  const { rows } = await db.raw(
    `insert into document_sequences (region_id, kind, year, last_number) values (?, ?, ?, 1)
     on conflict (region_id, kind, year) do update set last_number = document_sequences.last_number + 1
     returning last_number`,
    [regionId, kind, year],
  );
  return rows[0].last_number;
}

export interface DocumentRow {
  region_id: string;
  number: string;
  kind: string;
  title: string;
  /** JSON text: what the document covers */
  covers: string;
  format: string;
  sha256: string;
  size_bytes: number;
  pages: number;
  made_at: Date;
  made_by: string | null;
}

export async function insertDocument(db: Db, row: DocumentRow): Promise<void> {
  await db('documents').insert(row);
}

/** The SHA-256 registered for a region's document number. */
export async function registeredSha256(db: Db, regionId: string, number: string): Promise<string> {
  const row = await db('documents').where({ region_id: regionId, number }).first('sha256');
  return row.sha256;
}
