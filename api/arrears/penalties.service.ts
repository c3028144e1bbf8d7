// The penalty engine (sanksi administratif berupa bunga, UU 1/2022 HKPD and the region's Perda):
// interest per month on principal left unpaid after the due date, with the region's rules as data.
//
// For an assessment due on d, month n (n >= 1) accrues from d + (n-1) months + 1 day; any part of
// a month elapsed counts as a whole one. Month n is charged by a run as of D when
//   - it has begun: d + (n-1) months + 1 day <= D,
//   - a rule is in force on that day (the latest effective_from on or before it) and n is within
//     that rule's cap_months,
//   - principal was unpaid at the end of day d + (n-1) months (allocations on entries dated then
//     or before count as paid);
// at round(principal x monthly_rate), half up to whole rupiah. Each (assessment, month) is
// charged once, so a run is idempotent and a later run adds only the months begun since. Each
// run posts one journal entry per market: Dr penalty receivable, Cr penalty revenue. Penalty is
// payable like principal (issue 16): after charging, credit a trader already holds on a stall
// settles what is then owed there, in the region's order (api/ledger/allocation.ts).
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { formatMoney } from '../core/money';
import { applyCredit } from '../ledger/allocation';
import { findRegionIn } from '../regions/regions.service';
import {
  chargeDueMonths,
  chargedThrough,
  lockPenaltyRun,
  maxCapMonths,
  stallsOwingPenalty,
} from './penalties.repository';

export interface PenaltyRunResult {
  regionCode: string;
  asOf: string;
  /** penalty_charges rows made by this run (Rp 0 ones included) */
  charges: number;
  amount: string;
  /** markets whose journal entry this run posted */
  markets: number;
  /** penalty charges (and assessments) the credit traders held then settled, in part or whole */
  creditApplied: number;
}

export async function runPenalties(deps: Deps, regionId: string, asOf: string): Promise<PenaltyRunResult> {
  const region = await findRegionIn(deps.knex, regionId);
  if (!region) throw notFound('region', { field: 'regionId', value: regionId });
  return deps.knex.transaction(async (trx) => {
    // Two runs of a region wait for each other; the second then finds its months charged (and
    // the unique key on (assessment, month) is the last guard).
    await lockPenaltyRun(trx, region.id);
    const maxCap = await maxCapMonths(trx, region.id);
    const run =
      maxCap === 0
        ? { charges: 0, amount: '0', markets: 0 }
        : await chargeDueMonths(trx, region.id, asOf, await chargedThrough(trx, region.id), maxCap);
    const credit = await applyCredit(trx, region.id, await stallsOwingPenalty(trx, region.id), asOf);
    return {
      regionCode: region.code,
      asOf,
      charges: run.charges,
      amount: formatMoney(run.amount),
      markets: run.markets,
      creditApplied: credit.penalties + credit.assessments,
    };
  });
}
