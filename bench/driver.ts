// N concurrent loops for a warmup and then a measured window. An operation counts when it
// completes inside the window; its latency is kept. Loops stop at the end of the window and the
// operations still in flight are awaited (and counted in the totals, not in the window).
import { performance } from 'node:perf_hooks';

export type Outcome = { ok: true } | { ok: false; error: string };

export interface PhaseOptions {
  concurrency: number;
  warmupS: number;
  seconds: number;
  /** Awaited between the warmup and the measured window (the loops keep running meanwhile). */
  afterWarmup?: () => Promise<void>;
  /** Called when the measured window opens and closes (CPU samples). */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface PhaseResult {
  /** Successful operations completed inside the measured window. */
  ok: number;
  /** Failed operations completed inside the measured window. */
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Over the whole phase, warmup and stragglers included. */
  okTotal: number;
  errorsTotal: number;
  firstError?: string;
  windowS: number;
  /** successful operations in each second of the window */
  timeline: number[];
}

export async function drive(
  opts: PhaseOptions,
  op: (loop: number, seq: number) => Promise<Outcome>,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const timeline: number[] = new Array(Math.ceil(opts.seconds)).fill(0);
  let ok = 0,
    errors = 0,
    okTotal = 0,
    errorsTotal = 0;
  let firstError: string | undefined;
  let windowStart = Infinity,
    windowEnd = Infinity,
    stop = false;

  const loop = async (index: number) => {
    for (let seq = 0; !stop; seq++) {
      const t0 = performance.now();
      let outcome: Outcome;
      try {
        outcome = await op(index, seq);
      } catch (err) {
        outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      const t1 = performance.now();
      const inWindow = t1 >= windowStart && t1 <= windowEnd;
      if (outcome.ok) {
        okTotal++;
        if (inWindow) {
          ok++;
          latencies.push(t1 - t0);
          timeline[Math.min(timeline.length - 1, Math.floor((t1 - windowStart) / 1000))]++;
        }
      } else {
        errorsTotal++;
        if (inWindow) errors++;
        firstError ??= outcome.error;
      }
    }
  };

  const loops = Array.from({ length: opts.concurrency }, (_, i) => loop(i));
  await sleep(opts.warmupS * 1000);
  await opts.afterWarmup?.();
  windowStart = performance.now();
  opts.onWindowStart?.();
  await sleep(opts.seconds * 1000);
  windowEnd = performance.now();
  opts.onWindowEnd?.();
  stop = true;
  await Promise.all(loops);

  const windowS = (windowEnd - windowStart) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ok,
    errors,
    perSecond: ok / windowS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    okTotal,
    errorsTotal,
    firstError,
    windowS,
    timeline,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
