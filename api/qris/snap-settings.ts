// What a QRIS acquirer that speaks SNAP needs to be called: its settings and secrets through the
// acquirers service, and the call's timeouts and retries from the config.
import type { Deps } from '../core/deps';
import { snapSettingsOf } from '../acquirers/acquirers.service';
import type { SnapCallOptions, SnapAcquirer } from './snap-client';
import { archiveSnapAnswer } from './qris.repository';

/** The acquirer as a SNAP client sees it, or undefined when it speaks today's simple-hmac. */
export const snapAcquirerOf = (deps: Deps, acquirerId: string): Promise<SnapAcquirer | undefined> =>
  snapSettingsOf(deps.knex, acquirerId);

/** Answers are archived on their own connection, outside the caller's transaction: a refused code
 * rolls the intent back, and its evidence must stay. */
export const snapCallOptions = (deps: Deps, a: SnapAcquirer): SnapCallOptions => ({
  now: () => deps.clock.now(),
  timeoutMs: deps.config.SNAP_HTTP_TIMEOUT_MS,
  retries: deps.config.SNAP_HTTP_RETRIES,
  archive: (service, answer) =>
    archiveSnapAnswer(deps.knex, {
      regionId: a.regionId,
      acquirerId: a.acquirerId,
      service,
      externalId: answer.externalId,
      httpStatus: answer.httpStatus,
      responseCode: answer.responseCode || null,
      rawBody: Buffer.from(answer.raw, 'utf8'),
    }),
});
