import { freshDb, type TestDb } from '../support/db';
import * as make from '../support/make';
import { accountId } from '../../api/ledger/accounts.repository';

let t: TestDb;
let regionId: string;
let bank: string;
let revenue: string;

beforeAll(async () => {
  t = await freshDb();
  const r = await make.region(t.knex);
  const m = await make.market(t.knex, r.id);
  regionId = r.id;
  bank = await accountId(t.knex, regionId, 'treasury_bank');
  revenue = await accountId(t.knex, regionId, 'market_revenue', { marketId: m.id });
});
afterAll(() => t.drop());

async function post(lines: { account: string; debit: string; credit: string }[]) {
  return t.knex.transaction(async (trx) => {
    const [e] = await trx('journal_entries')
      .insert({ region_id: regionId, kind: 'adjustment', business_date: '2026-11-23' })
      .returning('id');
    for (const l of lines) {
      await trx('journal_lines').insert({
        region_id: regionId,
        entry_id: e.id,
        account_id: l.account,
        debit: l.debit,
        credit: l.credit,
      });
    }
    return e.id as string;
  });
}

test('the database refuses an unbalanced journal entry at commit', async () => {
  await expect(
    post([
      { account: bank, debit: '100.00', credit: '0' },
      { account: revenue, debit: '0', credit: '99.99' },
    ]),
  ).rejects.toThrow(/unbalanced/);
  const { n } = (await t.knex('journal_lines').count('* as n').first()) as { n: string };
  expect(n).toBe('0');
});

test('a journal entry with a single line is refused', async () => {
  await expect(post([{ account: bank, debit: '100.00', credit: '0' }])).rejects.toThrow(/unbalanced/);
});

test('a line with both sides or a negative amount is refused', async () => {
  await expect(
    post([
      { account: bank, debit: '-5', credit: '0' },
      { account: revenue, debit: '0', credit: '-5' },
    ]),
  ).rejects.toThrow(/check constraint/);
  await expect(
    post([
      { account: bank, debit: '5', credit: '5' },
      { account: revenue, debit: '0', credit: '0' },
    ]),
  ).rejects.toThrow(/check constraint/);
});

test('a balanced entry posts, and its rows can then be neither updated nor deleted', async () => {
  const id = await post([
    { account: bank, debit: '150000.50', credit: '0' },
    { account: revenue, debit: '0', credit: '150000.50' },
  ]);
  await expect(t.knex('journal_lines').where({ entry_id: id }).update({ debit: '1' })).rejects.toThrow(/immutable/);
  await expect(t.knex('journal_lines').where({ entry_id: id }).del()).rejects.toThrow(/immutable/);
  await expect(t.knex('journal_entries').where({ id }).update({ memo: 'changed' })).rejects.toThrow(/immutable/);
  await expect(t.knex.raw('truncate journal_lines cascade')).rejects.toThrow(/not allowed/);
  const lines = await t.knex('journal_lines').where({ entry_id: id }).orderBy('id');
  expect(lines.map((l) => [l.debit, l.credit])).toEqual([
    ['150000.50', '0.00'],
    ['0.00', '150000.50'],
  ]);
});

test('a reversal must name the entry it reverses, and an entry is reversed only once', async () => {
  const id = await post([
    { account: bank, debit: '10', credit: '0' },
    { account: revenue, debit: '0', credit: '10' },
  ]);
  const reverse = () =>
    t.knex.transaction(async (trx) => {
      const [e] = await trx('journal_entries')
        .insert({ region_id: regionId, kind: 'reversal', business_date: '2026-11-23', reverses_entry_id: id })
        .returning('id');
      await trx('journal_lines').insert([
        { region_id: regionId, entry_id: e.id, account_id: revenue, debit: '10', credit: '0' },
        { region_id: regionId, entry_id: e.id, account_id: bank, debit: '0', credit: '10' },
      ]);
    });
  await reverse();
  await expect(reverse()).rejects.toThrow(/journal_entries_reversed_once/);
  await expect(
    t.knex('journal_entries').insert({ region_id: regionId, kind: 'reversal', business_date: '2026-11-23' }),
  ).rejects.toThrow(/check constraint/);
});

test("a settlement line belongs to a file of its own acquirer, checked at commit: no line without its file, none under another bank's", async () => {
  const a = await make.acquirer(t.knex, regionId);
  const b = await make.acquirer(t.knex, regionId);
  const line = (fileId: string, acquirerId: string) => ({
    region_id: regionId,
    file_id: fileId,
    acquirer_id: acquirerId,
    line_number: 2,
    transaction_date: '2026-11-23',
    gross: '1000',
    mdr: '2',
    net: '998',
  });
  const file = (acquirerId: string, sha: string) => ({
    region_id: regionId,
    kind: 'settlement',
    acquirer_id: acquirerId,
    format: 'bni',
    sha256: sha.repeat(64),
    size_bytes: 1,
    content: Buffer.from('x'),
    line_count: 1,
    totals: '{}',
    source: 'upload',
  });
  // The streamed import's order: lines first, the file row last, in one transaction.
  await expect(
    t.knex.transaction(async (trx) => {
      const [f] = await trx('bank_files').insert(file(a.id, 'a')).returning('id');
      await trx('settlement_lines').insert(line(f.id, a.id));
    }),
  ).resolves.toBeUndefined();
  await expect(
    t.knex.transaction(async (trx) => {
      const [f] = await trx('bank_files').insert(file(a.id, 'b')).returning('id');
      await trx('settlement_lines').insert(line(f.id, b.id));
    }),
  ).rejects.toThrow(/settlement_lines_file/);
  await expect(
    t.knex.transaction(async (trx) => {
      await trx('settlement_lines').insert(line('00000000-0000-4000-8000-000000000000', a.id));
    }),
  ).rejects.toThrow(/settlement_lines_file/);
});
