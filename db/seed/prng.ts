// A seeded pseudo-random generator and name-based ids, so the demo data is the same on every
// machine and every run: the README, the simulator and bug reports can point at the same stall.
import { createHash } from 'node:crypto';

export type Rng = () => number; // uniform in [0, 1)

/** mulberry32: tiny, fast, good enough for demo data (not for anything secret). */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generator per label (e.g. a market code), so adding a market does not reshuffle the others. */
export function rngFor(label: string): Rng {
  const seed = createHash('sha256').update(`e-retribusi-demo:${label}`).digest().readUInt32BE(0);
  return mulberry32(seed);
}

/** An integer in [min, max], both inclusive. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(rng, 0, 9));
  return s;
}

/** A YYYY-MM-DD date uniformly between two dates, inclusive. */
export function dateBetween(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const days = Math.round((b - a) / 86_400_000);
  return addDays(from, int(rng, 0, days));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const NAMESPACE = 'b6f1c1de-0d2a-4c5e-9a57-5e7e1b2e2026';

/** A name-based UUID (version 5 layout): demoId('stall', 'MGL', 'RJW', 'A-001') is the same everywhere. */
export function demoId(...parts: string[]): string {
  const h = createHash('sha1').update(NAMESPACE).update(parts.join('/')).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
