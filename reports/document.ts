// Issuing a document: a number from the region's counter, the PDF drawn with the kit, and its
// SHA-256, what it covers and its bytes kept in `documents` before the last byte reaches the
// reader, so whoever holds the file can have it verified at once, and whoever asks for that
// number again gets the same file (issuedFile), not a new number.
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../api/core/deps';
import { notFound } from '../api/core/errors';
import { businessDate } from '../api/core/time';
import { findRegionIn, type RegionRow } from '../api/regions/regions.service';
import type { ReportDefinition, ReportRequest } from './definition';
import {
  insertDocument,
  type IssuedFileRow,
  type IssuedRow,
  issuedFileOf,
  issuedOn,
  registeredSha256,
  takeDocumentNumber,
} from './documents.repository';

export type { IssuedRow } from './documents.repository';
import { waktuLokal } from './format';
import { PdfKit } from './pdf/report-pdf';

export interface IssuedDocument {
  number: string;
  sha256: string;
  sizeBytes: number;
  pages: number;
  madeAt: Date;
}

export async function regionOf(deps: Deps, regionId: string): Promise<RegionRow> {
  const region = await findRegionIn(deps.knex, regionId);
  if (!region) throw notFound('region', { regionId });
  return region;
}

/** The next number of a region's documents of one kind in a year: MGL-LRH-2026-000012. Taken in
 * its own short transaction: a report that fails half-way leaves a gap in document numbers
 * (letters, whose numbers must not have gaps, take theirs inside the letter's transaction). */
export async function nextDocumentNumber(deps: Deps, region: RegionRow, code: string, year: number): Promise<string> {
  const seq = await takeDocumentNumber(deps.knex, region.id, `doc:${code}`, year);
  return `${region.code}-${code}-${year}-${String(seq).padStart(6, '0')}`;
}

/** "MGL-LRH-2026-000012" → its parts; region codes may themselves contain '-'. */
export function parseDocumentNumber(
  number: string,
): { regionCode: string; code: string; year: number; seq: number } | undefined {
  const m = /^([A-Z0-9-]{2,16})-([A-Z]{2,8})-(\d{4})-(\d{6,})$/.exec(number);
  if (!m) return undefined;
  return { regionCode: m[1], code: m[2], year: Number(m[3]), seq: Number(m[4]) };
}

export function verifyUrl(deps: Deps, number: string): string {
  return `${deps.config.PUBLIC_BASE_URL}/verify/${encodeURIComponent(number)}`;
}

/**
 * Draws a report into `sink`. The register row is written when the last byte has passed the hash
 * and before the sink is ended, so a reader who has the whole file can verify it.
 */
export async function issuePdf(
  deps: Deps,
  def: ReportDefinition,
  req: ReportRequest,
  sink: Writable,
  madeBy?: string,
  onNumber?: (number: string) => void,
): Promise<IssuedDocument> {
  const region = await regionOf(deps, req.regionId);
  const [subtitle, covers] = await Promise.all([def.subtitle(deps, req), def.covers(deps, req)]);
  const madeAt = deps.clock.now();
  const year = Number(businessDate(madeAt, region.time_zone).slice(0, 4));
  const number = await nextDocumentNumber(deps, region, def.code, year);
  onNumber?.(number);
  const kit = new PdfKit(
    {
      regionName: region.name,
      title: def.title,
      subtitle,
      documentNumber: number,
      madeAtLabel: waktuLokal(madeAt, region.time_zone),
      verifyUrl: verifyUrl(deps, number),
    },
    {
      layout: def.layout,
      buffered: !def.streamed,
      info: {
        Title: `${def.title} — ${region.name}`,
        Author: `e-Retribusi Pasar ${region.name}`,
        Subject: number,
        CreationDate: madeAt,
        ModDate: madeAt,
      },
    },
  );
  const hash = createHash('sha256');
  let size = 0;
  let pages = 0;
  // The bytes are kept with the register row, so the document can be handed out again as it was
  // issued (same number, same bytes): compressed PDF, a few MB for the largest report.
  const chunks: Buffer[] = [];
  const register = async () => {
    await insertDocument(deps.knex, {
      region_id: region.id,
      number,
      kind: def.kind,
      title: def.title,
      covers: JSON.stringify({ ...covers, subtitle }),
      format: 'pdf',
      sha256: hash.digest('hex'),
      size_bytes: size,
      pages,
      made_at: madeAt,
      made_by: madeBy ?? null,
      content: Buffer.concat(chunks, size),
    });
  };
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      chunks.push(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      register().then(() => cb(), cb);
    },
  });
  const written = pipeline(kit.doc, counter, sink);
  try {
    await def.pdf(deps, req, kit);
    pages = kit.finish();
  } catch (err) {
    counter.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  }
  await written;
  const sha256 = await registeredSha256(deps.knex, region.id, number);
  return { number, sha256, sizeBytes: size, pages, madeAt };
}

/** A document already issued, with its bytes as issued (null when it was issued before bytes were
 * kept); undefined for a number no region issued. Who may have it is the caller's to check. */
export async function issuedFile(deps: Deps, number: string): Promise<IssuedFileRow | undefined> {
  const parts = parseDocumentNumber(number);
  if (!parts) return undefined;
  return issuedFileOf(deps.knex, parts.regionCode, number);
}

/** At most this many documents of one day are listed (a day of the schedule is a handful). */
export const ISSUED_PER_DAY = 500;

/** The documents a region (or a market: those that cover it) issued on one of its local days. */
export async function issuedOnDay(
  deps: Deps,
  q: { regionId: string; timeZone: string; marketId?: string; date: string },
): Promise<{ rows: IssuedRow[]; more: boolean }> {
  const rows = await issuedOn(deps.knex, { ...q, limit: ISSUED_PER_DAY + 1 });
  return { rows: rows.slice(0, ISSUED_PER_DAY), more: rows.length > ISSUED_PER_DAY };
}

/** The whole PDF in memory (small reports, tests, the schedule). */
export async function issuePdfBuffer(
  deps: Deps,
  def: ReportDefinition,
  req: ReportRequest,
  madeBy?: string,
): Promise<{ doc: IssuedDocument; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const doc = await issuePdf(deps, def, req, sink, madeBy);
  return { doc, bytes: Buffer.concat(chunks) };
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled; every cell
 * first made inert for a spreadsheet (csvCell). Every CSV the product writes goes through here. */
export function csvLine(cells: string[]): string {
  return `${cells
    .map((raw) => {
      const c = csvCell(raw);
      return /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
    })
    .join(',')}\r\n`;
}

/** A plain number as the reports write money and counts: -1000.00, 3000, 12.5 */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** CSV formula injection (OWASP): a text cell a spreadsheet would run as a formula (starting
 * with = + - @, or a tab or CR that Excel skips before one) gets a ' in front, which Excel and
 * LibreOffice show as text. A plain number (a negative amount, -1000.00) is left as it is: it is
 * not a formula, and quoting it would make the money columns text. */
export function csvCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** A report as CSV into `sink`, respecting back-pressure. */
export async function writeCsv(deps: Deps, def: ReportDefinition, req: ReportRequest, sink: Writable): Promise<void> {
  await def.covers(deps, req); // the same refusals as the PDF, before any byte
  const write = (cells: string[]) =>
    new Promise<void>((resolve, reject) => {
      if (sink.write(csvLine(cells))) return resolve();
      // Wait for the reader; whichever comes first removes the other listener.
      const onDrain = () => {
        sink.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        sink.off('drain', onDrain);
        reject(err);
      };
      sink.once('drain', onDrain);
      sink.once('error', onError);
    });
  await def.csv(deps, req, write);
  await new Promise<void>((resolve) => sink.end(resolve));
}
