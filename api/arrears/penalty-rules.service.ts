// A region's penalty rules are data: each Perda's monthly rate and cap from the day it takes
// effect. Rules are only ever added: the rule once in force is what past charges were made by.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { assertManageRegion, assertReadRegion } from '../auth/principal';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import type { CreatePenaltyRule, PenaltyRule } from './arrears.schemas';
import { insertPenaltyRule, listPenaltyRules } from './penalty-rules.repository';

const constraints = {
  penalty_rules_region_id_effective_from_key: () =>
    fieldError(
      409,
      'duplicate-effective-from',
      'effectiveFrom',
      'this region already has a penalty rule from this date',
    ),
};

export async function getPenaltyRules(deps: Deps, p: Principal, regionId: string): Promise<PenaltyRule[]> {
  assertReadRegion(p, regionId);
  await loadRegion(deps, regionId);
  return listPenaltyRules(deps.knex, regionId);
}

export async function addPenaltyRule(
  deps: Deps,
  p: Principal,
  regionId: string,
  input: CreatePenaltyRule,
): Promise<PenaltyRule> {
  assertManageRegion(p, regionId);
  await loadRegion(deps, regionId);
  return guarded(() => insertPenaltyRule(deps.knex, regionId, input), constraints);
}
