// The public stall page a trader (or anyone) opens by scanning the sticker on the stall: what the
// stall's current occupant owes today and from earlier days, and the last payments. It names
// nobody: no trader name, NIK, phone, card number or receipt link (a receipt names its trader).
// Found by the sticker's random code, never by the stall's id or code.
import type { Deps } from '../core/deps';
import { Decimal } from '../core/money';
import { businessDate } from '../core/time';
import { creditOf, occupantOn, openAssessmentsOf } from '../collection/collection.service';
import { waktuLokal } from '../../reports/format';
import * as repo from './pages.repository';

export interface PublicStall {
  code: string;
  market: string;
  region: string;
  asOfLabel: string;
  today: string;
  occupied: boolean;
  todayDue: { amount: string; open: string } | null;
  arrears: { principal: string; days: number; penalty: string };
  total: string;
  credit: string;
  payments: { at: string; amount: string; channel: string; voided: boolean }[];
}

export async function publicStall(deps: Deps, publicCode: string): Promise<PublicStall | undefined> {
  const stall = await repo.stallByPublicCode(deps.knex, publicCode);
  if (!stall) return undefined;
  const where = await repo.marketPlace(deps.knex, stall.market_id);
  const now = deps.clock.now();
  const today = businessDate(now, where.time_zone);
  const base = {
    code: stall.code,
    market: where.market,
    region: where.region,
    asOfLabel: waktuLokal(now, where.time_zone),
    today,
  };
  const who = await occupantOn(deps.knex, stall.region_id, stall.id, today);
  if (!who) {
    return {
      ...base,
      occupied: false,
      todayDue: null,
      arrears: { principal: '0.00', days: 0, penalty: '0.00' },
      total: '0.00',
      credit: '0.00',
      payments: [],
    };
  }
  // What the current occupant owes on this stall: a previous occupant's debts stay theirs.
  const [open, credit, penalty, payments] = await Promise.all([
    openAssessmentsOf(deps.knex, stall.region_id, stall.id, who.trader_id),
    creditOf(deps.knex, stall.region_id, stall.id, who.trader_id),
    repo.penaltyCharged(deps.knex, stall.region_id, stall.id, who.trader_id, today),
    repo.stallPayments(deps.knex, stall.region_id, stall.id, 5, who.trader_id),
  ]);
  const todayRow = open.find((a: { business_date: string }) => a.business_date === today);
  const todayAssessment = todayRow ?? (await repo.assessmentOn(deps.knex, stall.region_id, stall.id, today));
  const earlier = open.filter((a: { business_date: string }) => a.business_date < today);
  const principal = earlier.reduce(
    (acc: Decimal, a: { open_amount: string }) => acc.plus(a.open_amount),
    new Decimal(0),
  );
  const todayOpen = new Decimal(todayRow?.open_amount ?? 0);
  return {
    ...base,
    occupied: true,
    todayDue: todayAssessment
      ? { amount: new Decimal(todayAssessment.amount).toFixed(2), open: todayOpen.toFixed(2) }
      : null,
    arrears: { principal: principal.toFixed(2), days: earlier.length, penalty: new Decimal(penalty).toFixed(2) },
    total: principal.plus(penalty).plus(todayOpen).toFixed(2),
    credit: new Decimal(credit).toFixed(2),
    payments: payments.map((p) => ({
      at: waktuLokal(new Date(p.paid_at), where.time_zone),
      amount: p.amount,
      channel: p.channel,
      voided: p.voided,
    })),
  };
}
