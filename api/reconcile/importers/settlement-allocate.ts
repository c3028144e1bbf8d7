// Spreading a fee a bank charged on a group of transactions over those transactions, so each line
// can carry its share while the shares still add up to exactly what the bank charged.
import Decimal from 'decimal.js';

/** Wide enough that amount x amount never rounds (two 18-digit numbers multiply to 36 digits). */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN });

/**
 * Largest-remainder split of total in proportion to weights, in units of total's own last decimal
 * (whole rupiah when the bank wrote whole rupiah). Ties go to the earlier line, so the same input
 * always gives the same split. The parts always sum to total.
 */
export function allocate(total: Decimal, weights: Decimal[]): Decimal[] {
  if (weights.length === 0) return [];
  const unit = new Exact(1).div(new Exact(10).pow(total.decimalPlaces()));
  const units = new Exact(total.abs().toFixed()).div(unit);
  const sizes = weights.map((w) => new Exact(w.abs().toFixed()));
  const whole = sizes.reduce((a, b) => a.plus(b), new Exact(0));
  if (whole.isZero()) return weights.map((_, i) => (i === 0 ? total : new Decimal(0)));
  const exact = sizes.map((s) => units.times(s).div(whole));
  const floors = exact.map((e) => e.floor());
  let left = units.minus(floors.reduce((a, b) => a.plus(b), new Exact(0))).toNumber();
  const order = exact
    .map((e, i) => ({ i, rest: e.minus(floors[i]) }))
    .sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i].plus(1);
    left -= 1;
  }
  const sign = total.isNegative() ? -1 : 1;
  return floors.map((f) => new Decimal(f.times(unit).times(sign).toFixed()));
}
