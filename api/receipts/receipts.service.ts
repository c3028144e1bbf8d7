// Public verification of an e-karcis: anyone holding the code can check it is genuine.
// It shows what the trader and a market inspector need, and masks the rest.
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { formatMoney } from '../core/money';
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
  businessDate: string;
  channel: string;
  amount: string;
  region: string;
  market: string;
  stallCode: string;
  trader: string;
  maskedPan: string | null;
  rrn: string | null;
  days: { businessDate: string; amount: string }[];
  credit: string;
}

/** "Siti Aminah" -> "S*** A*****": enough to recognise, not enough to harvest names. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0] + '*'.repeat(Math.max(w.length - 1, 1)))
    .join(' ');
}

export async function verifyReceipt(deps: Deps, code: string): Promise<ReceiptView> {
  const normalized = code.trim().toUpperCase();
  if (!isReceiptCode(normalized)) throw notFound('receipt');
  const row = await repo.findReceipt(deps.knex, normalized);
  if (!row) throw notFound('receipt');
  const days = await repo.settledDays(deps.knex, row.region_id, row.payment_id);
  const reversed = await repo.isReversed(deps.knex, row.region_id, row.journal_entry_id);
  return {
    genuine: true,
    status: reversed ? 'voided' : 'valid',
    code: row.code,
    serial: String(row.serial),
    terminalId: row.terminal_id,
    issuedAt: row.issued_at.toISOString(),
    paidAt: row.paid_at.toISOString(),
    paidAtLocal: localTimeLabel(row.paid_at, row.time_zone),
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
    credit: formatMoney(row.credit_amount),
  };
}
