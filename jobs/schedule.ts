// The only file that touches node-cron. Every instance runs this schedule; the claim in
// job_runs decides which instance does each region's work for a period.
import cron from 'node-cron';
import type { Deps } from '../api/core/deps';
import { assessDay } from '../api/assessments/assessment.service';
import { businessDate, localClock } from '../api/core/time';
import { withClaim } from './claims';
import { regionsToRun } from './regions';
import { reconcileRegion } from './reconcile';
import { reportJob } from './report';
import { monthEndTick } from './month-end';
import { addDays } from '../api/reconcile/business-days';
import { recoverRegion } from '../api/qris/snap-query.service';

/** Each region's assessment for its own local "today", as soon as that day begins there. */
export async function assessTick(deps: Deps): Promise<void> {
  const regions = await regionsToRun(deps);
  for (const r of regions) {
    const date = businessDate(deps.clock.now(), r.time_zone);
    try {
      const outcome = await withClaim(deps, 'assess', r.id, date, () => assessDay(deps, r.code, date));
      if (outcome.ran)
        deps.logger.info({ job: 'assess', region: r.code, date, result: outcome.result }, 'assessment done');
    } catch (err) {
      deps.logger.error({ err, job: 'assess', region: r.code, date }, 'assessment failed; will retry');
    }
  }
}

/**
 * Each region's nightly import and reconciliation, once per local day, from RECONCILE_AT local
 * time on. The claim is per local day: the first tick after that time on any instance runs it;
 * a night missed while every instance was down is caught up by the next night's run, which
 * imports every file still new in the inbox and reconciles every date those files touch.
 */
export async function reconcileTick(deps: Deps): Promise<void> {
  const regions = await regionsToRun(deps);
  for (const r of regions) {
    const now = deps.clock.now();
    if (localClock(now, r.time_zone) < deps.config.RECONCILE_AT) continue;
    const date = businessDate(now, r.time_zone);
    try {
      const outcome = await withClaim(deps, 'reconcile', r.id, date, async () => {
        const res = await reconcileRegion(deps, r, {});
        return {
          imported: res.imported.length,
          refused: res.refused,
          dates: res.reconciled.map((s) => ({ date: s.businessDate, status: s.status, open: s.exceptions.open })),
        };
      });
      if (outcome.ran)
        deps.logger.info({ job: 'reconcile', region: r.code, date, result: outcome.result }, 'reconciliation done');
    } catch (err) {
      deps.logger.error({ err, job: 'reconcile', region: r.code, date }, 'reconciliation failed; will retry');
    }
  }
}

/**
 * Each region's reports of its local yesterday (reconciliation, collection per collector), once
 * per local day from REPORTS_AT on, written to REPORTS_DIR. A day not yet reconciled is skipped
 * in the report's place, not retried: the reconciliation report of that day can be fetched later.
 */
export async function reportsTick(deps: Deps): Promise<void> {
  const regions = await regionsToRun(deps);
  for (const r of regions) {
    const now = deps.clock.now();
    if (localClock(now, r.time_zone) < deps.config.REPORTS_AT) continue;
    const yesterday = addDays(businessDate(now, r.time_zone), -1);
    try {
      const outcome = await withClaim(deps, 'daily-reports', r.id, yesterday, async () => {
        const [res] = await reportJob(deps, { region: r.code, date: yesterday });
        return res.written.map((w) => ({ kind: w.kind, number: w.number, skipped: w.skipped }));
      });
      if (outcome.ran)
        deps.logger.info(
          { job: 'daily-reports', region: r.code, date: yesterday, result: outcome.result },
          'daily reports written',
        );
    } catch (err) {
      deps.logger.error(
        { err, job: 'daily-reports', region: r.code, date: yesterday },
        'daily reports failed; will retry',
      );
    }
  }
}

/** The slot a recovery run claims: the UTC time to the minute, floored to RECOVERY_MINUTES. */
const RECOVERY_MINUTES = 2;
export const recoverySlot = (at: Date) =>
  new Date(Math.floor(at.getTime() / (RECOVERY_MINUTES * 60_000)) * RECOVERY_MINUTES * 60_000)
    .toISOString()
    .slice(0, 16);

/**
 * Each region's QRIS recovery (lost SNAP notifications), once per two-minute slot across the
 * cluster. It never rejects: a region that fails is logged and asked again in the next slot.
 */
export async function qrisRecoveryTick(deps: Deps): Promise<void> {
  try {
    const slot = recoverySlot(deps.clock.now());
    for (const r of await regionsToRun(deps)) {
      try {
        const outcome = await withClaim(deps, 'qris-recovery', r.id, slot, () => recoverRegion(deps, r.id));
        if (outcome.ran && outcome.result.asked > 0)
          deps.logger.info({ job: 'qris-recovery', region: r.code, slot, result: outcome.result }, 'QRIS codes asked');
      } catch (err) {
        deps.logger.error(
          { err, job: 'qris-recovery', region: r.code, slot },
          'QRIS recovery failed; next slot retries',
        );
      }
    }
  } catch (err) {
    deps.logger.error({ err, job: 'qris-recovery' }, 'QRIS recovery could not start; next slot retries');
  }
}

/** One tick of every job. It never rejects: a step that fails (the database away, say) is
 * logged, and its work is picked up again by the next tick. */
export async function scheduleTick(deps: Deps): Promise<void> {
  const steps: [string, (d: Deps) => Promise<void>][] = [
    ['assess', assessTick],
    ['reconcile', reconcileTick],
    ['daily-reports', reportsTick],
    ['month-end', monthEndTick],
  ];
  for (const [job, step] of steps) {
    try {
      await step(deps);
    } catch (err) {
      deps.logger.error({ err, job }, 'schedule tick failed; the next tick retries');
    }
  }
}

export function startSchedule(deps: Deps): { stop: () => void } {
  // Every five minutes: a region's new day is picked up within five minutes of local midnight,
  // its reconciliation within five minutes of RECONCILE_AT, and work missed while every
  // instance was down is caught up on the next tick.
  const task = cron.schedule('*/5 * * * *', () => scheduleTick(deps), { name: 'daily-jobs', noOverlap: true });
  void scheduleTick(deps);
  // Lost QRIS notifications are a trader shown "unpaid" at the stall: asked about every two
  // minutes, on a task of its own so that the daily jobs' tick does not hold it up.
  const recovery = cron.schedule(`*/${RECOVERY_MINUTES} * * * *`, () => qrisRecoveryTick(deps), {
    name: 'qris-recovery',
    noOverlap: true,
  });
  return {
    stop: () => {
      void task.stop();
      void recovery.stop();
    },
  };
}
