// The daily assessment (karcis/SKRD): each occupied, active stall in a market open on that
// local date owes one day's fee at the tariff in force. Running it again creates nothing new.
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { assertManageRegion, type Principal } from '../auth/principal';
import type { RunAssessmentInput } from './assessments.schemas';
import { applyCredit } from '../ledger/allocation';
import { findRegionIn } from '../regions/regions.service';
import * as repo from './assessment.repository';

export interface AssessResult {
  regionCode: string;
  businessDate: string;
  created: number;
  creditApplied: number;
  stallsWithoutTariff: number;
}

export async function assessDay(deps: Deps, regionCode: string, date: string): Promise<AssessResult> {
  const region = await repo.findRegionByCode(deps.knex, regionCode);
  if (!region) throw notFound('region', { field: 'region', value: regionCode });
  return deps.knex.transaction(async (trx) => {
    // Two instances running the same region and day wait for each other; the second then finds
    // every assessment already made (and the unique constraint is the last guard).
    await repo.lockAssessmentRun(trx, region.id, date);
    const stallIds = await repo.createAssessments(trx, region.id, date);
    const credit = await applyCredit(trx, region.id, stallIds, date);
    const withoutTariff = await repo.stallsWithoutTariff(trx, region.id, date);
    return {
      regionCode: region.code,
      businessDate: date,
      created: stallIds.length,
      creditApplied: credit.assessments,
      stallsWithoutTariff: withoutTariff,
    };
  });
}

export async function runAssessment(
  deps: Deps,
  principal: Principal,
  input: RunAssessmentInput,
): Promise<AssessResult> {
  const region = await findRegionIn(deps.knex, input.regionId);
  if (!region) throw notFound('region', { field: 'regionId' });
  assertManageRegion(principal, region.id);
  return assessDay(deps, region.code, input.businessDate);
}
