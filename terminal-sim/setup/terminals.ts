// Which collector terminals walk today: the demo's own where there are enough, and terminals the
// simulator registers through the master-data API where --terminals asks for more. Registered
// ones are named SIM-<region>-<market>-<nnn> and share one secret, so a later run finds and
// reuses them instead of registering more.
import { DEMO_CREDENTIALS } from '../../db/seed/credentials';
import type { ApiClient } from '../http';
import { Limiter } from '../day';
import type { MarketInfo, RegionInfo } from './world';

/** Public, like every demo secret: the simulator's terminals exist only in demo databases. */
export const SIM_TERMINAL_SECRET = 'sim-terminal-secret-2026';
/** RRNs carry a terminal's place in its region in three digits. */
const MAX_TERMINALS_PER_REGION = 999;
const REGISTRATIONS_AT_ONCE = 4;

export interface TerminalInfo {
  id: string;
  secret: string;
  tid: string;
  mid: string;
  region: RegionInfo;
  market: MarketInfo;
  /** Its place among the region's terminals in this run, 0-based */
  ordinal: number;
  /** Which share of the market's stalls it walks, of how many */
  shareIndex: number;
  shareCount: number;
}

interface TerminalRow {
  id: string;
  tid: string;
  mid: string;
  active: boolean;
}

/**
 * Spreads n terminals over markets by weight (stalls with a trader): every market gets one when
 * there are enough, the rest by largest remainder. With fewer terminals than markets the biggest
 * markets get one each.
 */
export function allocate(markets: { id: string; weight: number }[], n: number): Map<string, number> {
  const sorted = [...markets].sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
  const counts = new Map(sorted.map((m) => [m.id, 0]));
  if (n < sorted.length) {
    sorted.slice(0, n).forEach((m) => counts.set(m.id, 1));
    return counts;
  }
  const rest = n - sorted.length;
  const total = sorted.reduce((acc, m) => acc + m.weight, 0) || 1;
  const quotas = sorted.map((m) => ({ id: m.id, q: (rest * m.weight) / total }));
  quotas.forEach((m) => counts.set(m.id, 1 + Math.floor(m.q)));
  let left = n - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const m of [...quotas].sort((a, b) => b.q - Math.floor(b.q) - (a.q - Math.floor(a.q)))) {
    if (left-- <= 0) break;
    counts.set(m.id, counts.get(m.id)! + 1);
  }
  return counts;
}

function knownSecret(id: string): string | undefined {
  if (id.startsWith('SIM-')) return SIM_TERMINAL_SECRET;
  return DEMO_CREDENTIALS.terminals.find((t) => t.terminalId === id)?.secret;
}

/** The terminals of one region, registering what is missing; counts are per market id. */
export async function prepareRegionTerminals(
  api: ApiClient,
  token: string,
  region: RegionInfo,
  counts: Map<string, number>,
): Promise<TerminalInfo[]> {
  const listed = await Promise.all(
    region.markets.map((m) =>
      api.expect<{ items: TerminalRow[] }>(200, 'GET', `/api/v1/markets/${m.id}/terminals`, { token }),
    ),
  );
  const all = listed.flatMap((l) => l.items);
  const tids = new Set(all.map((t) => t.tid));
  const mid = commonMid(all, region);
  const chosen: Omit<TerminalInfo, 'ordinal'>[] = [];
  const toRegister: { market: MarketInfo; row: TerminalRow }[] = [];
  for (const [i, market] of region.markets.entries()) {
    const want = counts.get(market.id) ?? 0;
    const usable = listed[i].items
      .filter((t) => t.active && knownSecret(t.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, want);
    const ids = new Set(listed[i].items.map((t) => t.id));
    const rows = [...usable];
    for (let n = 1; rows.length < want; n++) {
      const id = `SIM-${region.code}-${market.code}-${String(n).padStart(3, '0')}`.slice(0, 32);
      if (ids.has(id)) continue;
      const row = newTerminal(i, id, mid, tids);
      toRegister.push({ market, row });
      rows.push(row);
    }
    rows.forEach((t, k) =>
      chosen.push({
        id: t.id,
        secret: knownSecret(t.id)!,
        tid: t.tid,
        mid: t.mid,
        region,
        market,
        shareIndex: k,
        shareCount: rows.length,
      }),
    );
  }
  if (chosen.length > MAX_TERMINALS_PER_REGION)
    throw new Error(`at most ${MAX_TERMINALS_PER_REGION} terminals per region`);
  // The API hashes each secret (scrypt, slow on purpose): a few at once, not hundreds.
  const limiter = new Limiter(REGISTRATIONS_AT_ONCE);
  await Promise.all(
    toRegister.map(({ market, row }) =>
      limiter.run(() =>
        api.expect(201, 'POST', `/api/v1/markets/${market.id}/terminals`, {
          token,
          json: { id: row.id, acquirerId: region.card.id, tid: row.tid, mid: row.mid, secret: SIM_TERMINAL_SECRET },
        }),
      ),
    ),
  );
  return chosen.sort((a, b) => a.id.localeCompare(b.id)).map((t, ordinal) => ({ ...t, ordinal }));
}

/** The region's merchant id, as printed on its EDCs: one MID per region in the demo. */
function commonMid(rows: TerminalRow[], region: RegionInfo): string {
  const tally = new Map<string, number>();
  for (const t of rows) tally.set(t.mid, (tally.get(t.mid) ?? 0) + 1);
  const best = [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? `0009${Buffer.from(region.code).toString('hex')}`.padEnd(15, '0').slice(0, 15);
}

/** A new EDC: TID 9 + the market's two-digit place + a five-digit number, skipping used ones.
 * Decided here, in order, so the same run gives the same TIDs however the registrations interleave. */
function newTerminal(marketIndex: number, id: string, mid: string, tids: Set<string>): TerminalRow {
  let n = Number(id.slice(-3));
  let tid = '';
  do tid = `9${String(marketIndex).padStart(2, '0')}${String(n++).padStart(5, '0')}`;
  while (tids.has(tid));
  tids.add(tid);
  return { id, tid, mid, active: true };
}
