// The banks' files in SQL: the file as received, its settlement lines, its statements and their
// entries. Settlement lines go in by COPY, chunk after chunk as the file is parsed; statement
// entries as whole columns (insert ... select from unnest). A day's settlement file of a million
// lines is stored in seconds, where one insert per line would take minutes. None of these rows is
// ever updated (bank_files, settlement_lines and statement_entries refuse it), so each is written
// once, complete: a settlement file's row, which carries its totals, last of all (the lines'
// foreign key to it is checked at commit, migration 20261204110000).
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
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
  'f.region_id',
  'f.id',
  'f.kind',
  'f.acquirer_id',
  'a.code as acquirer_code',
  'f.format',
  'f.name',
  'f.sha256',
  'f.size_bytes',
  'f.line_count',
  'f.totals',
  'f.settlement_date',
  'f.source',
  'f.imported_by',
  'f.imported_at',
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
  const q = files(db)
    .orderBy([{ column: 'f.imported_at', order: 'desc' }, { column: 'f.id' }])
    .limit(f.limit)
    .offset(f.offset);
  if (f.regionId) q.where('f.region_id', f.regionId);
  if (f.kind) q.where('f.kind', f.kind);
  if (f.acquirerCode) q.where('a.code', f.acquirerCode);
  if (f.date) {
    const date = f.date;
    q.where((w) =>
      w
        .where('f.settlement_date', date)
        .orWhereExists((s) =>
          s
            .select(db.raw('1'))
            .from('bank_statements as s')
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

/** The columns of bank_files written by insertFile, content last: its bytes are streamed. */
const FILE_COLUMNS = [
  'region_id',
  'id',
  'kind',
  'acquirer_id',
  'format',
  'name',
  'sha256',
  'size_bytes',
  'line_count',
  'totals',
  'settlement_date',
  'source',
  'imported_by',
  'imported_at',
  'content',
];

/** Bytes of the content per piece of hex: the 2x hex copy of a 173 MB file is never made whole. */
const HEX_PIECE = 1 << 18;

/** The file's row by COPY on the transaction's connection, its content hex-encoded piece by piece
 * into the copy stream (a bytea parameter would be sent as one hex string twice the file's size).
 * The id is the caller's when given (a settlement file's lines are written before it). */
export async function insertFile(db: Db, v: NewBankFile & { id?: string }): Promise<string> {
  if (!db.isTransaction) return db.transaction((trx) => insertFile(trx, v));
  const id = v.id ?? randomUUID();
  const head = [
    v.regionId,
    id,
    v.kind,
    v.acquirerId,
    v.format,
    v.name,
    v.sha256,
    v.content.length,
    v.lineCount,
    JSON.stringify(v.totals),
    v.settlementDate,
    v.source,
    v.importedBy,
    v.importedAt.toISOString(),
  ]
    .map(copyText)
    .join('\t');
  const content = v.content;
  function* pieces(): Generator<string> {
    // bytea in COPY's text format: \x and hex digits, the backslash itself escaped.
    yield `${head}\t\\\\x`;
    for (let at = 0; at < content.length; at += HEX_PIECE)
      yield content.toString('hex', at, Math.min(at + HEX_PIECE, content.length));
    yield '\n';
  }
  const conn = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    await pipeline(
      Readable.from(pieces()),
      conn.query(copyFrom(`copy bank_files (${FILE_COLUMNS.join(', ')}) from stdin`)),
    );
  } finally {
    await db.client.releaseConnection(conn);
  }
  return id;
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

/**
 * A file's parsed lines, without the raw cells (the file's bytes are kept for that), by one COPY on
 * the transaction's own connection, written chunk by chunk as the parser hands them over. Lines
 * with a local time of day go through a staging table so that Postgres applies the region's zone
 * (at time zone), as for every other local time; lines without one (BNI's) are copied straight
 * into the table. While the COPY is open the connection can do nothing else: whatever the import
 * needs to read meanwhile it reads on another connection.
 */
export class SettlementLineWriter {
  private copy?: ReturnType<typeof copyFrom>;
  private done?: Promise<void>;
  private mode?: 'direct' | 'staged';
  private readonly owned: string;

  private constructor(
    private readonly db: Knex.Transaction,
    private readonly conn: pg.PoolClient,
    private readonly owner: LineOwner,
  ) {
    this.owned = [owner.regionId, owner.fileId, owner.acquirerId].map(copyText).join('\t');
  }

  static async open(db: Knex.Transaction, owner: LineOwner): Promise<SettlementLineWriter> {
    return new SettlementLineWriter(db, (await db.client.acquireConnection()) as pg.PoolClient, owner);
  }

  /** Resolves once the lines are on their way (the stream drained), not when Postgres stored them. */
  async write(lines: ParsedSettlementLine[]): Promise<void> {
    if (lines.length === 0) return;
    const timed = lines.some((l) => l.transactedAt !== undefined);
    if (this.mode === undefined || (timed && this.mode === 'direct')) {
      await this.close();
      if (timed)
        await this.db.raw(
          `create temp table if not exists settlement_lines_in (${LINE_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ')}) on commit drop`,
        );
      this.start(timed ? 'staged' : 'direct');
    }
    let text = '';
    const leading = this.mode === 'direct' ? `${this.owned}\t` : '';
    for (const l of lines) {
      let row = leading;
      for (let k = 0; k < LINE_COLUMNS.length; k++) row += (k === 0 ? '' : '\t') + copyText(LINE_COLUMNS[k][2](l));
      text += `${row}\n`;
    }
    const copy = this.copy!;
    if (!copy.write(text)) await Promise.race([once(copy, 'drain'), this.done]);
  }

  /** Every line written, stored in settlement_lines. */
  async finish(): Promise<void> {
    await this.close();
    if (this.mode !== 'staged') return;
    const selected = LINE_COLUMNS.map(([c]) =>
      c === 'transacted_local' ? '(l.transacted_local at time zone ?)' : `l.${c}`,
    );
    await this.db.raw(
      `insert into settlement_lines (region_id, file_id, acquirer_id, ${STORED_LINE_COLUMNS.join(', ')}) ` +
        `select ?::uuid, ?::uuid, ?::uuid, ${selected.join(', ')} from pg_temp.settlement_lines_in l`,
      [this.owner.regionId, this.owner.fileId, this.owner.acquirerId, this.owner.timeZone],
    );
    await this.db.raw('drop table pg_temp.settlement_lines_in');
  }

  /** After a refusal: an open COPY is cancelled (CopyFail), so that the transaction can roll back. */
  async abort(): Promise<void> {
    const copy = this.copy;
    this.copy = undefined;
    if (copy) {
      copy.destroy(new Error('settlement import refused'));
      await this.done?.catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    await this.db.client.releaseConnection(this.conn);
  }

  private start(mode: 'direct' | 'staged'): void {
    this.mode = mode;
    const sql =
      mode === 'direct'
        ? `copy settlement_lines (region_id, file_id, acquirer_id, ${STORED_LINE_COLUMNS.join(', ')}) from stdin`
        : `copy pg_temp.settlement_lines_in (${LINE_COLUMNS.map(([c]) => c).join(', ')}) from stdin`;
    const copy = this.conn.query(copyFrom(sql));
    this.copy = copy;
    this.done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    // Awaited in close(); until then a failure must not be an unhandled rejection.
    this.done.catch(() => undefined);
  }

  private async close(): Promise<void> {
    const copy = this.copy;
    if (!copy) return;
    this.copy = undefined;
    copy.end();
    await this.done;
  }
}

/** A value in COPY's text format: \N for null, and backslash, tab, newline and CR escaped. */
function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A settlement line of an earlier file, as the re-sent-line guard compares it. */
export interface EarlierLineRow {
  file_id: string;
  file_name: string | null;
  line_number: number;
  line_key: string;
  tid: string | null;
  mid: string | null;
  transaction_date: string;
  approval_code: string | null;
  masked_pan: string | null;
  gross: string;
  mdr: string;
  net: string;
  batch: string | null;
  settlement_date: string | null;
}

/** Which of these batches (null: lines without one) already hold keyed lines of the acquirer:
 * one probe of the batch index per batch, stopping at the first line. */
export async function batchesWithKeyedLines(
  db: Db,
  regionId: string,
  acquirerId: string,
  batches: (string | null)[],
): Promise<(string | null)[]> {
  const named = batches.filter((b): b is string => b !== null);
  const found: (string | null)[] = [];
  if (named.length > 0) {
    const { rows } = await db.raw(
      `select b from unnest(?::text[]) b where exists (
         select 1 from settlement_lines l where l.region_id = ? and l.acquirer_id = ? and l.batch = b and l.line_key is not null)`,
      [arrayLiteral(named), regionId, acquirerId],
    );
    for (const r of rows) found.push(r.b);
  }
  if (named.length < batches.length) {
    const { rows } = await db.raw(
      `select exists (select 1 from settlement_lines where region_id = ? and acquirer_id = ? and batch is null and line_key is not null) as e`,
      [regionId, acquirerId],
    );
    if (rows[0].e) found.push(null);
  }
  return found;
}

/** The acquirer's lines with these row keys in these batches (null: lines without a batch), the
 * earliest imported first. */
export async function keyedLines(
  db: Db,
  regionId: string,
  acquirerId: string,
  batches: (string | null)[],
  keys: string[],
): Promise<EarlierLineRow[]> {
  const named = batches.filter((b): b is string => b !== null);
  const { rows } = await db.raw(
    `select l.file_id, f.name as file_name, l.line_number, l.line_key, l.tid, l.mid, l.transaction_date, l.approval_code,
            l.masked_pan, l.gross, l.mdr, l.net, l.batch, l.settlement_date
       from settlement_lines l join bank_files f on f.region_id = l.region_id and f.id = l.file_id
      where l.region_id = ? and l.acquirer_id = ? and l.line_key = any(?::text[])
        and (l.batch = any(?::text[]) or (?::boolean and l.batch is null))
      order by f.imported_at, l.file_id, l.line_number`,
    [regionId, acquirerId, arrayLiteral(keys), arrayLiteral(named), named.length < batches.length],
  );
  return rows;
}

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
  'id',
  'file_id',
  'account',
  'statement_id',
  'currency',
  'line_number',
  'opening_balance',
  'opening_date',
  'closing_balance',
  'closing_date',
  'previous_closing',
  'opening_mismatch',
];

/** The region's statements among (account, statementId) pairs. */
export async function findStatements(
  db: Db,
  regionId: string,
  keys: { account: string; statementId: string }[],
): Promise<StoredStatementRow[]> {
  if (keys.length === 0) return [];
  return db('bank_statements')
    .select(STATEMENT_COLUMNS)
    .where('region_id', regionId)
    .whereIn(
      ['account', 'statement_id'],
      keys.map((k) => [k.account, k.statementId]),
    );
}

export interface StoredEntryRow {
  statement_id: string;
  value_date: string;
  amount: string;
  direction: 'credit' | 'debit';
  reversal: boolean;
  reference: string;
}

/** The entries of these statements in their order, by statement. */
export async function entriesOfStatements(
  db: Db,
  regionId: string,
  statementIds: string[],
): Promise<Map<string, StoredEntryRow[]>> {
  const rows: StoredEntryRow[] = await db('statement_entries')
    .select('statement_id', 'value_date', 'amount', 'direction', 'reversal', 'reference')
    .where('region_id', regionId)
    .whereIn('statement_id', statementIds)
    .orderBy(['statement_id', 'line_number']);
  const out = new Map<string, StoredEntryRow[]>();
  for (const r of rows) out.set(r.statement_id, [...(out.get(r.statement_id) ?? []), r]);
  return out;
}

export async function statementsOfFile(
  db: Db,
  regionId: string,
  fileId: string,
): Promise<(StoredStatementRow & { entries: string })[]> {
  return db('bank_statements as s')
    .select(STATEMENT_COLUMNS.map((c) => `s.${c}`))
    .select(
      db.raw(
        '(select count(*) from statement_entries e where e.region_id = s.region_id and e.statement_id = s.id) as entries',
      ),
    )
    .where({ 's.region_id': regionId, 's.file_id': fileId })
    .orderBy('s.line_number');
}

/** The closing balance of the account's statement before one opening on openingDate: the latest
 * closing on or before that day, the most recently imported first when several close that day. */
export async function previousClosing(
  db: Db,
  regionId: string,
  account: string,
  openingDate: string,
): Promise<string | undefined> {
  const row = await db('bank_statements as s')
    .join('bank_files as f', function joinFile() {
      this.on('f.region_id', 's.region_id').andOn('f.id', 's.file_id');
    })
    .where({ 's.region_id': regionId, 's.account': account })
    .whereNotNull('s.closing_balance')
    .andWhere('s.closing_date', '<=', openingDate)
    .orderBy([
      { column: 's.closing_date', order: 'desc' },
      { column: 'f.imported_at', order: 'desc' },
      { column: 's.line_number', order: 'desc' },
    ])
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
      region_id: v.regionId,
      file_id: v.fileId,
      format: s.format,
      statement_id: s.statementId,
      sequence: s.sequence ?? null,
      line_number: s.lineNumber,
      account: s.account,
      currency: s.currency,
      opening_balance: s.openingBalance?.amount ?? null,
      opening_date: s.openingBalance?.date ?? null,
      closing_balance: s.closingBalance?.amount ?? null,
      closing_date: s.closingBalance?.date ?? null,
      previous_closing: v.previousClosing ?? null,
      opening_mismatch: v.openingMismatch,
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

export async function insertEntries(
  db: Db,
  regionId: string,
  statementId: string,
  entries: StatementLine[],
): Promise<void> {
  const names = ENTRY_COLUMNS.map(([c]) => c).join(', ');
  const sql =
    `insert into statement_entries (region_id, statement_id, ${names}) ` +
    `select ?::uuid, ?::uuid, ${ENTRY_COLUMNS.map(([c]) => `e.${c}`).join(', ')} ` +
    `from unnest(${ENTRY_COLUMNS.map(([, type]) => `?::${type}[]`).join(', ')}) as e(${names})`;
  await insertInChunks(db, entries, sql, ENTRY_COLUMNS, [regionId, statementId]);
}

export async function transactionDatesOfFile(db: Db, regionId: string, fileId: string): Promise<string[]> {
  const rows = await db('settlement_lines')
    .distinct('transaction_date')
    .where({ region_id: regionId, file_id: fileId })
    .orderBy('transaction_date');
  return rows.map((r) => r.transaction_date);
}

/** The transaction dates of the settlement lines in files settled on any of these days: what a
 * statement credit of that value date may pay. */
export async function transactionDatesSettledOn(
  db: Db,
  regionId: string,
  settlementDates: string[],
): Promise<string[]> {
  if (settlementDates.length === 0) return [];
  const rows = await db('settlement_lines')
    .distinct('transaction_date')
    .where('region_id', regionId)
    .whereIn(
      'file_id',
      db('bank_files').select('id').where('region_id', regionId).whereIn('settlement_date', settlementDates),
    )
    .orderBy('transaction_date');
  return rows.map((r) => r.transaction_date);
}

export async function recordRefusal(
  db: Db,
  v: { regionId: string; path: string; sha256: string; line: number; reason: string },
): Promise<boolean> {
  const rows = await db('bank_file_refusals')
    .insert({ region_id: v.regionId, path: v.path, sha256: v.sha256, line: v.line, reason: v.reason })
    .onConflict(['region_id', 'path', 'sha256'])
    .ignore()
    .returning('id');
  return rows.length > 0;
}
