// Public verification of an e-karcis: anyone holding the code can check it is genuine.
// It shows what the trader and a market inspector need, and masks the rest: what was paid, how
// and when, what it settled (retribusi per day, sanksi bunga per month of a day, the rest kept as
// titipan), and whether the payment was voided.
import type { Deps } from '../core/deps';
import { Decimal, formatMoney } from '../core/money';
import { isReceiptCode } from './receipt-code';
import { localTimeLabel } from '../core/time';
import * as repo from './receipts.repository';

export interface ReceiptView {
  genuine: true;
  status: 'valid' | 'voided';
  code: string;
  serial: string;
  terminalId: string | null;
  issuedAt: string;
  paidAt: string;
  /** paidAt in the region's local time, as printed for people */
  paidAtLocal: string;
  /** the region's IANA time zone, in which paidAt and voidedAt read */
  timeZone: string;
  businessDate: string;
  channel: string;
  amount: string;
  region: string;
  market: string;
  stallCode: string;
  trader: string;
  maskedPan: string | null;
  rrn: string | null;
  /** retribusi (principal) settled, per day */
  days: { businessDate: string; amount: string }[];
  /** sanksi bunga settled: month monthNo of the penalty on the retribusi of businessDate */
  penalties: { businessDate: string; monthNo: number; amount: string }[];
  /** the parts of amount: principal + penalty + credit */
  principal: string;
  penalty: string;
  credit: string;
  /** when the payment was voided, else null */
  voidedAt: string | null;
}

/** "Siti Aminah" -> "S*** A*****": enough to recognise, not enough to harvest names. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0] + '*'.repeat(Math.max(w.length - 1, 1)))
    .join(' ');
}

/** The receipt with this code (as receiptCodeParams normalizes it), or undefined when none has it. */
export async function findReceiptView(deps: Deps, code: string): Promise<ReceiptView | undefined> {
  if (!isReceiptCode(code)) return undefined;
  const row = await repo.findReceipt(deps.knex, code);
  if (!row) return undefined;
  const [days, penalties] = await Promise.all([
    repo.settledDays(deps.knex, row.region_id, row.payment_id),
    repo.settledPenalties(deps.knex, row.region_id, row.payment_id),
  ]);
  return {
    genuine: true,
    status: row.voided_at ? 'voided' : 'valid',
    code: row.code,
    serial: String(row.serial),
    terminalId: row.terminal_id,
    issuedAt: row.issued_at.toISOString(),
    paidAt: row.paid_at.toISOString(),
    paidAtLocal: localTimeLabel(row.paid_at, row.time_zone),
    timeZone: row.time_zone,
    businessDate: row.business_date,
    channel: row.channel,
    amount: formatMoney(row.amount),
    region: row.region,
    market: row.market,
    stallCode: row.stall_code,
    trader: maskName(row.trader),
    maskedPan: row.masked_pan,
    rrn: row.rrn,
    days: days.map((d) => ({ businessDate: d.business_date, amount: formatMoney(d.amount) })),
    penalties: penalties.map((p) => ({
      businessDate: p.business_date,
      monthNo: Number(p.month_no),
      amount: formatMoney(p.amount),
    })),
    principal: formatMoney(new Decimal(row.allocated_amount).minus(row.penalty_amount)),
    penalty: formatMoney(row.penalty_amount),
    credit: formatMoney(row.credit_amount),
    voidedAt: row.voided_at ? row.voided_at.toISOString() : null,
  };
}
