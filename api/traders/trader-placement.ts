// The optional stall columns of a trader import: which stall of the market each new trader
// occupies from when. Checked row by row so every problem is reported with its line.
import { z } from 'zod';
import type { Db } from '../../db/knex';
import type { CsvProblem } from '../master-data/csv';
import { businessDate } from '../core/schemas';
import { type MarketRef, stallCode } from '../stalls/stalls.schemas';
import { stallIdsByCode } from '../stalls/stalls.service';
import type { NewTenancy } from '../tenancies/tenancies.schemas';
import { occupiedFrom } from '../tenancies/tenancies.service';
import type { TraderLine } from './traders.schemas';

export const placementSchema = z
  .object({ stallCode: stallCode.optional(), effectiveFrom: businessDate.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.stallCode && !v.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveFrom'], message: 'required when stall_code is given' });
    if (!v.stallCode && v.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['stallCode'], message: 'required when effective_from is given' });
  });

/**
 * Tenancies to create. A stall must exist in the market, appear once in the file, and have no
 * occupant on or after the new start (the new tenancy is open-ended).
 */
export async function resolvePlacements(
  db: Db,
  m: MarketRef,
  lines: TraderLine[],
  problems: CsvProblem[],
): Promise<NewTenancy[]> {
  const placed = lines.filter((l) => l.stallCode && l.effectiveFrom);
  const ids = await stallIdsByCode(db, m, [...new Set(placed.map((l) => l.stallCode!))]);
  const firstLine = new Map<string, number>();
  const wanted: (NewTenancy & { line: number })[] = [];
  for (const l of placed) {
    const stallId = ids.get(l.stallCode!);
    const first = firstLine.get(l.stallCode!);
    if (!stallId)
      problems.push({ line: l.line, field: 'stall_code', message: `the market has no stall ${l.stallCode}` });
    else if (first !== undefined)
      problems.push({
        line: l.line,
        field: 'stall_code',
        message: `stall ${l.stallCode} is already given on line ${first}`,
      });
    else
      wanted.push({
        line: l.line,
        regionId: m.region_id,
        stallId,
        traderId: l.trader.id,
        effectiveFrom: l.effectiveFrom!,
      });
    if (first === undefined) firstLine.set(l.stallCode!, l.line);
  }
  const occupied = await occupiedFrom(
    db,
    m.region_id,
    wanted.map((w) => ({ stallId: w.stallId, from: w.effectiveFrom })),
  );
  for (const w of wanted) {
    if (occupied.has(w.stallId))
      problems.push({
        line: w.line,
        field: 'stall_code',
        message: 'the stall already has an occupant on or after effective_from; end that tenancy first',
      });
  }
  return wanted.map(({ line: _line, ...t }) => t);
}
