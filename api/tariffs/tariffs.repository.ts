import type { Db } from '../../db/knex';
import type { CreateTariff, ListTariffsQuery, Tariff } from './tariffs.schemas';

export interface TariffRow {
  region_id: string;
  id: string;
  stall_kind: Tariff['stallKind'];
  market_class: Tariff['marketClass'];
  zone: string | null;
  basis: Tariff['basis'];
  rate: string;
  effective_from: string;
  effective_to: string | null;
  legal_basis: string | null;
  created_at: Date;
}

export function fromRow(r: TariffRow): Tariff {
  return {
    id: r.id,
    regionId: r.region_id,
    stallKind: r.stall_kind,
    marketClass: r.market_class,
    zone: r.zone,
    basis: r.basis,
    rate: r.rate,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    legalBasis: r.legal_basis,
    createdAt: r.created_at.toISOString(),
  };
}

export async function insertTariff(db: Db, regionId: string, v: CreateTariff): Promise<TariffRow> {
  const [row] = await db('tariffs')
    .insert({
      region_id: regionId,
      stall_kind: v.stallKind,
      market_class: v.marketClass,
      zone: v.zone ?? null,
      basis: v.basis,
      rate: v.rate,
      effective_from: v.effectiveFrom,
      effective_to: v.effectiveTo ?? null,
      legal_basis: v.legalBasis ?? null,
    })
    .returning('*');
  return row;
}

export async function findTariff(db: Db, id: string, forUpdate = false): Promise<TariffRow | undefined> {
  const q = db('tariffs').where({ id }).first();
  return forUpdate ? q.forUpdate() : q;
}

export async function setEnd(db: Db, t: TariffRow, effectiveTo: string): Promise<TariffRow> {
  const [row] = await db('tariffs')
    .where({ region_id: t.region_id, id: t.id })
    .update({ effective_to: effectiveTo })
    .returning('*');
  return row;
}

export async function listTariffs(db: Db, regionId: string, q: ListTariffsQuery): Promise<TariffRow[]> {
  const query = db('tariffs')
    .where({ region_id: regionId })
    // The region-wide tariff (no zone) before the zone-specific ones.
    .orderBy([
      { column: 'stall_kind' },
      { column: 'market_class' },
      { column: 'zone', nulls: 'first' },
      { column: 'effective_from' },
    ]);
  if (q.stallKind) query.where({ stall_kind: q.stallKind });
  if (q.marketClass) query.where({ market_class: q.marketClass });
  if (q.asOf)
    query
      .where('effective_from', '<=', q.asOf)
      .andWhere((w) => w.whereNull('effective_to').orWhere('effective_to', '>=', q.asOf!));
  return query;
}
