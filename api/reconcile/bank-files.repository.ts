// The banks' files in SQL: the file as received, its settlement lines, its statements and their
// entries. Lines go in as whole columns (insert ... select from unnest), tens of thousands per
// statement: a day's settlement file of a million lines is stored in seconds, where one insert
// per line would take minutes. None of these rows is ever updated (bank_files, settlement_lines
// and statement_entries refuse it), so each is written once, complete.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/knex';
import type { ParsedSettlementLine } from './importers/settlement-types';
import type { ParsedStatement, StatementLine } from './importers/statement-types';

/** Rows per insert: large enough that a million lines take ~50 round trips, small enough that
 * one statement's arrays stay a few megabytes. */
const LINE_CHUNK = 20_000;

export interface BankFileRow {
  region_id: string;
  id: string;
  kind: 'settlement' | 'statement';
  acquirer_id: string | null;
  acquirer_code: string | null;
  format: string;
  name: string | null;
  sha256: string;
  size_bytes: number;
  line_count: number;
  totals: Record<string, unknown>;
  settlement_date: string | null;
  source: 'upload' | 'inbox';
  imported_by: string | null;
  imported_at: Date;
}

/** Everything but the content, which can be hundreds of megabytes. */
const META = [
  'f.region_id', 'f.id', 'f.kind', 'f.acquirer_id', 'a.code as acquirer_code', 'f.format', 'f.name', 'f.sha256',
  'f.size_bytes', 'f.line_count', 'f.totals', 'f.settlement_date', 'f.source', 'f.imported_by', 'f.imported_at',
];

function files(db: Db) {
  return db('bank_files as f')
    .leftJoin('acquirers as a', function joinAcquirer() {
      this.on('a.region_id', 'f.region_id').andOn('a.id', 'f.acquirer_id');
    })
    .select(META);
}

export async function findFileBySha(db: Db, regionId: string, sha256: string): Promise<BankFileRow | undefined> {
  return files(db).where({ 'f.region_id': regionId, 'f.sha256': sha256 }).first();
}

export async function findFile(db: Db, regionId: string, id: string): Promise<BankFileRow | undefined> {
  return files(db).where({ 'f.region_id': regionId, 'f.id': id }).first();
}

/** By id alone, for GET /settlement-files/:fileId; the caller checks the region. */
export async function findFileAnyRegion(db: Db, id: string): Promise<BankFileRow | undefined> {
  return files(db).where({ 'f.id': id }).first();
}

export interface FileFilter {
  regionId?: string;
  kind?: 'settlement' | 'statement';
  acquirerCode?: string;
  /** A settlement file's settlement date, a statement file's closing date */
  date?: string;
  limit: number;
  offset: number;
}

export async function listFiles(db: Db, f: FileFilter): Promise<BankFileRow[]> {
  const q = files(db).orderBy([{ column: 'f.imported_at', order: 'desc' }, { column: 'f.id' }]).limit(f.limit).offset(f.offset);
  if (f.regionId) q.where('f.region_id', f.regionId);
  if (f.kind) q.where('f.kind', f.kind);
  if (f.acquirerCode) q.where('a.code', f.acquirerCode);
  if (f.date) {
    const date = f.date;
    q.where((w) =>
      w.where('f.settlement_date', date).orWhereExists((s) =>
        s.select(db.raw('1')).from('bank_statements as s')
          .whereRaw('s.region_id = f.region_id and s.file_id = f.id')
          .andWhere('s.closing_date', date),
      ),
    );
  }
  return q;
}

export async function fileContent(db: Db, regionId: string, id: string): Promise<Buffer> {
  const row = await db('bank_files').where({ region_id: regionId, id }).first('content');
  return row.content;
}

export interface NewBankFile {
  regionId: string;
  kind: 'settlement' | 'statement';
  acquirerId?: string;
  format: string;
  name?: string;
  sha256: string;
  content: Buffer;
  lineCount: number;
  totals: object;
  settlementDate?: string;
  source: 'upload' | 'inbox';
  importedBy?: string;
  importedAt: Date;
}

export async function insertFile(db: Db, v: NewBankFile): Promise<string> {
  const [row] = await db('bank_files')
    .insert({
      region_id: v.regionId, kind: v.kind, acquirer_id: v.acquirerId ?? null, format: v.format, name: v.name ?? null,
      sha256: v.sha256, size_bytes: v.content.length, content: v.content, line_count: v.lineCount,
      totals: JSON.stringify(v.totals), settlement_date: v.settlementDate ?? null, source: v.source,
      imported_by: v.importedBy ?? null, imported_at: v.importedAt,
    })
    .returning('id');
  return row.id;
}

/** Column by column, in the order of the unnest below. */
const LINE_COLUMNS: [string, string, (l: ParsedSettlementLine) => unknown][] = [
  ['line_number', 'int', (l) => l.lineNumber],
  ['rrn', 'text', (l) => l.rrn],
  ['reference', 'text', (l) => l.reference],
  ['tid', 'text', (l) => l.tid],
  ['mid', 'text', (l) => l.mid],
  ['stan', 'text', (l) => l.stan],
  ['approval_code', 'text', (l) => l.approvalCode],
  ['masked_pan', 'text', (l) => l.maskedPan],
  ['transacted_local', 'timestamp', (l) => l.transactedAt],
  ['transaction_date', 'date', (l) => l.transactionDate],
  ['settlement_date', 'date', (l) => l.settlementDate],
  ['batch', 'text', (l) => l.batch],
  ['terminal_batch', 'text', (l) => l.terminalBatch],
  ['network', 'text', (l) => l.network],
  ['line_key', 'text', (l) => l.lineKey],
  ['fee_group', 'text', (l) => l.feeGroup],
  ['gross', 'numeric', (l) => l.gross],
  ['mdr', 'numeric', (l) => l.mdr],
  ['other_fees', 'numeric', (l) => l.otherFees ?? '0'],
  ['net', 'numeric', (l) => l.net],
  ['mdr_rate', 'numeric', (l) => l.mdrRate],
  ['mdr_allocated', 'boolean', (l) => l.mdrAllocated ?? false],
  ['status', 'text', (l) => l.status],
];
const STORED_LINE_COLUMNS = LINE_COLUMNS.map(([c]) => (c === 'transacted_local' ? 'transacted_at' : c));

/** A Postgres array literal of the values as text ({"a","b",NULL}), cast by the query to the
 * column's type. Built here rather than by node-pg, which serialises an array only when the
 * query is sent: built ahead, the next chunk is ready while Postgres stores the previous one. */
function arrayLiteral(values: unknown[]): string {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) out[i] = 'NULL';
    else {
      const text = String(v);
      out[i] = /["\\]/.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
    }
  }
  return `{${out.join(',')}}`;
}

/** Runs sql once per chunk of rows, at most one chunk in flight: the bindings of chunk n+1 are
 * built while Postgres executes chunk n. */
async function insertInChunks<T>(
  db: Db,
  rows: T[],
  sql: string,
  columns: [string, string, (row: T) => unknown][],
  leading: Knex.Value[],
): Promise<void> {
  let pending: Promise<void> | undefined;
  for (let i = 0; i < rows.length; i += LINE_CHUNK) {
    const chunk = rows.slice(i, i + LINE_CHUNK);
    const bindings = [...leading, ...columns.map(([, , value]) => arrayLiteral(chunk.map(value)))];
    if (pending) await pending;
    // .then starts the query now; it is awaited before the next one is sent or on the way out.
    pending = db.raw(sql, bindings).then(() => undefined);
  }
  await pending;
}

export interface LineOwner {
  regionId: string;
  fileId: string;
  acquirerId: string;
  /** The region's zone: the banks write local times without one */
  timeZone: string;
}

/** The parsed lines, without the raw cells (the file's bytes are kept for that), by COPY on the
 * transaction's own connection, streamed a few thousand rows at a time. Lines with a local time of
 * day go through a staging table so that Postgres applies the region's zone (at time zone), as
 * for every other local time; lines without one (BNI's) are copied straight into the table. */
export async function insertSettlementLines(db: Db, owner: LineOwner, lines: ParsedSettlementLine[]): Promise<void> {
  if (lines.length === 0) return;
  if (!db.isTransaction) {
    await db.transaction((trx) => insertSettlementLines(trx, owner, lines));
    return;
  }
  const owned = [owner.regionId, owner.fileId, owner.acquirerId].map(copyText).join('\t');
  const timed = lines.some((l) => l.transactedAt !== undefined);
  const conn = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    if (!timed) {
      await copyRows(conn, `copy settlement_lines (region_id, file_id, acquirer_id, ${STORED_LINE_COLUMNS.join(', ')}) from stdin`, lines, owned);
      return;
    }
    await db.raw('drop table if exists pg_temp.settlement_lines_in');
    await db.raw(`create temp table settlement_lines_in (${LINE_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')}) on commit drop`);
    await copyRows(conn, `copy pg_temp.settlement_lines_in (${LINE_COLUMNS.map(([c]) => c).join(', ')}) from stdin`, lines);
    const selected = LINE_COLUMNS.map(([c]) => (c === 'transacted_local' ? '(l.transacted_local at time zone ?)' : `l.${c}`));
    await db.raw(
      `insert into settlement_lines (region_id, file_id, acquirer_id, ${STORED_LINE_COLUMNS.join(', ')}) ` +
        `select ?::uuid, ?::uuid, ?::uuid, ${selected.join(', ')} from pg_temp.settlement_lines_in l`,
      [owner.regionId, owner.fileId, owner.acquirerId, owner.timeZone],
    );
    await db.raw('drop table pg_temp.settlement_lines_in');
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/** Rows per piece of COPY text: a few hundred kilobytes, so the whole file is never one string. */
const COPY_ROWS = 5_000;

async function copyRows(conn: pg.PoolClient, sql: string, lines: ParsedSettlementLine[], leading?: string): Promise<void> {
  function* pieces(): Generator<string> {
    for (let i = 0; i < lines.length; i += COPY_ROWS) {
      const end = Math.min(i + COPY_ROWS, lines.length);
      let text = '';
      for (let j = i; j < end; j++) {
        const l = lines[j];
        let row = leading === undefined ? '' : `${leading}\t`;
        for (let k = 0; k < LINE_COLUMNS.length; k++) row += (k === 0 ? '' : '\t') + copyText(LINE_COLUMNS[k][2](l));
        text += `${row}\n`;
      }
      yield text;
    }
  }
  await pipeline(Readable.from(pieces()), conn.query(copyFrom(sql)));
}

/** A value in COPY's text format: \N for null, and backslash, tab, newline and CR escaped. */
function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export interface StoredStatementRow {
  id: string;
  file_id: string;
  account: string;
  statement_id: string;
  currency: string;
  line_number: number;
  opening_balance: string | null;
  opening_date: string | null;
  closing_balance: string | null;
  closing_date: string | null;
  previous_closing: string | null;
  opening_mismatch: boolean;
}

const STATEMENT_COLUMNS = [
  'id', 'file_id', 'account', 'statement_id', 'currency', 'line_number', 'opening_balance', 'opening_date',
  'closing_balance', 'closing_date', 'previous_closing', 'opening_mismatch',
];

/** The region's statements among (account, statementId) pairs. */
export async function findStatements(db: Db, regionId: string, keys: { account: string; statementId: string }[]): Promise<StoredStatementRow[]> {
  if (keys.length === 0) return [];
  return db('bank_statements')
    .select(STATEMENT_COLUMNS)
    .where('region_id', regionId)
    .whereIn(['account', 'statement_id'], keys.map((k) => [k.account, k.statementId]));
}

export async function statementsOfFile(db: Db, regionId: string, fileId: string): Promise<(StoredStatementRow & { entries: string })[]> {
  return db('bank_statements as s')
    .select(STATEMENT_COLUMNS.map((c) => `s.${c}`))
    .select(db.raw('(select count(*) from statement_entries e where e.region_id = s.region_id and e.statement_id = s.id) as entries'))
    .where({ 's.region_id': regionId, 's.file_id': fileId })
    .orderBy('s.line_number');
}

/** The closing balance of the account's statement before one opening on openingDate: the latest
 * closing on or before that day, the most recently imported first when several close that day. */
export async function previousClosing(db: Db, regionId: string, account: string, openingDate: string): Promise<string | undefined> {
  const row = await db('bank_statements as s')
    .join('bank_files as f', function joinFile() {
      this.on('f.region_id', 's.region_id').andOn('f.id', 's.file_id');
    })
    .where({ 's.region_id': regionId, 's.account': account })
    .whereNotNull('s.closing_balance')
    .andWhere('s.closing_date', '<=', openingDate)
    .orderBy([{ column: 's.closing_date', order: 'desc' }, { column: 'f.imported_at', order: 'desc' }, { column: 's.line_number', order: 'desc' }])
    .first('s.closing_balance');
  return row?.closing_balance;
}

export interface NewStatement {
  regionId: string;
  fileId: string;
  statement: ParsedStatement;
  previousClosing?: string;
  openingMismatch: boolean;
}

export async function insertStatement(db: Db, v: NewStatement): Promise<string> {
  const s = v.statement;
  const [row] = await db('bank_statements')
    .insert({
      region_id: v.regionId, file_id: v.fileId, format: s.format, statement_id: s.statementId, sequence: s.sequence ?? null,
      line_number: s.lineNumber, account: s.account, currency: s.currency,
      opening_balance: s.openingBalance?.amount ?? null, opening_date: s.openingBalance?.date ?? null,
      closing_balance: s.closingBalance?.amount ?? null, closing_date: s.closingBalance?.date ?? null,
      previous_closing: v.previousClosing ?? null, opening_mismatch: v.openingMismatch,
    })
    .returning('id');
  return row.id;
}

/** What the parser read besides the columns: its details, plus a batch's payments and an entry's
 * own currency when there are any. */
function entryDetails(e: StatementLine): string {
  return JSON.stringify({
    ...e.details,
    ...(e.transactions ? { transactions: e.transactions } : {}),
    ...(e.currency ? { currency: e.currency } : {}),
  });
}

const ENTRY_COLUMNS: [string, string, (e: StatementLine) => unknown][] = [
  ['line_number', 'int', (e) => e.lineNumber],
  ['value_date', 'date', (e) => e.valueDate],
  ['booking_date', 'date', (e) => e.bookingDate],
  ['amount', 'numeric', (e) => e.amount],
  ['direction', 'text', (e) => e.direction],
  ['reversal', 'boolean', (e) => e.reversal],
  ['reference', 'text', (e) => e.reference],
  ['bank_reference', 'text', (e) => e.bankReference],
  ['transaction_code', 'text', (e) => e.transactionCode],
  ['description', 'text', (e) => e.description],
  ['charges', 'numeric', (e) => e.charges],
  ['batch_count', 'int', (e) => e.batchCount],
  ['details', 'jsonb', entryDetails],
];

export async function insertEntries(db: Db, regionId: string, statementId: string, entries: StatementLine[]): Promise<void> {
  const names = ENTRY_COLUMNS.map(([c]) => c).join(', ');
  const sql =
    `insert into statement_entries (region_id, statement_id, ${names}) ` +
    `select ?::uuid, ?::uuid, ${ENTRY_COLUMNS.map(([c]) => `e.${c}`).join(', ')} ` +
    `from unnest(${ENTRY_COLUMNS.map(([, type]) => `?::${type}[]`).join(', ')}) as e(${names})`;
  await insertInChunks(db, entries, sql, ENTRY_COLUMNS, [regionId, statementId]);
}

export async function transactionDatesOfFile(db: Db, regionId: string, fileId: string): Promise<string[]> {
  const rows = await db('settlement_lines').distinct('transaction_date').where({ region_id: regionId, file_id: fileId }).orderBy('transaction_date');
  return rows.map((r) => r.transaction_date);
}

/** The transaction dates of the settlement lines in files settled on any of these days: what a
 * statement credit of that value date may pay. */
export async function transactionDatesSettledOn(db: Db, regionId: string, settlementDates: string[]): Promise<string[]> {
  if (settlementDates.length === 0) return [];
  const rows = await db('settlement_lines')
    .distinct('transaction_date')
    .where('region_id', regionId)
    .whereIn('file_id', db('bank_files').select('id').where('region_id', regionId).whereIn('settlement_date', settlementDates))
    .orderBy('transaction_date');
  return rows.map((r) => r.transaction_date);
}

export async function recordRefusal(db: Db, v: { regionId: string; path: string; sha256: string; line: number; reason: string }): Promise<boolean> {
  const rows = await db('bank_file_refusals')
    .insert({ region_id: v.regionId, path: v.path, sha256: v.sha256, line: v.line, reason: v.reason })
    .onConflict(['region_id', 'path', 'sha256'])
    .ignore()
    .returning('id');
  return rows.length > 0;
}
