// CSV import of a market's stall register: all rows or none.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertManageRegion } from '../master-data/access';
import { type CsvProblem, type CsvRow, invalidCsv, readCsv, validateRow } from '../master-data/csv';
import { guarded } from '../core/db-errors';
import { loadMarket } from '../markets/markets.service';
import { createStallSchema, type CreateStall } from './stalls.schemas';
import { existingCodes, insertStalls } from './stalls.repository';
import type { MarketRef } from './stalls.schemas';
import { stallConstraints } from './stalls.service';

export const STALL_CSV_COLUMNS = { required: ['code', 'kind', 'area_m2'], optional: ['block', 'zone', 'status'] };

const columnOf: Record<string, string> = {
  code: 'code',
  kind: 'kind',
  areaM2: 'area_m2',
  block: 'block',
  zone: 'zone',
  status: 'status',
};

interface Line {
  line: number;
  stall: CreateStall;
}

function toInput(v: CsvRow['values']) {
  return {
    code: v.code,
    kind: v.kind?.toLowerCase(),
    // "6,5" from a spreadsheet in an Indonesian locale means 6.5 m².
    areaM2: v.area_m2?.replace(',', '.'),
    block: v.block,
    zone: v.zone,
    status: v.status?.toLowerCase(),
  };
}

/** A code may appear once in the file and must be new to the market. */
async function checkCodes(deps: Deps, m: MarketRef, lines: Line[], problems: CsvProblem[]): Promise<void> {
  const firstLine = new Map<string, number>();
  for (const { line, stall } of lines) {
    const first = firstLine.get(stall.code);
    if (first !== undefined)
      problems.push({ line, field: 'code', message: `code ${stall.code} already appears on line ${first}` });
    else firstLine.set(stall.code, line);
  }
  const taken = await existingCodes(deps.knex, m, [...firstLine.keys()]);
  for (const { line, stall } of lines) {
    if (taken.has(stall.code))
      problems.push({ line, field: 'code', message: `the market already has a stall with code ${stall.code}` });
  }
}

export async function importStalls(
  deps: Deps,
  p: Principal,
  marketId: string,
  body: unknown,
): Promise<{ imported: number }> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  const { rows, problems } = readCsv(body, STALL_CSV_COLUMNS);
  const lines: Line[] = [];
  for (const row of rows) {
    const stall = validateRow(createStallSchema, row, toInput(row.values), columnOf, problems);
    if (stall) lines.push({ line: row.line, stall });
  }
  await checkCodes(deps, m, lines, problems);
  if (problems.length) throw invalidCsv(problems);
  // One transaction: a code taken by a concurrent request after the check rolls back the file.
  const inserted = await guarded(
    () =>
      deps.knex.transaction((trx) =>
        insertStalls(
          trx,
          m,
          lines.map((l) => l.stall),
        ),
      ),
    stallConstraints,
  );
  return { imported: inserted.length };
}
