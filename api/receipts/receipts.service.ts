// Public verification of an e-karcis: anyone holding the code can check it is genuine.
// It shows what the trader and a market inspector need, and masks the rest.
import type { Deps } from '../core/deps';
import { notFound } from '../core/errors';
import { formatMoney } from '../core/money';
import { isReceiptCode } from './receipt-code';
import { localTimeLabel } from '../core/time';

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
  const row = await deps
    .knex('receipts as rc')
    .join('payments as p', function () {
      this.on('p.region_id', 'rc.region_id').andOn('p.id', 'rc.payment_id');
    })
    .join('regions as r', 'r.id', 'rc.region_id')
    .join('markets as m', function () {
      this.on('m.region_id', 'p.region_id').andOn('m.id', 'p.market_id');
    })
    .join('stalls as s', function () {
      this.on('s.region_id', 'p.region_id').andOn('s.id', 'p.stall_id');
    })
    .join('traders as t', function () {
      this.on('t.region_id', 'p.region_id').andOn('t.id', 'p.trader_id');
    })
    .where('rc.code', normalized)
    .first(
      'rc.code',
      'rc.serial',
      'rc.terminal_id',
      'rc.issued_at',
      'p.id as payment_id',
      'p.region_id',
      'p.paid_at',
      'p.business_date',
      'p.channel',
      'p.amount',
      'p.credit_amount',
      'p.masked_pan',
      'p.rrn',
      'p.journal_entry_id',
      'r.name as region',
      'r.time_zone',
      'm.name as market',
      's.code as stall_code',
      't.name as trader',
    );
  if (!row) throw notFound('receipt');
  const days = await deps
    .knex('allocations as al')
    .join('assessments as a', function () {
      this.on('a.region_id', 'al.region_id').andOn('a.id', 'al.assessment_id');
    })
    .where({ 'al.region_id': row.region_id, 'al.payment_id': row.payment_id })
    .where('al.amount', '>', 0)
    .orderBy('a.business_date')
    .select('a.business_date', 'al.amount');
  const reversed = await deps
    .knex('journal_entries')
    .where({ region_id: row.region_id, reverses_entry_id: row.journal_entry_id })
    .first('id');
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
