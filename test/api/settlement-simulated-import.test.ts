// The simulator's banks, in their real layouts (no RRN on the card file, Mandiri's MDR per group),
// still import through importBankFile on real Postgres: every line stored, the group fees kept, and
// two consecutive simulated days' statements of one account and date both imported (distinct ids),
// neither taken for the other.
import { freshDb, type TestDb } from '../support/db';
import { testDeps } from '../support/app';
import * as make from '../support/make';
import { importBankFile } from '../../api/reconcile/import.service';
import { addDays } from '../../terminal-sim/clock';
import { SIM_CARD, SIM_QRIS, simulatedDay } from '../unit/simulated-bank-day';

const DATE = '2026-11-24';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

test("two simulated days' files import whole, statements of a shared date both kept", async () => {
  const region = await make.region(t.knex);
  await make.acquirer(t.knex, region.id, { code: SIM_CARD.code, mdrRate: SIM_CARD.mdrRate });
  await make.acquirer(t.knex, region.id, { code: SIM_QRIS.code, channel: 'qris', mdrRate: SIM_QRIS.mdrRate });
  const deps = testDeps(t.knex);
  const days = [
    await simulatedDay(DATE, {
      'lost-queue': 1,
      unsettled: 1,
      'amount-mismatch': 1,
      'duplicate-line': 1,
      'short-credit': 1,
      'late-settlement': 1,
    }),
    await simulatedDay(addDays(DATE, 1), {}),
  ];
  const statementIds: string[] = [];
  for (const day of days) {
    for (const f of day.files) {
      const result = await importBankFile(deps, {
        regionId: region.id,
        kind: f.kind,
        acquirerCode: f.acquirer,
        content: Buffer.from(f.content),
        name: f.name,
        source: 'inbox',
      });
      expect({ name: f.name, duplicate: result.duplicate }).toEqual({ name: f.name, duplicate: false });
      if (f.kind === 'settlement') {
        expect({ name: f.name, format: result.format, lines: result.lines }).toEqual({
          name: f.name,
          format: f.format === 'bni-settlement-csv' ? 'bni' : 'mandiri',
          lines: f.lines!.length,
        });
        const described = day.manifest.files.find((m) => m.name === f.name)!;
        expect((result.totals as { mdr: string; net: string }).net).toBe(described.net);
      } else {
        expect(result.statements?.map((s) => s.alreadyImported)).toEqual([false]);
        statementIds.push(result.statements![0].statementId);
      }
    }
  }
  // D+1 and D+2 (its late settlement) of the first day, D+2 of the second: three statements, three ids.
  expect(statementIds).toHaveLength(3);
  expect(new Set(statementIds).size).toBe(3);
  const stored = await t
    .knex('settlement_lines')
    .where({ region_id: region.id })
    .whereNotNull('rrn')
    .count<{ count: string }[]>('* as count');
  const qrisLines = days.flatMap((d) =>
    d.files.filter((f) => f.format === 'mandiri-merchant-statement').flatMap((f) => f.lines!),
  );
  // Only the QRIS acquirer's file carries an RRN (its option); the card file has none.
  expect(Number(stored[0].count)).toBe(qrisLines.length);
}, 60_000);
