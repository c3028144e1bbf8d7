import type { Db } from '../../db/knex';
import type { CreatePenaltyRule, PenaltyRule } from './arrears.schemas';

interface PenaltyRuleRow {
  id: string;
  region_id: string;
  effective_from: string;
  monthly_rate: string;
  cap_months: number;
  legal_basis: string | null;
  created_at: Date;
}

function fromRow(r: PenaltyRuleRow): PenaltyRule {
  return {
    id: r.id,
    regionId: r.region_id,
    effectiveFrom: r.effective_from,
    monthlyRate: r.monthly_rate,
    capMonths: r.cap_months,
    legalBasis: r.legal_basis,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listPenaltyRules(db: Db, regionId: string): Promise<PenaltyRule[]> {
  const rows: PenaltyRuleRow[] = await db('penalty_rules').where({ region_id: regionId }).orderBy('effective_from');
  return rows.map(fromRow);
}

export async function insertPenaltyRule(db: Db, regionId: string, v: CreatePenaltyRule): Promise<PenaltyRule> {
  const [row] = await db('penalty_rules')
    .insert({
      region_id: regionId,
      effective_from: v.effectiveFrom,
      monthly_rate: v.monthlyRate,
      cap_months: v.capMonths,
      legal_basis: v.legalBasis ?? null,
    })
    .returning('*');
  return fromRow(row);
}
