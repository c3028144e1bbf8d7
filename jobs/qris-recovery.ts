// The recovery of lost QRIS notifications: each region's pending codes of SNAP acquirers that are
// some minutes old (QRIS_QUERY_AFTER_MINUTES) or near expiry are asked about (qr-mpm-query); a
// paid one is posted once, through the same path as a notification. The same through the CLI and
// the schedule (every two minutes, one instance per region and slot).
import type { Deps } from '../api/core/deps';
import { recoverRegion } from '../api/qris/snap-query.service';
import { regionsToRun } from './regions';

export interface QrisRecoveryArgs {
  region?: string;
}

export interface QrisRecoveryResult {
  region: string;
  asked: number;
  recovered: number;
  failed: number;
}

export async function qrisRecoveryJob(deps: Deps, args: QrisRecoveryArgs): Promise<QrisRecoveryResult[]> {
  const out: QrisRecoveryResult[] = [];
  for (const r of await regionsToRun(deps, args.region))
    out.push({ region: r.code, ...(await recoverRegion(deps, r.id)) });
  return out;
}
