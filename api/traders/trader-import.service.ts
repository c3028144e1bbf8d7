// CSV import of a region's traders, optionally with the stall each occupies in one market
// (?marketId=, columns stall_code and effective_from). All rows or none.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertManageRegion } from '../master-data/access';
import { type CsvProblem, type CsvRow, invalidCsv, readCsv, validateRow } from '../master-data/csv';
import { fieldError, guarded } from '../core/db-errors';
import { loadMarket } from '../markets/markets.service';
import { loadRegion } from '../regions/regions.service';
import { insertTenanciesIn, tenancyConstraints } from '../tenancies/tenancies.service';
import { createTraderSchema, type TraderLine } from './traders.schemas';
import { existingNiks, insertTraders } from './traders.repository';
import { traderConstraints } from './traders.service';
import { placementSchema, resolvePlacements } from './trader-placement';

export const TRADER_CSV_COLUMNS = {
  required: ['name'],
  optional: ['nik', 'phone', 'address', 'stall_code', 'effective_from'],
};

const columnOf: Record<string, string> = { stallCode: 'stall_code', effectiveFrom: 'effective_from' };

function validate(row: CsvRow, problems: CsvProblem[]): TraderLine | undefined {
  const v = row.values;
  const trader = validateRow(
    createTraderSchema,
    row,
    { name: v.name, nik: v.nik, phone: v.phone, address: v.address },
    columnOf,
    problems,
  );
  const place = validateRow(
    placementSchema,
    row,
    { stallCode: v.stall_code, effectiveFrom: v.effective_from },
    columnOf,
    problems,
  );
  if (!trader || !place) return undefined;
  return { line: row.line, trader: { ...trader, id: randomUUID() }, ...place };
}

/** A NIK identifies one person: once in the file, and new to the region. */
async function checkNiks(deps: Deps, regionId: string, lines: TraderLine[], problems: CsvProblem[]): Promise<void> {
  const firstLine = new Map<string, number>();
  for (const { line, trader } of lines) {
    if (!trader.nik) continue;
    const first = firstLine.get(trader.nik);
    if (first !== undefined) problems.push({ line, field: 'nik', message: `NIK already appears on line ${first}` });
    else firstLine.set(trader.nik, line);
  }
  const taken = await existingNiks(deps.knex, regionId, [...firstLine.keys()]);
  for (const { line, trader } of lines) {
    if (trader.nik && taken.has(trader.nik))
      problems.push({ line, field: 'nik', message: 'a trader with this NIK is already registered in this region' });
  }
}

async function marketFor(deps: Deps, regionId: string, marketId: string | undefined, columns: string[]) {
  if (!columns.includes('stall_code')) return undefined;
  if (!marketId)
    throw fieldError(
      400,
      'invalid-input',
      'marketId',
      'the file has a stall_code column: say which market with ?marketId=',
    );
  const m = await loadMarket(deps, marketId);
  if (m.region_id !== regionId)
    throw fieldError(422, 'market-outside-region', 'marketId', 'the market is not in this region');
  return m;
}

export async function importTraders(
  deps: Deps,
  p: Principal,
  regionId: string,
  marketId: string | undefined,
  body: unknown,
) {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const { rows, problems, columns } = readCsv(body, TRADER_CSV_COLUMNS);
  const market = await marketFor(deps, regionId, marketId, columns);
  const lines = rows.map((r) => validate(r, problems)).filter((l): l is TraderLine => l !== undefined);
  await checkNiks(deps, regionId, lines, problems);
  const tenancies = market ? await resolvePlacements(deps.knex, market, lines, problems) : [];
  if (problems.length) throw invalidCsv(problems);
  // Overlaps found by a concurrent request after the checks roll back the whole file.
  const inserted = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const traders = await insertTraders(
          trx,
          regionId,
          lines.map((l) => l.trader),
        );
        await insertTenanciesIn(trx, tenancies);
        return traders.length;
      }),
    { ...traderConstraints, ...tenancyConstraints },
  );
  return { imported: inserted, tenancies: tenancies.length };
}
