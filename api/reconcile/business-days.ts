// Settlement windows count business days: D+1 on a Friday is the Monday. Public holidays are
// not known to the system yet (a region's holiday calendar would go here).
import { isoWeekday } from '../core/time';

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isBusinessDay(date: string): boolean {
  return isoWeekday(date) <= 5;
}

/** The n-th business day after date (n = 0: date itself, or the next business day if it is none). */
export function addBusinessDays(date: string, n: number): string {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) left -= 1;
  }
  return d;
}
