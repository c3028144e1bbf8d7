// A settlement line the bank sends again in a later file (issue 12, item 3) is known by its row
// key (BNI MID/OB/GB/SEQ, Mandiri TID/TIDBATCH/BATCHSEQ, LinkAja Transaction ID) among the
// acquirer's lines of earlier files. The same content again is not stored twice: it is counted
// (totals.alreadyImported). Other content under a known key is the bank changing a line it sent
// before: the file is refused naming both lines, never half taken. A key repeated inside one file
// is kept (reconciliation flags the lines as duplicates).
//
// Looked up per chunk, cheaply for a fresh file: a key is only searched for in batches that
// already hold keyed lines of the acquirer (one probe of the batch index per batch the file
// brings; every keyed layout but LinkAja has a batch, and LinkAja's lines have a partial index).
// The reads go to committed rows on another connection, since the import's own connection is busy
// with its COPY; the import holds the acquirer's lock, so no other file of it commits meanwhile.
import Decimal from 'decimal.js';
import type { Db } from '../../db/knex';
import { conflict } from '../core/errors';
import * as repo from './bank-files.repository';
import type { ParsedSettlementLine } from './importers/settlement-types';

type Compared = [string, keyof repo.EarlierLineRow, (l: ParsedSettlementLine) => string | undefined, boolean?];

/** What must be the same for a re-sent line to be the line sent before (money as decimals). */
const COMPARED: Compared[] = [
  ['tid', 'tid', (l) => l.tid],
  ['mid', 'mid', (l) => l.mid],
  ['transaction date', 'transaction_date', (l) => l.transactionDate],
  ['approval code', 'approval_code', (l) => l.approvalCode],
  ['masked card', 'masked_pan', (l) => l.maskedPan],
  ['gross', 'gross', (l) => l.gross, true],
  ['mdr', 'mdr', (l) => l.mdr, true],
  ['net', 'net', (l) => l.net, true],
  ['batch', 'batch', (l) => l.batch],
  ['settlement date', 'settlement_date', (l) => l.settlementDate],
];

export interface LineDifference {
  field: string;
  earlier: string | null;
  here: string | null;
}

function differences(row: repo.EarlierLineRow, l: ParsedSettlementLine): LineDifference[] {
  const out: LineDifference[] = [];
  for (const [field, column, value, money] of COMPARED) {
    const earlier = (row[column] as string | null) ?? null;
    const here = value(l) ?? null;
    const same = money && earlier !== null && here !== null ? new Decimal(earlier).eq(here) : earlier === here;
    if (!same) out.push({ field, earlier, here });
  }
  return out;
}

export class ResentLines {
  /** Batch (null: none) -> whether earlier files hold keyed lines of the acquirer in it */
  private readonly batches = new Map<string | null, boolean>();
  /** Lines of this file that an earlier file brought with the same content */
  alreadyImported = 0;

  constructor(
    private readonly db: Db,
    private readonly regionId: string,
    private readonly acquirerId: string,
  ) {}

  /** The chunk's lines that are not re-sent ones; throws 409 for a known key with other content. */
  async fresh(lines: ParsedSettlementLine[]): Promise<ParsedSettlementLine[]> {
    const unseen = new Set<string | null>();
    let keyed = false;
    for (const l of lines) {
      if (l.lineKey === undefined) continue;
      keyed = true;
      const b = l.batch ?? null;
      if (!this.batches.has(b)) unseen.add(b);
    }
    if (!keyed) return lines;
    if (unseen.size > 0) {
      const found = new Set(await repo.batchesWithKeyedLines(this.db, this.regionId, this.acquirerId, [...unseen]));
      for (const b of unseen) this.batches.set(b, found.has(b));
    }
    const suspect = (l: ParsedSettlementLine) => l.lineKey !== undefined && this.batches.get(l.batch ?? null) === true;
    const suspects = lines.filter(suspect);
    if (suspects.length === 0) return lines;
    const earlier = await repo.keyedLines(
      this.db,
      this.regionId,
      this.acquirerId,
      [...new Set(suspects.map((l) => l.batch ?? null))],
      [...new Set(suspects.map((l) => l.lineKey!))],
    );
    const byKey = new Map<string, repo.EarlierLineRow[]>();
    for (const r of earlier) byKey.set(r.line_key, [...(byKey.get(r.line_key) ?? []), r]);
    const out: ParsedSettlementLine[] = [];
    for (const l of lines) {
      const rows = suspect(l) ? byKey.get(l.lineKey!) : undefined;
      if (!rows) {
        out.push(l);
        continue;
      }
      if (rows.some((r) => differences(r, l).length === 0)) {
        this.alreadyImported++;
        continue;
      }
      throw resentConflict(l, rows[0]);
    }
    return out;
  }
}

function resentConflict(l: ParsedSettlementLine, r: repo.EarlierLineRow) {
  const differs = differences(r, l);
  const file = r.file_name ? `${JSON.stringify(r.file_name)} (${r.file_id})` : r.file_id;
  const what = differs.map((d) => `${d.field} ${d.earlier ?? 'empty'} there, ${d.here ?? 'empty'} here`).join('; ');
  const reason = `row ${r.line_key} was imported from file ${file} at its line ${r.line_number} with other content: ${what}`;
  return conflict('settlement-line-conflict', `line ${l.lineNumber}: ${reason}`, {
    line: l.lineNumber,
    reason,
    lineKey: r.line_key,
    earlierFile: { id: r.file_id, name: r.file_name ?? undefined },
    earlierLine: r.line_number,
    differs,
  });
}
