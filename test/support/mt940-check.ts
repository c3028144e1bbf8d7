// Does each statement of an MT940 text balance (opening + credits - debits = closing)? Read with
// the reconciliation importer itself, with its own balance check off so the answer is ours to assert.
import Decimal from 'decimal.js';
import { parseMt940 } from '../../api/reconcile/importers/mt940';

export function mt940Balances(text: string) {
  return parseMt940(text, { checkBalances: false }).map((s) => {
    const moved = s.entries.reduce(
      (sum, e) => (e.direction === 'credit' ? sum.plus(e.amount) : sum.minus(e.amount)),
      new Decimal(0),
    );
    const opening = new Decimal(s.openingBalance?.amount ?? 0);
    const closing = new Decimal(s.closingBalance?.amount ?? 0);
    return { opening, closing, entries: s.entries, balances: opening.plus(moved).eq(closing) };
  });
}
