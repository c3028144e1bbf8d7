// The public stall page a trader (or anyone) opens by scanning the sticker on the stall: what the
// stall's current occupant owes (owedOf: each day's fee and each month of sanksi bunga, in the
// order the region's payments settle them), the credit, the last payments and what each settled,
// and a QRIS code the trader can make there and pay (api/qris/public-intent.service.ts). It names
// nobody: no trader name, NIK, phone, card number or receipt link (a receipt names its trader);
// only the one who made a code sees its receipt, through the code's own unguessable id.
// Found by the sticker's random code, never by the stall's id or code.
import type { Deps } from '../core/deps';
import { Decimal, formatMoney } from '../core/money';
import { businessDate } from '../core/time';
import { occupantOn, owedOf } from '../collection/collection.service';
import {
  createPublicIntent,
  publicIntentState,
  qrisOffered,
  type PublicCodeState,
} from '../qris/public-intent.service';
import type { PublicPart } from '../qris/public-intent.schemas';
import { rupiah, tanggal, waktuLokal } from '../../reports/format';
import * as repo from './pages.repository';

export interface OwedLine {
  kind: 'principal' | 'penalty';
  label: string;
  amount: string;
  /** what is still open of it */
  due: string;
  partlyPaid: boolean;
  today: boolean;
}

export interface SettledLine {
  label: string;
  amount: string;
}

export interface PublicPayment {
  at: string;
  amount: string;
  channel: string;
  voided: boolean;
  /** "retribusi 10 November 2026 s.d. 12 November 2026 (3 hari), sanksi bunga Rp 60" */
  summary: string;
  lines: SettledLine[];
}

/** A code made on the page, as the page shows it: the QR while pending, the receipt once paid. */
export interface CodeView {
  intentId: string;
  statusUrl: string;
  /** the stall's page, to see what is owed after the payment */
  pageUrl: string;
  status: PublicCodeState['status'];
  amount: string;
  expiresLabel: string;
  image?: string;
  receipt?: {
    serial: number;
    code: string;
    url: string;
    amount: string;
    paidAtLabel: string;
    lines: SettledLine[];
  };
}

export interface PublicStall {
  code: string;
  publicCode: string;
  market: string;
  region: string;
  asOfLabel: string;
  today: string;
  occupied: boolean;
  todayDue: { amount: string; open: string } | null;
  arrears: { principal: string; days: number; penalty: string };
  total: string;
  credit: string;
  order: 'oldest-month' | 'penalty-first';
  items: OwedLine[];
  payments: PublicPayment[];
  /** what the page offers to pay by QRIS: everything, and today's fee alone when that is less */
  offer: { total: string; today: string | null } | null;
  /** the code named in ?qris= (the form's answer when the page runs no script) */
  shown?: CodeView;
}

export async function publicStall(
  deps: Deps,
  publicCode: string,
  shownIntentId?: string,
): Promise<PublicStall | undefined> {
  const stall = await repo.stallByPublicCode(deps.knex, publicCode);
  if (!stall) return undefined;
  const where = await repo.marketPlace(deps.knex, stall.market_id);
  const now = deps.clock.now();
  const today = businessDate(now, where.time_zone);
  const shown = shownIntentId ? await codeView(deps, stall, where.time_zone, shownIntentId, true) : undefined;
  const base = {
    code: stall.code,
    publicCode,
    market: where.market,
    region: where.region,
    asOfLabel: waktuLokal(now, where.time_zone),
    today,
    order: where.allocation_order,
    ...(shown ? { shown } : {}),
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
      items: [],
      payments: [],
      offer: null,
    };
  }
  // What the current occupant owes on this stall: a previous occupant's debts stay theirs.
  const [owed, payments, todayAssessment, offered] = await Promise.all([
    owedOf(deps.knex, stall.region_id, stall.id, who.trader_id),
    repo.stallPayments(deps.knex, stall.region_id, stall.id, 5, who.trader_id),
    repo.assessmentOn(deps.knex, stall.region_id, stall.id, today),
    qrisOffered(deps, stall.region_id),
  ]);
  const earlier = owed.items.filter((i) => i.kind === 'principal' && i.businessDate < today);
  const todayItem = owed.items.find((i) => i.kind === 'principal' && i.businessDate === today);
  const todayOpen = new Decimal(todayItem?.due ?? 0);
  const owes = new Decimal(owed.total).gt(0);
  return {
    ...base,
    occupied: true,
    todayDue: todayAssessment ? { amount: formatMoney(todayAssessment.amount), open: formatMoney(todayOpen) } : null,
    arrears: {
      principal: formatMoney(earlier.reduce((acc, i) => acc.plus(i.due), new Decimal(0))),
      days: earlier.length,
      penalty: owed.penalty,
    },
    total: owed.total,
    credit: owed.credit,
    items: owed.items.map((i) => ({
      kind: i.kind,
      label: itemLabel(i.kind, i.businessDate, i.monthNo) + (i.businessDate === today ? ' (hari ini)' : ''),
      amount: i.amount,
      due: i.due,
      partlyPaid: new Decimal(i.paid).gt(0),
      today: i.kind === 'principal' && i.businessDate === today,
    })),
    payments: payments.map((p) => {
      const allocations = p.allocations ?? [];
      return {
        at: waktuLokal(new Date(p.paid_at), where.time_zone),
        amount: p.amount,
        channel: p.channel,
        voided: p.voided,
        summary: settledSummary(allocations, p.credit_amount),
        lines: settledLines(allocations, p.credit_amount),
      };
    }),
    offer:
      owes && offered
        ? { total: owed.total, today: todayOpen.gt(0) && !todayOpen.eq(owed.total) ? formatMoney(todayOpen) : null }
        : null,
  };
}

/** A QRIS code for the stall of this sticker; undefined when the sticker's code is unknown. */
export async function payFromStall(
  deps: Deps,
  publicCode: string,
  part: PublicPart,
  clientIp: string,
): Promise<CodeView | undefined> {
  const stall = await repo.stallByPublicCode(deps.knex, publicCode);
  if (!stall) return undefined;
  const where = await repo.marketPlace(deps.knex, stall.market_id);
  const code = await createPublicIntent(deps, { stallId: stall.id, part, clientIp });
  return {
    intentId: code.intentId,
    statusUrl: statusUrl(publicCode, code.intentId),
    pageUrl: `/los/${publicCode}`,
    status: 'pending',
    amount: code.amount,
    expiresLabel: waktuLokal(code.expiresAt, where.time_zone),
    image: code.image,
  };
}

/** Where a code made on this sticker's page stands; undefined for an unknown sticker or code. */
export async function publicCodeStatus(
  deps: Deps,
  publicCode: string,
  intentId: string,
): Promise<CodeView | undefined> {
  const stall = await repo.stallByPublicCode(deps.knex, publicCode);
  if (!stall) return undefined;
  const where = await repo.marketPlace(deps.knex, stall.market_id);
  return codeView(deps, stall, where.time_zone, intentId, false);
}

async function codeView(
  deps: Deps,
  stall: repo.StallInfo,
  timeZone: string,
  intentId: string,
  withImage: boolean,
): Promise<CodeView | undefined> {
  const s = await publicIntentState(deps, { regionId: stall.region_id, stallId: stall.id, intentId, withImage });
  if (!s) return undefined;
  return {
    intentId,
    statusUrl: statusUrl(stall.public_code, intentId),
    pageUrl: `/los/${stall.public_code}`,
    status: s.status,
    amount: s.amount,
    expiresLabel: waktuLokal(s.expiresAt, timeZone),
    ...(s.image ? { image: s.image } : {}),
    ...(s.payment
      ? {
          receipt: {
            serial: s.payment.receipt.serial,
            code: s.payment.receipt.code,
            url: `/receipts/${s.payment.receipt.code}`,
            amount: s.payment.amount,
            paidAtLabel: waktuLokal(new Date(s.payment.paidAt), timeZone),
            lines: settledLines(s.payment.allocations, s.payment.credit),
          },
        }
      : {}),
  };
}

const statusUrl = (publicCode: string, intentId: string) => `/los/${publicCode}/qris/${intentId}`;

type Allocation = NonNullable<repo.PaymentLine['allocations']>[number];

function itemLabel(kind: 'principal' | 'penalty' | undefined, date: string, monthNo?: number | null): string {
  return kind === 'penalty'
    ? `Sanksi bunga bulan ke-${monthNo ?? '?'} atas retribusi ${tanggal(date)}`
    : `Retribusi ${tanggal(date)}`;
}

/** Each day's fee and each month of interest a payment settled, in the order it did, then its credit. */
export function settledLines(allocations: Allocation[], credit: string): SettledLine[] {
  const lines = allocations.map((a) => ({
    label: itemLabel(a.kind, a.businessDate, a.monthNo),
    amount: formatMoney(a.amount),
  }));
  if (new Decimal(credit).gt(0)) lines.push({ label: 'Titipan (lebih bayar)', amount: formatMoney(credit) });
  return lines;
}

/** One line of what a payment settled: the days (first to last), the interest, the credit. */
function settledSummary(allocations: Allocation[], credit: string): string {
  const days = [...new Set(allocations.filter((a) => a.kind !== 'penalty').map((a) => a.businessDate))].sort();
  const penalty = allocations.filter((a) => a.kind === 'penalty').reduce((s, a) => s.plus(a.amount), new Decimal(0));
  const parts: string[] = [];
  if (days.length === 1) parts.push(`retribusi ${tanggal(days[0])}`);
  else if (days.length > 1)
    parts.push(`retribusi ${tanggal(days[0])} s.d. ${tanggal(days[days.length - 1])} (${days.length} hari)`);
  if (penalty.gt(0)) parts.push(`sanksi bunga ${rupiah(penalty)}`);
  if (new Decimal(credit).gt(0)) parts.push(`titipan ${rupiah(credit)}`);
  return parts.join(', ') || '-';
}
