// importInbox over <inbox>/<REGION>/<date>/ as the simulator's banks write it: every bank file
// of every date folder imported, the manifest and strangers skipped, a bad file recorded as
// refused (once) without stopping the others, and a second run finding nothing new.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDb, type TestDb } from '../support/db';
import { testDeps } from '../support/app';
import * as make from '../support/make';
import { make as bank } from '../unit/bank-files-support';
import { classify, importInbox } from '../../api/reconcile/inbox';
import { writeRegionFiles } from '../../terminal-sim/inbox';
import type { BankFile, Manifest } from '../../terminal-sim/banks/manifest';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMandiriMerchantStatement } from '../../terminal-sim/banks/files/mandiri-merchant-statement';
import { writeMt940 } from '../../terminal-sim/banks/files/mt940';
import { writeCamt053 } from '../../terminal-sim/banks/files/camt053';

let t: TestDb;
let inbox: string;
beforeAll(async () => {
  t = await freshDb();
  inbox = mkdtempSync(path.join(os.tmpdir(), 'eret-inbox-'));
});
afterAll(async () => {
  rmSync(inbox, { recursive: true, force: true });
  await t.drop();
});

async function setup() {
  const region = await make.region(t.knex);
  // Codes that sort card first, as the files do.
  const card = await make.acquirer(t.knex, region.id, { code: `a-card-${region.code.toLowerCase()}` });
  const qris = await make.acquirer(t.knex, region.id, {
    code: `b-qris-${region.code.toLowerCase()}`,
    channel: 'qris',
    mdrRate: '0',
  });
  const deps = testDeps(t.knex);
  return { region, card, qris, deps };
}

/** What the simulator's banks write for 2026-11-24: both acquirers' files for the 25th, and
 * the treasury statement of the 25th, crediting each batch. */
function dayFiles(card: string, qris: string): BankFile[] {
  const cardLines = [
    bank.line({ acquirerCode: card }),
    bank.line({ acquirerCode: card, rrn: '633012000146', gross: '15000', mdr: '22.5', net: '14977.5' }),
  ];
  const qrisLines = [bank.qrisLine({ acquirerCode: qris })];
  const settlement = (acquirer: string, content: string): BankFile => ({
    name: `settlement_${acquirer}_20261125.csv`,
    kind: 'settlement',
    format: 'bni-settlement-csv',
    acquirer,
    date: '2026-11-25',
    content,
  });
  const statement = bank.statement({
    entries: [bank.entry({ amount: '247627.50' }), bank.entry({ amount: '7500.00', reference: '67378' })],
    closingBalance: '355127.85',
  });
  return [
    settlement(card, writeBniSettlementCsv(bank.meta({ acquirerCode: card }), cardLines)),
    settlement(qris, writeMandiriMerchantStatement(bank.meta({ acquirerCode: qris }), qrisLines)),
    {
      name: 'statement_1010001234_20261125.mt940',
      kind: 'statement',
      format: 'mt940',
      date: '2026-11-25',
      content: writeMt940(statement),
    },
  ];
}

const manifest = { region: 'x', files: [] } as unknown as Manifest;

test('every bank file of every date folder is imported; a bad one is refused and recorded without stopping the others', async () => {
  const s = await setup();
  writeRegionFiles(inbox, s.region.code, '2026-11-24', dayFiles(s.card.code, s.qris.code), manifest);
  const day24 = path.join(inbox, s.region.code, '2026-11-24');
  // Sorted before the good files: a refusal must not stop the ones after it.
  const whole = writeBniSettlementCsv(bank.meta(), [bank.line()]);
  writeFileSync(path.join(day24, `settlement_${s.card.code}_0_cut.csv`), whole.slice(0, whole.indexOf('\r\n') + 60));
  writeFileSync(
    path.join(day24, 'settlement_no-such-bank_20261125.csv'),
    writeBniSettlementCsv(bank.meta(), [bank.line()]),
  );
  writeFileSync(path.join(day24, 'README.txt'), 'not a bank file');
  mkdirSync(path.join(inbox, s.region.code, 'archive'), { recursive: true });
  writeFileSync(path.join(inbox, s.region.code, 'archive', 'statement_old.mt940'), 'not read: not a date folder');
  const next = bank.statement({
    statementNumber: 103,
    date: '2026-11-26',
    openingBalance: '355127.85',
    closingBalance: '355127.85',
    entries: [],
    generatedAt: new Date('2026-11-26T03:00:08Z'),
  });
  writeRegionFiles(
    inbox,
    s.region.code,
    '2026-11-25',
    [
      {
        name: 'statement_1010001234_20261126.camt053.xml',
        kind: 'statement',
        format: 'camt053',
        date: '2026-11-26',
        content: writeCamt053(next),
      },
    ],
    manifest,
  );

  const first = await importInbox(s.deps, s.region.id, inbox);
  expect(first.imported.map((i) => [i.name, i.kind, i.format, i.lines, i.duplicate])).toEqual([
    [`settlement_${s.card.code}_20261125.csv`, 'settlement', 'bni', 2, false],
    [`settlement_${s.qris.code}_20261125.csv`, 'settlement', 'mandiri', 1, false],
    ['statement_1010001234_20261125.mt940', 'statement', 'mt940', 2, false],
    ['statement_1010001234_20261126.camt053.xml', 'statement', 'camt.053', 0, false],
  ]);
  expect(first.imported.map((i) => i.acquirerCode)).toEqual([s.card.code, s.qris.code, undefined, undefined]);
  expect(first.refused).toEqual([
    {
      path: `${s.region.code}/2026-11-24/settlement_${s.card.code}_0_cut.csv`,
      line: 2,
      reason: expect.stringMatching(/cut short/),
    },
    {
      path: `${s.region.code}/2026-11-24/settlement_no-such-bank_20261125.csv`,
      line: 0,
      reason: expect.stringMatching(/no acquirer "no-such-bank"/),
    },
  ]);
  // The lines' own day, and the days of the lines the new credits (value date the 25th) may pay.
  expect(first.businessDates).toEqual(['2026-11-24']);
  expect(first.statementDates).toEqual(['2026-11-25']);
  const refusals = await t.knex('bank_file_refusals').where({ region_id: s.region.id }).orderBy('path');
  expect(refusals.map((r) => [r.path, r.line, r.sha256.length])).toEqual([
    [`${s.region.code}/2026-11-24/settlement_${s.card.code}_0_cut.csv`, 2, 64],
    [`${s.region.code}/2026-11-24/settlement_no-such-bank_20261125.csv`, 0, 64],
  ]);
  const files = await t.knex('bank_files').where({ region_id: s.region.id });
  expect(files.map((f) => f.source)).toEqual(['inbox', 'inbox', 'inbox', 'inbox']);

  const second = await importInbox(s.deps, s.region.id, inbox);
  expect(second.imported.map((i) => [i.fileId, i.duplicate])).toEqual(first.imported.map((i) => [i.fileId, true]));
  expect(second.refused).toEqual(first.refused);
  expect(second.businessDates).toEqual([]);
  expect(await t.knex('bank_file_refusals').where({ region_id: s.region.id }).count('* as n').first()).toEqual({
    n: '2',
  });
});

test('a statement arriving after the settlement files names the days of the lines its credits may pay', async () => {
  const s = await setup();
  const [cardFile, qrisFile, statementFile] = dayFiles(s.card.code, s.qris.code);
  writeRegionFiles(inbox, s.region.code, '2026-11-24', [cardFile, qrisFile], manifest);
  expect((await importInbox(s.deps, s.region.id, inbox)).businessDates).toEqual(['2026-11-24']);
  writeRegionFiles(inbox, s.region.code, '2026-11-24', [cardFile, qrisFile, statementFile], manifest);
  const later = await importInbox(s.deps, s.region.id, inbox);
  expect(later.imported.filter((i) => !i.duplicate).map((i) => i.kind)).toEqual(['statement']);
  expect(later.businessDates).toEqual(['2026-11-24']);
});

test('a region without a folder in the inbox imports nothing', async () => {
  const s = await setup();
  expect(await importInbox(s.deps, s.region.id, path.join(inbox, 'nowhere'))).toEqual({
    imported: [],
    refused: [],
    businessDates: [],
    statementDates: [],
  });
});

test("file names: the longest of the region's acquirer codes that fits; the manifest and others are not bank files", () => {
  const codes = ['bank-jateng', 'bank-jateng-qris'];
  expect(classify('settlement_bank-jateng-qris_20261125.csv', codes)).toEqual({
    kind: 'settlement',
    acquirerCode: 'bank-jateng-qris',
  });
  expect(classify('settlement_bank-jateng_20261125.TXT', codes)).toEqual({
    kind: 'settlement',
    acquirerCode: 'bank-jateng',
  });
  expect(classify('settlement_other_20261125.csv', codes)).toEqual({ kind: 'settlement', acquirerCode: 'other' });
  expect(classify('statement_1010001234_20261125.camt053.xml', codes)).toEqual({ kind: 'statement' });
  expect(classify('settlement_bank-jateng_20261125.xlsx', codes)).toEqual({
    kind: 'settlement',
    acquirerCode: 'bank-jateng',
  });
  expect(classify('settlement_bank-jateng_20261125.XLS', codes)).toEqual({
    kind: 'settlement',
    acquirerCode: 'bank-jateng',
  });
  expect(
    ['manifest.json', 'settlement_bank-jateng_20261125.pdf', 'settlement.csv', 'notes.txt'].map((n) =>
      classify(n, codes),
    ),
  ).toEqual([undefined, undefined, undefined, undefined]);
});
