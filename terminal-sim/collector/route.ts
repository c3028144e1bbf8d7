// A terminal's part of the market and the shape of its day: which stalls it walks, where it has
// no signal, and the (simulated) time at each stall.
import type { ListedStall } from '../setup/provision';
import { int, type Rng } from '../rng';
import { localInstant } from '../clock';

const DAY_START_S = 7 * 3600;
const DAY_END_S = 21 * 3600;
const LAST_SECOND = 86_399;
/** A collector spends about two and a half minutes at a stall. */
const MEAN_GAP_S = 150;
/** A time this close to the real now is taken as now: payments may not be in the future. */
const SAFETY_MS = 60_000;

/** Stalls with a trader, split into contiguous blocks, one per terminal of the market. */
export function routeFor(list: ListedStall[], shareIndex: number, shareCount: number, cap?: number): ListedStall[] {
  const occupied = list.filter((s) => s.occupant !== null && s.status === 'active');
  const from = Math.floor((shareIndex * occupied.length) / shareCount);
  const to = Math.floor(((shareIndex + 1) * occupied.length) / shareCount);
  const share = occupied.slice(from, to);
  return cap === undefined ? share : share.slice(0, cap);
}

/** At most one stretch without signal, 10-25% of the route (at least 3 stalls); `force` always has one. */
export function offlineStretch(rng: Rng, length: number, rate: number, force: boolean): boolean[] {
  const offline = new Array<boolean>(length).fill(false);
  const has = rng() < rate;
  if ((!has && !force) || length === 0) return offline;
  const span = Math.min(length, Math.max(3, Math.round(length * (0.1 + rng() * 0.15))));
  const start = int(rng, 0, length - span);
  offline.fill(true, start, start + span);
  return offline;
}

/** The simulated clock of one terminal: from about 07:00 local, a few minutes per stall, never past
 * the real now (a day simulated while it is still going on) and never past the day's end. */
export class DayClock {
  private seconds: number;
  private readonly meanGap: number;

  constructor(
    private readonly rng: Rng,
    private readonly date: string,
    private readonly timeZone: string,
    stalls: number,
    private readonly nowMs: () => number,
  ) {
    this.seconds = DAY_START_S + int(rng, 0, 1800);
    this.meanGap = Math.max(1, Math.min(MEAN_GAP_S, (DAY_END_S - this.seconds) / Math.max(1, stalls)));
  }

  next(): Date {
    this.seconds = Math.min(
      LAST_SECOND,
      this.seconds + int(this.rng, Math.ceil(this.meanGap * 0.4), Math.ceil(this.meanGap * 1.6)),
    );
    const planned = localInstant(this.date, this.seconds, this.timeZone);
    const midnight = localInstant(this.date, 0, this.timeZone).getTime();
    return new Date(Math.min(planned.getTime(), Math.max(midnight, this.nowMs() - SAFETY_MS)));
  }
}
