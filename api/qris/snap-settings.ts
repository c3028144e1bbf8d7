// What a QRIS acquirer that speaks SNAP needs to be called: its settings and secrets through the
// acquirers service, and the call's timeouts and retries from the config.
import type { Deps } from '../core/deps';
import { snapSettingsOf } from '../acquirers/acquirers.service';
import type { SnapCallOptions, SnapAcquirer } from './snap-client';

/** The acquirer as a SNAP client sees it, or undefined when it speaks today's simple-hmac. */
export const snapAcquirerOf = (deps: Deps, acquirerId: string): Promise<SnapAcquirer | undefined> =>
  snapSettingsOf(deps.knex, acquirerId);

export const snapCallOptions = (deps: Deps): SnapCallOptions => ({
  now: () => deps.clock.now(),
  timeoutMs: deps.config.SNAP_HTTP_TIMEOUT_MS,
  retries: deps.config.SNAP_HTTP_RETRIES,
});
