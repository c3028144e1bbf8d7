// The register row of an issued document, found by its region's code and its number.
import type { Db } from '../../db/knex';

export interface RegisteredDocument {
  number: string;
  kind: string;
  title: string;
  covers: Record<string, unknown>;
  sha256: string;
  size_bytes: string | number;
  pages: number | null;
  made_at: Date;
  region_name: string;
  time_zone: string;
}

export function findRegisteredDocument(
  db: Db,
  regionCode: string,
  number: string,
): Promise<RegisteredDocument | undefined> {
  return db('documents as d')
    .join('regions as r', 'r.id', 'd.region_id')
    .where({ 'r.code': regionCode, 'd.number': number })
    .first(
      'd.number',
      'd.kind',
      'd.title',
      'd.covers',
      'd.sha256',
      'd.size_bytes',
      'd.pages',
      'd.made_at',
      'r.name as region_name',
      'r.time_zone',
    );
}
