// What the public check of a document says: whether the number is one we issued and what that
// document covers; and, for a file sent to it, whether its bytes are the ones we handed out.
import { createHash } from 'node:crypto';
import type { Deps } from '../core/deps';
import { parseDocumentNumber } from '../../reports/document';
import { waktuLokal } from '../../reports/format';
import type { DocumentView } from './verify-page';
import { findRegisteredDocument } from './verify.repository';

/** The issued document with this number; undefined for a number we never issued (or malformed). */
export async function findDocument(deps: Deps, number: string): Promise<DocumentView | undefined> {
  const parsed = parseDocumentNumber(number);
  if (!parsed) return undefined;
  const row = await findRegisteredDocument(deps.knex, parsed.regionCode, number);
  if (!row) return undefined;
  return {
    number: row.number,
    kind: row.kind,
    title: row.title,
    region: row.region_name,
    covers: row.covers,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    pages: row.pages,
    madeAt: new Date(row.made_at).toISOString(),
    madeAtLocal: waktuLokal(new Date(row.made_at), row.time_zone),
  };
}

/** A received file against the document as issued: the same SHA-256 is the same document. */
export function compareFile(doc: DocumentView, body: Buffer) {
  const sha256 = createHash('sha256').update(body).digest('hex');
  return {
    status: sha256 === doc.sha256 ? ('genuine' as const) : ('altered' as const),
    documentNumber: doc.number,
    received: { sha256, sizeBytes: body.length },
    issued: { sha256: doc.sha256, sizeBytes: doc.sizeBytes },
    document: doc,
  };
}
