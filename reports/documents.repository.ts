// The register of issued documents: each region's counters of document numbers, and the row kept
// for every document issued (its SHA-256, what it covers and its bytes), which /verify reads
// back, the reports page lists per day and a second download hands out again.
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
  /** the document's bytes (the database checks their size and SHA-256 against the row) */
  content: Buffer;
}

export async function insertDocument(db: Db, row: DocumentRow): Promise<void> {
  await db('documents').insert(row);
}

/** The SHA-256 registered for a region's document number. */
export async function registeredSha256(db: Db, regionId: string, number: string): Promise<string> {
  const row = await db('documents').where({ region_id: regionId, number }).first('sha256');
  return row.sha256;
}

/** A register row as the reports page lists it, without its bytes. */
export interface IssuedRow {
  number: string;
  kind: string;
  title: string;
  covers: Record<string, unknown>;
  size_bytes: string;
  pages: number | null;
  made_at: Date;
  made_by: string | null;
  /** the account's display name when a person issued it */
  made_by_name: string | null;
  /** false for a document issued before the bytes were kept */
  kept: boolean;
}

/** The documents a region issued on one of its local days (of one market, when marketId is
 * given: those whose covers name it), oldest first, at most `limit`. */
export async function issuedOn(
  db: Db,
  q: { regionId: string; date: string; timeZone: string; marketId?: string; limit: number },
): Promise<IssuedRow[]> {
  const { rows } = await db.raw(
    `select d.number, d.kind, d.title, d.covers, d.size_bytes::text as size_bytes, d.pages, d.made_at, d.made_by,
            u.display_name as made_by_name, d.content is not null as kept
       from documents d
       left join users u on u.id::text = d.made_by
      where d.region_id = :regionId
        and d.made_at >= (cast(:date as date)::timestamp at time zone :tz)
        and d.made_at < ((cast(:date as date) + 1)::timestamp at time zone :tz)
        and (cast(:marketId as text) is null or d.covers->>'marketId' = :marketId)
      order by d.made_at, d.number
      limit :limit`,
    { regionId: q.regionId, date: q.date, tz: q.timeZone, marketId: q.marketId ?? null, limit: q.limit },
  );
  return rows;
}

export interface IssuedFileRow {
  region_id: string;
  number: string;
  kind: string;
  covers: Record<string, unknown>;
  sha256: string;
  content: Buffer | null;
}

/** A document with its bytes, by its region's code and its number. */
export function issuedFileOf(db: Db, regionCode: string, number: string): Promise<IssuedFileRow | undefined> {
  return db('documents as d')
    .join('regions as r', 'r.id', 'd.region_id')
    .where({ 'r.code': regionCode, 'd.number': number })
    .first('d.region_id', 'd.number', 'd.kind', 'd.covers', 'd.sha256', 'd.content');
}
