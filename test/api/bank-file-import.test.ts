// importBankFile on real Postgres: the database holds exactly what the parsers read from every
// conformance file, a refused file leaves every reconciliation table as it was, the same bytes
// twice are one import, a statement already known is skipped and an opening balance that does not
// follow the account's last closing balance is flagged.
import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import { freshDb, type TestDb } from '../support/db';
import { importWorld, refusedLeaving, rowCounts as countRows } from '../support/world';
import { conformanceFiles } from '../support/conformance';
import { readConformance } from '../support/conformance';
import { make as bank } from '../unit/bank-files-support';
import type { ImportResult } from '../../api/reconcile/import.service';
import { parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import { parseStatementText } from '../../api/reconcile/bank-file-text';
import { decodeStatementBuffer } from '../../api/reconcile/importers/statement-values';
import type { AppError } from '../../api/core/errors';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import type { Statement } from '../../terminal-sim/banks/types';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const RECONCILIATION_TABLES = [
  'bank_files',
  'bank_file_refusals',
  'settlement_lines',
  'bank_statements',
  'statement_entries',
  'settlement_matches',
  'settlement_postings',
  'reconciliation_exceptions',
  'reconciliation_decisions',
  'reconciliation_runs',
];

const rowCounts = () => countRows(t.knex, RECONCILIATION_TABLES);

const world = (timeZone?: string) => importWorld(t.knex, { timeZone });

/** The refusal an import throws, after checking it wrote nothing at all. */
async function refusedWithoutTrace(
  attempt: () => Promise<ImportResult>,
): Promise<{ status: number; code: string; line?: number; reason?: string }> {
  const err = await refusedLeaving(t.knex, RECONCILIATION_TABLES, attempt);
  const details = (err.details ?? {}) as { line?: number; reason?: string };
  return { status: err.status, code: err.code, line: details.line, reason: details.reason };
}

const sum = (values: string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0));

describe('conformance settlement files', () => {
  const files = conformanceFiles('settlement').filter((f) => f.endsWith('.csv'));

  test('the folder holds the five acquirer reports', () => expect(files).toHaveLength(5));

  test.each(files)('%s: the database holds exactly the parse, line by line', async (file) => {
    const w = await world();
    const bytes = readConformance('settlement', file);
    const parsed = parseSettlement(decodeStatementBuffer(bytes));
    const result = await w.run({ content: bytes, name: file });
    expect(result).toMatchObject({
      kind: 'settlement',
      format: parsed.format,
      lines: parsed.lines.length,
      duplicate: false,
      acquirerCode: w.acquirer.code,
      totals: parsed.totals,
      transactionDates: [...new Set(parsed.lines.map((l) => l.transactionDate))].sort(),
    });
    const stored = await t
      .knex('settlement_lines')
      .where({ region_id: w.region.id, file_id: result.fileId })
      .orderBy('line_number');
    expect(
      stored.map((r) => ({
        lineNumber: r.line_number,
        rrn: r.rrn ?? undefined,
        reference: r.reference ?? undefined,
        tid: r.tid ?? undefined,
        mid: r.mid ?? undefined,
        stan: r.stan ?? undefined,
        approvalCode: r.approval_code ?? undefined,
        maskedPan: r.masked_pan ?? undefined,
        transactionDate: r.transaction_date,
        settlementDate: r.settlement_date ?? undefined,
        batch: r.batch ?? undefined,
        terminalBatch: r.terminal_batch ?? undefined,
        gross: r.gross,
        mdr: r.mdr,
        otherFees: r.other_fees,
        net: r.net,
        mdrRate: r.mdr_rate ?? undefined,
        mdrAllocated: r.mdr_allocated,
        status: r.status ?? undefined,
      })),
    ).toEqual(
      parsed.lines.map((l) => ({
        lineNumber: l.lineNumber,
        rrn: l.rrn,
        reference: l.reference,
        tid: l.tid,
        mid: l.mid,
        stan: l.stan,
        approvalCode: l.approvalCode,
        maskedPan: l.maskedPan,
        transactionDate: l.transactionDate,
        settlementDate: l.settlementDate,
        batch: l.batch,
        terminalBatch: l.terminalBatch,
        gross: l.gross,
        mdr: l.mdr,
        otherFees: l.otherFees ?? '0',
        net: l.net,
        mdrRate: l.mdrRate,
        mdrAllocated: l.mdrAllocated ?? false,
        status: l.status,
      })),
    );
    const lineDates = parsed.lines
      .map((l) => l.settlementDate)
      .filter(Boolean)
      .sort();
    const file_ = await t.knex('bank_files').where({ region_id: w.region.id, id: result.fileId }).first();
    expect(file_).toMatchObject({
      kind: 'settlement',
      acquirer_id: w.acquirer.id,
      format: parsed.format,
      name: file,
      line_count: parsed.lines.length,
      size_bytes: bytes.length,
      source: 'upload',
      imported_by: 'tester',
      totals: parsed.totals,
      settlement_date: parsed.settlementDate ?? lineDates[lineDates.length - 1] ?? null,
    });
    expect(Buffer.compare(file_.content, bytes)).toBe(0);
  });

  test("LinkAja's local transaction times become UTC instants in the region's zone (WITA here)", async () => {
    const w = await world('Asia/Makassar');
    const file = 'cashlez_linkaja_trans_status_detail_20200522_REDACTED.csv';
    const parsed = parseSettlement(decodeStatementBuffer(readConformance('settlement', file)));
    const result = await w.run({ content: readConformance('settlement', file) });
    const stored = await t
      .knex('settlement_lines')
      .where({ region_id: w.region.id, file_id: result.fileId })
      .orderBy('line_number');
    expect(parsed.lines[0].transactedAt).toBe('2020-05-22T10:51:58');
    expect(stored[0].transacted_at.toISOString()).toBe('2020-05-22T02:51:58.000Z');
    expect(
      stored.every((r, i) => r.transacted_at.getTime() === Date.parse(`${parsed.lines[i].transactedAt}+08:00`)),
    ).toBe(true);
  });
});

describe('conformance statements', () => {
  const cases = ['mt940', 'camt'].flatMap((folder) => conformanceFiles(folder).map((file) => ({ folder, file })));

  test('the folders hold the 16 MT940 and 15 camt files', () => expect(cases).toHaveLength(31));

  test.each(cases)(
    '$folder/$file: stored exactly as parsed, or refused leaving every table unchanged',
    async ({ folder, file }) => {
      const w = await world();
      const bytes = readConformance(folder, file);
      let parsed: ReturnType<typeof parseStatementText>;
      try {
        parsed = parseStatementText(decodeStatementBuffer(bytes));
      } catch (err) {
        const { line, reason } = err as { line: number; reason: string };
        const refused = await refusedWithoutTrace(() =>
          w.run({ kind: 'statement', acquirerCode: undefined, content: bytes }),
        );
        expect(refused).toEqual({ status: 422, code: 'statement-file-refused', line, reason });
        return;
      }
      const result = await w.run({ kind: 'statement', acquirerCode: undefined, content: bytes });
      const entries = parsed.flatMap((s) => s.entries);
      expect(result).toMatchObject({
        kind: 'statement',
        format: parsed[0].format,
        duplicate: false,
        lines: entries.length,
        totals: {
          statements: parsed.length,
          entries: entries.length,
          credits: sum(entries.filter((e) => e.direction === 'credit').map((e) => e.amount)).toFixed(2),
          debits: sum(entries.filter((e) => e.direction === 'debit').map((e) => e.amount)).toFixed(2),
        },
      });
      const statements = await t
        .knex('bank_statements')
        .where({ region_id: w.region.id, file_id: result.fileId })
        .orderBy('line_number');
      expect(
        statements.map((s) => [
          s.account,
          s.statement_id,
          s.currency,
          s.opening_balance,
          s.closing_balance,
          s.opening_date,
          s.closing_date,
        ]),
      ).toEqual(
        parsed.map((s) => [
          s.account,
          s.statementId,
          s.currency,
          s.openingBalance?.amount ?? null,
          s.closingBalance?.amount ?? null,
          s.openingBalance?.date ?? null,
          s.closingBalance?.date ?? null,
        ]),
      );
      for (const [i, s] of parsed.entries()) {
        const stored = await t
          .knex('statement_entries')
          .where({ region_id: w.region.id, statement_id: statements[i].id })
          .orderBy('line_number');
        expect(
          stored.map((e) => ({
            lineNumber: e.line_number,
            valueDate: e.value_date,
            bookingDate: e.booking_date ?? undefined,
            amount: e.amount,
            direction: e.direction,
            reversal: e.reversal,
            reference: e.reference,
            bankReference: e.bank_reference ?? undefined,
            description: e.description,
            transactionCode: e.transaction_code ?? undefined,
            charges: e.charges ?? undefined,
            batchCount: e.batch_count ?? undefined,
            details: e.details,
          })),
        ).toEqual(
          s.entries.map((e) => ({
            lineNumber: e.lineNumber,
            valueDate: e.valueDate,
            bookingDate: e.bookingDate,
            amount: e.amount,
            direction: e.direction,
            reversal: e.reversal,
            reference: e.reference,
            bankReference: e.bankReference,
            description: e.description,
            transactionCode: e.transactionCode,
            charges: e.charges,
            batchCount: e.batchCount,
            details: {
              ...e.details,
              ...(e.transactions ? { transactions: e.transactions } : {}),
              ...(e.currency ? { currency: e.currency } : {}),
            },
          })),
        );
      }
    },
  );
});

test("the acquirer's configured layout decides: a column mapping for a CSV no parser knows", async () => {
  const w = await world();
  const csv =
    'Ref;Waktu;Nominal;Biaya\r\n000000031507;24/11/2026 10:15;7500,00;0\r\n000000031508;24/11/2026 23:40;15000;22,5\r\n';
  const unmapped = await refusedWithoutTrace(() => w.run({ content: Buffer.from(csv) }));
  expect(unmapped).toMatchObject({ status: 422, line: 1, reason: expect.stringMatching(/give a column mapping/) });
  await t
    .knex('acquirers')
    .where({ id: w.acquirer.id })
    .update({
      settlement_format: 'mapped',
      settlement_mapping: JSON.stringify({
        delimiter: ';',
        decimalSeparator: ',',
        dateFormat: 'DD/MM/YYYY',
        columns: { rrn: 'Ref', transactedAt: 'Waktu', gross: 'Nominal', mdr: 'Biaya' },
      }),
    });
  const result = await w.run({ content: Buffer.from(csv) });
  expect(result).toMatchObject({
    format: 'mapped',
    lines: 2,
    totals: { count: 2, gross: '22500.00', mdr: '22.50', net: '22477.50' },
  });
  const stored = await t.knex('settlement_lines').where({ file_id: result.fileId }).orderBy('line_number');
  // 23:40 WIB on the 24th is 16:40 UTC the same day; the transaction date stays the local one.
  expect(stored.map((l) => [l.rrn, l.transacted_at.toISOString(), l.transaction_date])).toEqual([
    ['000000031507', '2026-11-24T03:15:00.000Z', '2026-11-24'],
    ['000000031508', '2026-11-24T16:40:00.000Z', '2026-11-24'],
  ]);
});

describe('the same file twice', () => {
  const bni = (rrn = '633012000145') =>
    Buffer.from(writeBniSettlementCsv(bank.meta(), [bank.line({ rrn }), bank.qrisLine()]));

  test('the same settlement bytes again are the first import, marked duplicate, and write nothing', async () => {
    const w = await world();
    const first = await w.run({ content: bni() });
    const before = await rowCounts();
    const again = await w.run({ content: bni(), name: 'renamed.csv' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await rowCounts()).toEqual(before);
  });

  test("the same bytes in another region are that region's own import", async () => {
    const [a, b] = [await world(), await world()];
    await a.run({ content: bni() });
    const inB = await b.run({ content: bni() });
    expect(inB.duplicate).toBe(false);
  });
});

describe('statements known by account and id', () => {
  const statement = (
    n: number,
    opening: string,
    credits: string[],
    date: string,
    account = '1010001234',
  ): Statement => {
    const entries = credits.map((amount, i) =>
      bank.entry({ amount, valueDate: date, bookingDate: date, reference: `B${n}${i}` }),
    );
    return bank.statement({
      accountNumber: account,
      statementNumber: n,
      date,
      openingBalance: opening,
      entries,
      closingBalance: sum([opening, ...credits]).toFixed(2),
      generatedAt: new Date(`${date}T03:00:0${n % 10}Z`),
    });
  };
  const mt940 = (...s: Statement[]) => Buffer.from(s.map(writeMt940).join(''));
  const s1 = statement(1, '1000.00', ['500.00'], '2026-11-25');
  const s2 = statement(2, '1500.00', ['250.00', '100.00'], '2026-11-26');

  test('a file holding a known statement and a new one stores only the new one', async () => {
    const w = await world();
    const first = await w.run({ kind: 'statement', content: mt940(s1) });
    const second = await w.run({ kind: 'statement', content: mt940(s1, s2) });
    expect(second).toMatchObject({
      duplicate: false,
      lines: 2,
      totals: { statements: 1, entries: 2, credits: '350.00', debits: '0.00' },
      valueDates: ['2026-11-26'],
      statements: [
        { account: '1010001234', statementId: first.statements![0].statementId, alreadyImported: true, entries: 1 },
        {
          account: '1010001234',
          openingBalance: '1500.00',
          closingBalance: '1850.00',
          alreadyImported: false,
          openingMismatch: false,
          entries: 2,
        },
      ],
    });
    expect(await t.knex('bank_statements').where({ region_id: w.region.id }).count('* as n').first()).toEqual({
      n: '2',
    });
    expect(await t.knex('statement_entries').where({ region_id: w.region.id }).count('* as n').first()).toEqual({
      n: '3',
    });
    // The second file's bytes again: its first answer, the skipped statement still named.
    expect(await w.run({ kind: 'statement', content: mt940(s1, s2) })).toEqual({ ...second, duplicate: true });
  });

  test('other bytes holding only known statements are the earlier import, marked duplicate', async () => {
    const w = await world();
    const first = await w.run({ kind: 'statement', content: mt940(s1) });
    const before = await rowCounts();
    const resent = Buffer.from(writeMt940(s1).replace(/\r\n/g, '\n'));
    expect(await w.run({ kind: 'statement', content: resent })).toEqual({ ...first, duplicate: true });
    expect(await rowCounts()).toEqual(before);
  });

  test('a known statement sent again with other content refuses the file, naming both versions and what differs', async () => {
    const w = await world();
    const first = await w.run({ kind: 'statement', content: mt940(s1), name: 'stmt-1.mt940' });
    const changed = { ...s1, entries: [{ ...s1.entries[0], amount: '600.00' }], closingBalance: '1600.00' };
    const text = writeMt940(changed);
    const refused = await refusedWithoutTrace(() =>
      w.run({ kind: 'statement', content: mt940(s2, changed), name: 'stmt-2.mt940' }),
    );
    expect(refused).toMatchObject({ status: 409, code: 'statement-conflict' });
    const err = (await w.run({ kind: 'statement', content: mt940(s2, changed) }).catch((e) => e)) as AppError;
    const line =
      writeMt940(s2).split('\r\n').length - 1 + text.split('\r\n').findIndex((l) => l.startsWith(':20:')) + 1;
    expect(err.details).toEqual({
      line,
      reason: expect.stringContaining(
        `statement ${first.statements![0].statementId} of account 1010001234 was imported from file "stmt-1.mt940"`,
      ),
      statementId: first.statements![0].statementId,
      account: '1010001234',
      earlier: { fileId: first.fileId, fileName: 'stmt-1.mt940', line: expect.any(Number) },
      differs: ['closing balance 1500.00 there, 1600.00 here', 'entry 1: amount 500.00 there, 600.00 here'],
    });
    // The same statement again, identical, is still skipped.
    expect(await w.run({ kind: 'statement', content: mt940(s1, s2) })).toMatchObject({
      duplicate: false,
      totals: { statements: 1 },
    });
  });

  test("an opening balance that is not the account's last closing balance is stored and flagged", async () => {
    const w = await world();
    await w.run({ kind: 'statement', content: mt940(s1) });
    const gap = statement(3, '1400.00', ['100.00'], '2026-11-27');
    const result = await w.run({ kind: 'statement', content: mt940(gap) });
    expect(result.statements).toEqual([
      expect.objectContaining({ openingBalance: '1400.00', openingMismatch: true, previousClosing: '1500.00' }),
    ]);
    expect(
      await t.knex('bank_statements').where({ region_id: w.region.id, file_id: result.fileId }).first(),
    ).toMatchObject({ opening_mismatch: true, previous_closing: '1500.00' });
    // Another account's balances are not this one's.
    const other = await w.run({
      kind: 'statement',
      content: mt940(statement(4, '9.00', ['1.00'], '2026-11-28', '2020002000')),
    });
    expect(other.statements![0]).toMatchObject({ openingMismatch: false });
  });

  test('statements of one account in one file follow each other; a page that does not is flagged', async () => {
    const w = await world();
    const s3 = statement(3, '1800.00', ['1.00'], '2026-11-27');
    const result = await w.run({ kind: 'statement', content: mt940(s1, s2, s3) });
    expect(result.statements!.map((s) => [s.openingMismatch, s.previousClosing])).toEqual([
      [false, undefined],
      [false, undefined],
      [true, '1850.00'],
    ]);
  });

  test('a file that states one statement twice is refused at the second', async () => {
    const w = await world();
    const text = writeMt940(s1);
    const refused = await refusedWithoutTrace(() => w.run({ kind: 'statement', content: Buffer.from(text + text) }));
    // The second statement starts at its :20:, the line after the second message's header.
    const secondStart = text.split('\r\n').length + 1;
    expect(refused).toMatchObject({
      status: 422,
      code: 'statement-file-refused',
      line: secondStart,
      reason: expect.stringMatching(/appears twice/),
    });
  });
});

describe('encodings', () => {
  test('a Latin-1 MT940 is read as ISO-8859-1, a UTF-8 one with a BOM as UTF-8', async () => {
    const w = await world();
    const text = writeMt940(bank.statement()).replace(':86:STL BNI EDC', ':86:ÜBERWEISUNG STL BNI EDC');
    const latin1 = await w.run({ kind: 'statement', content: Buffer.from(text, 'latin1') });
    const entry = await t
      .knex('statement_entries as e')
      .join('bank_statements as s', 's.id', 'e.statement_id')
      .where({ 's.file_id': latin1.fileId })
      .orderBy('e.line_number')
      .first('e.description');
    expect(entry.description).toMatch(/^ÜBERWEISUNG STL BNI EDC/);
    const w2 = await world();
    const utf8 = await w2.run({
      kind: 'statement',
      content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    });
    expect(utf8.statements![0].entries).toBe(2);
  });
});

test('quotes, backslashes, braces and commas in a text are stored as the bank wrote them', async () => {
  const w = await world();
  const odd = 'STL "BNI" C:\\EDC {B67377}, NULL';
  const text = writeMt940(bank.statement()).replace(':86:STL BNI EDC 20261124 B67377', `:86:${odd}`);
  const result = await w.run({ kind: 'statement', content: Buffer.from(text) });
  const [first] = await t
    .knex('statement_entries as e')
    .join('bank_statements as s', 's.id', 'e.statement_id')
    .where({ 's.file_id': result.fileId })
    .orderBy('e.line_number')
    .select('e.description');
  expect(first.description).toBe(odd);
});

describe('bad files are refused naming the line, and write nothing', () => {
  const csv = writeBniSettlementCsv(bank.meta(), [
    bank.line(),
    bank.line({ rrn: '633012000146', gross: '15000', mdr: '22.5', net: '14977.5' }),
  ]);

  test('a settlement file cut inside its last row', async () => {
    const w = await world();
    const cut = csv.slice(0, csv.lastIndexOf('633012000146') - 40);
    expect(await refusedWithoutTrace(() => w.run({ content: Buffer.from(cut) }))).toMatchObject({
      status: 422,
      code: 'settlement-file-refused',
      line: 3,
      reason: expect.stringMatching(/cut short/),
    });
  });

  test('a settlement line whose net is not gross - MDR', async () => {
    const w = await world();
    expect(
      await refusedWithoutTrace(() => w.run({ content: Buffer.from(csv.replace(',14977.5,', ',14977,')) })),
    ).toMatchObject({ status: 422, line: 3, reason: 'net 14977.00 is not gross 15000.00 - MDR 22.50 = 14977.50' });
  });

  test('a statement whose balances do not add up', async () => {
    const w = await world();
    const text = writeMt940(bank.statement()).replace(':62F:C261125IDR340150,35', ':62F:C261125IDR340150,36');
    const line = text.split('\r\n').indexOf(':62F:C261125IDR340150,36') + 1;
    expect(line).toBeGreaterThan(0);
    expect(await refusedWithoutTrace(() => w.run({ kind: 'statement', content: Buffer.from(text) }))).toMatchObject({
      status: 422,
      code: 'statement-file-refused',
      line,
      reason: expect.stringMatching(/does not balance/),
    });
  });

  test('UTF-16, with or without a byte order mark', async () => {
    const w = await world();
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    expect(await refusedWithoutTrace(() => w.run({ content: bom }))).toMatchObject({
      status: 422,
      line: 1,
      reason: expect.stringMatching(/UTF-16/),
    });
    expect(await refusedWithoutTrace(() => w.run({ content: Buffer.from(csv, 'utf16le') }))).toMatchObject({
      status: 422,
      line: 1,
      reason: expect.stringMatching(/NUL/),
    });
    expect(
      await refusedWithoutTrace(() =>
        w.run({ kind: 'statement', content: Buffer.from(writeMt940(bank.statement()), 'utf16le') }),
      ),
    ).toMatchObject({ status: 422, code: 'statement-file-refused', line: 1 });
  });

  test('garbage bytes, and an empty file', async () => {
    const w = await world();
    const garbage = Buffer.concat([Buffer.from('PROC DATE,MID\r\nxx'), randomBytes(4096), Buffer.from([0])]);
    expect(await refusedWithoutTrace(() => w.run({ content: garbage }))).toMatchObject({
      status: 422,
      line: expect.any(Number),
    });
    expect(await refusedWithoutTrace(() => w.run({ kind: 'statement', content: randomBytes(2048) }))).toMatchObject({
      status: 422,
      line: expect.any(Number),
    });
    expect(await refusedWithoutTrace(() => w.run({ content: Buffer.alloc(0) }))).toMatchObject({
      status: 422,
      line: 1,
      reason: 'the file is empty',
    });
  });

  test('a file for an acquirer the region does not have, or of another region', async () => {
    const [a, b] = [await world(), await world()];
    expect(
      await refusedWithoutTrace(() => a.run({ content: Buffer.from(csv), acquirerCode: 'no-such-bank' })),
    ).toMatchObject({ status: 422, code: 'unknown-acquirer' });
    expect(
      await refusedWithoutTrace(() => a.run({ content: Buffer.from(csv), acquirerCode: b.acquirer.code })),
    ).toMatchObject({ status: 422, code: 'unknown-acquirer' });
  });

  test('a statement sent as a settlement file, and a settlement file as a statement', async () => {
    const w = await world();
    expect(
      await refusedWithoutTrace(() => w.run({ content: Buffer.from(writeMt940(bank.statement())) })),
    ).toMatchObject({ status: 422, code: 'settlement-file-refused', line: 1 });
    expect(await refusedWithoutTrace(() => w.run({ kind: 'statement', content: Buffer.from(csv) }))).toMatchObject({
      status: 422,
      code: 'statement-file-refused',
      line: 1,
    });
  });
});
