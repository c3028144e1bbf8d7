// Seeded randomness for the simulator. Every choice that can land in a bank file (who pays, how,
// RRNs, STANs, approval codes, masked PANs, times) comes from a stream named by the seed and a
// label, never from Math.random: terminals run concurrently, so each has its own streams and the
// order in which their requests interleave cannot change what any of them draws.
import { chance, digits, int, pick, rngFor, type Rng } from '../db/seed/prng';

export { chance, digits, int, pick, type Rng };

/** A stream of its own for one actor of one run, e.g. streamFor(7, 'terminal', 'MGL-RJW-01'). */
export function streamFor(seed: number, ...labels: string[]): Rng {
  return rngFor(['sim', String(seed), ...labels].join('/'));
}

/** A uniform number in [min, max). */
export function between(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** Picks by weight: weighted(rng, [['a', 3], ['b', 1]]) is 'a' three times in four. */
export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((acc, [, w]) => acc + w, 0);
  let r = rng() * total;
  for (const [item, w] of items) {
    if (r < w) return item;
    r -= w;
  }
  return items[items.length - 1][0];
}
