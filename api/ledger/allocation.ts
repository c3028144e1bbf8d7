// How money settles assessments. One rule everywhere: the oldest open assessment of the
// stall's occupant first; what is left is that trader's credit (advance) on that stall, and
// later assessments of the stall consume that credit, again oldest first.
//
// A payment (card or QRIS) is allocated inside ledger_record_payment (db/migrations/
// 20261123110000_create_qris_and_voids.ts), under the stall's row lock. Credit is applied
// here, set-based, by the daily assessment after it creates the day's assessments.
import type { Db } from '../../db/knex';
import { allocateCredit, lockStalls, stallsWithCredit } from './allocation.sql';

/** Applies each (trader, stall) credit on the given stalls to what they owe (principal and
 * penalty, in the region's order); answers how many assessments and penalty charges it settled.
 * Must run in a transaction; locks the stalls in id order (payments lock one stall). */
export async function applyCredit(
  trx: Db,
  regionId: string,
  stallIds: string[],
  date: string,
): Promise<{ assessments: number; penalties: number }> {
  if (stallIds.length === 0) return { assessments: 0, penalties: 0 };
  const ids = (await stallsWithCredit(trx, regionId, stallIds)).sort();
  if (ids.length === 0) return { assessments: 0, penalties: 0 };
  await lockStalls(trx, regionId, ids);
  return allocateCredit(trx, regionId, ids, date);
}
