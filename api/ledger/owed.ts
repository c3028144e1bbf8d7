// One story of what a trader owes on a stall: principal (the days' assessments) and penalty
// (sanksi bunga charged on them), in the order the region's payments settle them
// (regions.allocation_order). The outstanding endpoint, the terminal's stall list, the QRIS
// amount, the receipt and the public stall page all read this, and a payment or credit allocates
// along the same list inside the database (ledger_open_items).
import type { Db } from '../../db/knex';
import { Decimal, formatMoney } from '../core/money';
import { creditBalance, openItems } from './owed.sql';

export interface OwedItem {
  /** principal: the day's fee; penalty: the interest of month `monthNo` on that day's fee */
  kind: 'principal' | 'penalty';
  assessmentId: string;
  businessDate: string;
  monthNo: number | null;
  amount: string;
  paid: string;
  due: string;
}

export interface Owed {
  /** oldest first, in the order a payment settles them */
  items: OwedItem[];
  principal: string;
  penalty: string;
  total: string;
  /** the trader's advance (titipan) on the stall */
  credit: string;
}

export async function owedOn(db: Db, regionId: string, stallId: string, traderId: string): Promise<Owed> {
  const [rows, credit] = await Promise.all([
    openItems(db, regionId, stallId, traderId),
    creditBalance(db, regionId, stallId, traderId),
  ]);
  let principal = new Decimal(0);
  let penalty = new Decimal(0);
  const items = rows.map((r): OwedItem => {
    if (r.kind === 'principal') principal = principal.plus(r.open_amount);
    else penalty = penalty.plus(r.open_amount);
    return {
      kind: r.kind,
      assessmentId: r.assessment_id,
      businessDate: r.business_date,
      monthNo: r.month_no === null ? null : Number(r.month_no),
      amount: formatMoney(r.amount),
      paid: formatMoney(new Decimal(r.amount).minus(r.open_amount)),
      due: formatMoney(r.open_amount),
    };
  });
  return {
    items,
    principal: formatMoney(principal),
    penalty: formatMoney(penalty),
    total: formatMoney(principal.plus(penalty)),
    credit: formatMoney(credit),
  };
}
