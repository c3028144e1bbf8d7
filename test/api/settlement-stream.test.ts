// The streamed settlement import on real Postgres (issue 12, items 3 and 7): a file bigger than
// one piece of text and many chunks of lines is stored exactly, and refused at its last line it
// leaves nothing behind although earlier chunks had been copied; a line an earlier file brought
// is not stored again when it is the same, and refuses the file (409) when it is not.
import Decimal from 'decimal.js';
import { freshDb, type TestDb } from '../support/db';
import { importWorld, refusedLeaving } from '../support/world';
import type { ImportResult } from '../../api/reconcile/import.service';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const TABLES = ['bank_files', 'settlement_lines', 'bank_statements', 'statement_entries'];
const world = () => importWorld(t.knex);

/** The refusal an import throws, after checking it left every table as it was. */
const refusal = (attempt: () => Promise<ImportResult>) => refusedLeaving(t.knex, TABLES, attempt);

const HEADER =
  'PROC DATE,MID,OB,GB,SEQ,TYPE,TRX DATE,AUTH,CARD NO,AMOUNT,TID,JENIS TRX,PTR,RATE,DISC AMOUNT,AIR FARE,PLAN,SS AMOUNT,SS FEE TYPE,FLAG,NETT AMOUNT,MERCHANT ACCOUNT,MERCHANT NAME';

interface Row {
  gb?: string;
  seq: number;
  auth?: string;
  amount?: number;
  tid?: string;
  net?: string;
}

/** A row in BNI's real layout: DISC = AMOUNT x 0.15 % half up to the rupiah. */
function row(r: Row): string {
  const amount = r.amount ?? 1000 + (r.seq % 50) * 500;
  const mdr = new Decimal(amount).times('0.0015').toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const net = r.net ?? new Decimal(amount).minus(mdr).toFixed();
  const auth = r.auth ?? String(r.seq % 1_000_000).padStart(6, '0');
  return `25/11/2026,000885337100001,00001,${r.gb ?? '1261125001'},${String(r.seq).padStart(3, '0')},V,24/11/2026,${auth},522184XXXXXX1234,${amount},${r.tid ?? '71000001'},,0,0.15,${mdr.toFixed()},0,,0,0,,${net},0000002001001234,RETRIBUSI PASAR`;
}
const file = (rows: string[], stop = true) =>
  Buffer.from(`${HEADER}\r\n${rows.map((r) => `${r}\r\n`).join('')}${stop ? 'STOP\r\n' : ''}`);

describe('a file of many chunks', () => {
  // 12,000 rows: about 2 MB of text (two pieces), six chunks of lines, in 12 batches.
  const rows = Array.from({ length: 12_000 }, (_, i) =>
    row({
      gb: `1261125${String(1 + Math.floor(i / 1000)).padStart(3, '0')}`,
      seq: 1 + (i % 1000),
      tid: String(71000001 + Math.floor(i / 1000)),
    }),
  );

  test('is stored line for line, its bytes as received', async () => {
    const w = await world();
    const bytes = file(rows);
    expect(bytes.length).toBeGreaterThan(2 ** 20);
    const result = await w.run({ content: bytes, name: 'big.csv' });
    const gross = rows.reduce((a, r) => a.plus(r.split(',')[9]), new Decimal(0));
    expect(result).toMatchObject({
      lines: 12_000,
      duplicate: false,
      totals: { count: 12_000, gross: gross.toFixed(2) },
      transactionDates: ['2026-11-24'],
      settlementDate: '2026-11-25',
    });
    const stored = await t
      .knex('settlement_lines')
      .where({ file_id: result.fileId })
      .select(
        t.knex.raw(
          'count(*)::int as n, min(line_number) as lo, max(line_number) as hi, count(distinct line_key)::int as keys, sum(gross)::text as gross',
        ),
      );
    expect(stored[0]).toEqual({ n: 12_000, lo: 2, hi: 12_001, keys: 12_000, gross: gross.toFixed(2) });
    const f = await t.knex('bank_files').where({ id: result.fileId }).first();
    expect(f).toMatchObject({ line_count: 12_000, size_bytes: bytes.length });
    expect(Buffer.compare(f.content, bytes)).toBe(0);
    expect(await w.run({ content: bytes })).toEqual({ ...result, duplicate: true });
  });

  test('refused at its last line, after earlier chunks were copied, leaves nothing', async () => {
    const w = await world();
    const bad = [...rows.slice(0, -1), row({ gb: '1261125012', seq: 1000, tid: '71000012', net: '1' })];
    const err = await refusal(() => w.run({ content: file(bad) }));
    expect(err).toMatchObject({ status: 422, code: 'settlement-file-refused', details: { line: 12_001 } });
    // Cut short: no STOP after the last row.
    expect(await refusal(() => w.run({ content: file(rows, false) }))).toMatchObject({
      status: 422,
      details: { line: 12_001, reason: expect.stringMatching(/cut short/) },
    });
  });
});

describe("a line known by the bank's row key", () => {
  const a = [1, 2, 3].map((seq) => row({ seq }));

  test('sent again with the same content is not stored again; the answer counts it', async () => {
    const w = await world();
    const first = await w.run({ content: file(a), name: 'day1.csv' });
    const second = await w.run({ content: file([a[1], a[2], row({ seq: 4 })]), name: 'day2.csv' });
    expect(second).toMatchObject({
      duplicate: false,
      lines: 1,
      totals: { count: 1, gross: '3000.00', alreadyImported: 2 },
    });
    expect(await t.knex('settlement_lines').where({ file_id: second.fileId }).pluck('line_key')).toEqual([
      '000885337100001/00001/1261125001/004',
    ]);
    expect(await t.knex('settlement_lines').where({ region_id: w.region.id }).count('* as n').first()).toEqual({
      n: '4',
    });
    expect(first.totals).not.toHaveProperty('alreadyImported');
    // The second file's bytes again: its first answer.
    expect(await w.run({ content: file([a[1], a[2], row({ seq: 4 })]) })).toEqual({ ...second, duplicate: true });
  });

  test('sent again with other content refuses the file, naming both lines', async () => {
    const w = await world();
    const first = await w.run({ content: file(a), name: 'day1.csv' });
    const err = await refusal(() =>
      w.run({ content: file([row({ seq: 4 }), row({ seq: 2, amount: 9000 })]), name: 'day2.csv' }),
    );
    expect(err).toMatchObject({
      status: 409,
      code: 'settlement-line-conflict',
      details: {
        line: 3,
        lineKey: '000885337100001/00001/1261125001/002',
        earlierFile: { id: first.fileId, name: 'day1.csv' },
        earlierLine: 3,
        differs: [
          { field: 'gross', earlier: '2000.00', here: '9000.00' },
          { field: 'mdr', earlier: '3.00', here: '14.00' },
          { field: 'net', earlier: '1997.00', here: '8986.00' },
        ],
      },
    });
    expect(err.message).toMatch(
      /^line 3: row 000885337100001\/00001\/1261125001\/002 was imported from file "day1.csv"/,
    );
    // An approval code is compared as text: 012345 is not 12345.
    expect(await refusal(() => w.run({ content: file([row({ seq: 1, auth: '1' })]) }))).toMatchObject({
      status: 409,
      details: { differs: [{ field: 'approval code', earlier: '000001', here: '1' }] },
    });
  });

  test('repeated inside one file, both lines are kept', async () => {
    const w = await world();
    const result = await w.run({ content: file([a[0], a[0], a[1]]) });
    expect(result).toMatchObject({ lines: 3, totals: { count: 3 } });
  });
});
