// Small worlds the API tests start from, with overrides, instead of one per test file:
// - marketWorld: a region with its markets, the default kios tariff (a 6 m² kios owes Rp 3.000 a
//   day), a card acquirer, a card terminal in every market, and the app on this database;
// - importWorld: a region with a card acquirer, and its bank-file import with the usual fields.
import type { Knex } from 'knex';
import { assessDay } from '../../api/assessments/assessment.service';
import type { Clock } from '../../api/core/clock';
import type { AppError } from '../../api/core/errors';
import { importBankFile, type ImportInput } from '../../api/reconcile/import.service';
import { testApp, testDeps, tokenFor } from './app';
import * as make from './make';
import type { CardPayer } from './pay';

export type MarketWorld = Awaited<ReturnType<typeof marketWorld>>;

export async function marketWorld(
  db: Knex,
  o: { markets?: number | string[]; regionName?: string; timeZone?: string; clock?: Clock } = {},
) {
  const region = await make.region(db, { name: o.regionName, timeZone: o.timeZone });
  const codes = typeof o.markets === 'object' ? o.markets : Array.from({ length: o.markets ?? 1 }, () => undefined);
  const markets: Awaited<ReturnType<typeof make.market>>[] = [];
  for (const code of codes) markets.push(await make.market(db, region.id, { code }));
  await make.tariff(db, region.id);
  const acquirer = await make.acquirer(db, region.id);
  const nowMs = o.clock?.now().getTime();
  const terminals = new Map<string, { terminal: Awaited<ReturnType<typeof make.terminal>>; terminalToken: string }>();
  for (const m of markets) {
    const terminal = await make.terminal(db, region.id, m.id, acquirer.id);
    const principal = { terminalId: terminal.id, regionId: region.id, marketId: m.id };
    terminals.set(m.id, {
      terminal,
      terminalToken: tokenFor({ role: 'terminal', sub: terminal.id, ...principal }, nowMs),
    });
  }
  const { app, deps } = testApp(db, { clock: o.clock });
  const first = terminals.get(markets[0].id)!;
  return {
    region,
    market: markets[0],
    markets,
    acquirer,
    terminal: first.terminal,
    terminalToken: first.terminalToken,
    app,
    deps,
    /** The stall with the terminal of its market and that terminal's token, to pay for it. */
    payer: (stall: { id: string; market_id: string }): CardPayer => ({ stall, ...terminals.get(stall.market_id)! }),
    /** A stall (a 6 m² kios unless told) with a trader in it, from 2020-01-01 unless told. */
    occupy: async (
      s: { marketId?: string; code?: string; areaM2?: string; trader?: string; from?: string; to?: string | null } = {},
    ) => {
      const stall = await make.stall(db, region.id, s.marketId ?? markets[0].id, { code: s.code, areaM2: s.areaM2 });
      const trader = await make.trader(db, region.id, { name: s.trader });
      await make.tenancy(db, region.id, stall.id, trader.id, { from: s.from, to: s.to });
      return { stall, trader };
    },
    /** The daily assessment of each date, in order. */
    assess: async (...dates: string[]) => {
      for (const d of dates) await assessDay(deps, region.code, d);
    },
  };
}

/** A region with a card acquirer; run imports a settlement file of that acquirer, uploaded by
 * 'tester', unless told otherwise. */
export async function importWorld(db: Knex, o: { timeZone?: string } = {}) {
  const region = await make.region(db, { timeZone: o.timeZone });
  const acquirer = await make.acquirer(db, region.id);
  const deps = testDeps(db);
  const run = (i: Partial<ImportInput> & Pick<ImportInput, 'content'>) =>
    importBankFile(deps, {
      regionId: region.id,
      kind: 'settlement',
      acquirerCode: acquirer.code,
      source: 'upload',
      importedBy: 'tester',
      ...i,
    });
  return { region, acquirer, deps, run };
}

/** How many rows each table holds. */
export const rowCounts = async (db: Knex, tables: string[]): Promise<Record<string, number>> =>
  Object.fromEntries(
    await Promise.all(tables.map(async (x) => [x, Number((await db(x).count('* as n').first())?.n)] as const)),
  );

/** The error an attempt throws, after checking that every table named holds the rows it held before. */
export async function refusedLeaving(db: Knex, tables: string[], attempt: () => Promise<unknown>): Promise<AppError> {
  const before = await rowCounts(db, tables);
  const err = await attempt().then(
    () => {
      throw new Error('accepted, where a refusal was expected');
    },
    (e: AppError) => e,
  );
  expect(await rowCounts(db, tables)).toEqual(before);
  return err;
}
