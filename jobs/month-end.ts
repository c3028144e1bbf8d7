// Month end (DOMAIN §5.7), once per region and local month, from REPORTS_AT on the 1st (or the
// first tick after it): the month's penalties as of the 1st, every letter due in each market,
// then the month's documents into REPORTS_DIR: the realisation of the month just ended, the
// arrears list as of the 1st, and the STRDs and warnings just issued. Each step is idempotent,
// so a run that failed half-way is simply run again by the next tick.
import type { Deps } from '../api/core/deps';
import { runPenalties } from '../api/arrears/penalties.service';
import { issueLetters } from '../api/letters/letters.service';
import { addDays } from '../api/reconcile/business-days';
import { businessDate, localClock } from '../api/core/time';
import { withClaim } from './claims';
import { activeMarkets } from './jobs.repository';
import { regionsToRun } from './regions';
import { reportJob } from './report';

export async function monthEnd(deps: Deps, region: { id: string; code: string }, firstOfMonth: string) {
  const penalties = await runPenalties(deps, region.id, firstOfMonth);
  const markets = await activeMarkets(deps.knex, region.id);
  const letters: Record<string, { warning: number; strd: number }> = {};
  for (const m of markets) {
    letters[m.code] = (
      await issueLetters(deps, { regionId: region.id, marketId: m.id, asOf: firstOfMonth, issuedBy: 'schedule' })
    ).issued;
  }
  const [realisation] = await reportJob(deps, {
    region: region.code,
    date: addDays(firstOfMonth, -1),
    kinds: ['monthly-realisation'],
  });
  const [documents] = await reportJob(deps, {
    region: region.code,
    date: firstOfMonth,
    kinds: ['arrears', 'strd', 'warning-letters'],
  });
  const written = [...realisation.written, ...documents.written].map((w) => ({
    kind: w.kind,
    number: w.number,
    skipped: w.skipped,
  }));
  return { penalties: { charges: penalties.charges, amount: penalties.amount }, letters, written };
}

export async function monthEndTick(deps: Deps): Promise<void> {
  const regions = await regionsToRun(deps);
  for (const r of regions) {
    const now = deps.clock.now();
    if (localClock(now, r.time_zone) < deps.config.REPORTS_AT) continue;
    const today = businessDate(now, r.time_zone);
    // A 1st missed while every instance was down is caught up within the month's first week; a
    // deployment started mid-month does not issue letters dated weeks back.
    if (Number(today.slice(8, 10)) > 7) continue;
    const month = today.slice(0, 7);
    try {
      const outcome = await withClaim(deps, 'month-end', r.id, month, () => monthEnd(deps, r, `${month}-01`));
      if (outcome.ran)
        deps.logger.info({ job: 'month-end', region: r.code, month, result: outcome.result }, 'month end done');
    } catch (err) {
      deps.logger.error({ err, job: 'month-end', region: r.code, month }, 'month end failed; will retry');
    }
  }
}
