import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { assertReadMarket, type Principal } from '../auth/principal';
import { businessDate } from '../core/time';
import { Decimal, formatMoney } from '../core/money';
import * as repo from './collection.repository';
import type { Db } from '../../db/knex';
import { owedOn } from '../ledger/owed';

// What other features read about a stall, in their own transaction (QRIS intents, stall pages).
export type { StallRow } from './collection.repository';
export const findStallIn = (db: Db, stallId: string) => repo.findStall(db, stallId);
/** Who occupies the stall on the business date (undefined when nobody does). */
export const occupantOn = (db: Db, regionId: string, stallId: string, date: string) =>
  repo.occupant(db, regionId, stallId, date);
/** What the trader owes on the stall (principal and penalty), in the order a payment settles it. */
export const owedOf = (db: Db, regionId: string, stallId: string, traderId: string) =>
  owedOn(db, regionId, stallId, traderId);
/** The trader's unpaid assessments on the stall, oldest first. */
export const openAssessmentsOf = (db: Db, regionId: string, stallId: string, traderId: string) =>
  repo.openAssessments(db, regionId, stallId, traderId);
/** The trader's unused credit on the stall, as a decimal string. */
export const creditOf = (db: Db, regionId: string, stallId: string, traderId: string) =>
  repo.stallCredit(db, regionId, stallId, traderId);

export async function listMarketStalls(deps: Deps, principal: Principal, marketId: string) {
  const market = await repo.findMarket(deps.knex, marketId);
  if (!market) throw notFound('market');
  assertReadMarket(principal, market.region_id, market.id);
  const date = businessDate(deps.clock.now(), market.time_zone);
  const rows = await repo.marketStalls(deps.knex, market.region_id, market.id, date);
  return {
    marketId: market.id,
    businessDate: date,
    stalls: rows.map((s) => ({
      stallId: s.id,
      code: s.code,
      kind: s.kind,
      areaM2: s.area_m2,
      block: s.block,
      status: s.status,
      occupant: s.trader_id ? { traderId: s.trader_id, name: s.trader_name } : null,
      // today: not-assessed (closed, vacant, exempt, no tariff), unpaid, partly-paid or paid
      today: todayStatus(s.today_amount, s.today_open),
      outstanding: formatMoney(s.outstanding),
      penalty: formatMoney(s.penalty),
      openDays: Number(s.open_days),
      credit: formatMoney(s.credit),
    })),
  };
}

function todayStatus(amount: string | null, open: string | null) {
  if (amount === null || open === null) return { status: 'not-assessed' as const };
  const o = new Decimal(open);
  const status = o.isZero() ? 'paid' : o.eq(amount) ? 'unpaid' : 'partly-paid';
  return { status, amount: formatMoney(amount), open: formatMoney(open) };
}

/** What the stall's current occupant owes: principal and penalty in the order a payment settles
 * them (the region's allocation order), and their advance. */
export async function stallOutstanding(deps: Deps, principal: Principal, stallId: string) {
  const stall = await repo.findStall(deps.knex, stallId);
  if (!stall) throw notFound('stall');
  assertReadMarket(principal, stall.region_id, stall.market_id);
  const date = businessDate(deps.clock.now(), stall.time_zone);
  const who = await repo.occupant(deps.knex, stall.region_id, stall.id, date);
  if (!who)
    return {
      stallId,
      businessDate: date,
      traderId: null,
      open: [],
      principal: '0.00',
      penalty: '0.00',
      total: '0.00',
      credit: '0.00',
    };
  const owed = await owedOn(deps.knex, stall.region_id, stall.id, who.trader_id);
  return {
    stallId,
    businessDate: date,
    traderId: who.trader_id,
    traderName: who.name,
    open: owed.items.map((i) => ({
      kind: i.kind,
      assessmentId: i.assessmentId,
      businessDate: i.businessDate,
      ...(i.monthNo === null ? {} : { monthNo: i.monthNo }),
      amount: i.amount,
      paid: i.paid,
      due: i.due,
    })),
    principal: owed.principal,
    penalty: owed.penalty,
    total: owed.total,
    credit: owed.credit,
  };
}
