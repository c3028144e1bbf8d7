// Scale: stalls and traders imported through the same CSV endpoints a market office uses
// (POST /markets/:id/stalls/import, then /regions/:id/traders/import?marketId= with each trader's
// stall), until the region(s) hold the number of stalls asked for.
import { BANJAR, JAVA, type NameBook } from '../../db/seed/names';
import type { ApiClient } from '../http';
import { addDays } from '../clock';
import { int, pick, streamFor, weighted, type Rng } from '../rng';
import { allocate } from './terminals';
import type { MarketInfo, RegionInfo } from './world';

/** Rows per upload: each file is one transaction, and the API takes bodies up to 5 MB. */
const ROWS_PER_FILE = 2000;
const CODE_PREFIX = 'SIM-';

/** A stall as the collector's list shows it (GET /markets/:id/stalls). */
export interface ListedStall {
  stallId: string;
  code: string;
  status: string;
  occupant: { traderId: string; name: string } | null;
  outstanding: string;
  openDays: number;
  credit: string;
}

export async function marketStalls(api: ApiClient, token: string, marketId: string): Promise<ListedStall[]> {
  return (await api.expect<{ stalls: ListedStall[] }>(200, 'GET', `/api/v1/markets/${marketId}/stalls`, { token }))
    .stalls;
}

/** Imports stalls with traders until the regions have `target` stalls; returns how many it added. */
export async function provisionStalls(
  api: ApiClient,
  token: string,
  regions: RegionInfo[],
  target: number,
  date: string,
  seed: number,
): Promise<number> {
  const markets = regions.flatMap((r) => r.markets.map((m) => ({ region: r, market: m })));
  const listed = await Promise.all(markets.map(({ market }) => marketStalls(api, token, market.id)));
  const have = listed.reduce((acc, l) => acc + l.length, 0);
  if (have >= target) return 0;
  const shares = allocate(
    markets.map(({ market }, i) => ({ id: market.id, weight: listed[i].length })),
    target - have,
  );
  for (const [i, { region, market }] of markets.entries()) {
    const count = shares.get(market.id) ?? 0;
    if (count === 0) continue;
    const first = nextNumber(listed[i].map((s) => s.code));
    const codes = Array.from({ length: count }, (_, k) => `${CODE_PREFIX}${String(first + k).padStart(5, '0')}`);
    await importMarket(api, token, region, market, codes, addDays(date, -90), streamFor(seed, 'provision', market.id));
  }
  return target - have;
}

function nextNumber(codes: string[]): number {
  const used = codes.filter((c) => c.startsWith(CODE_PREFIX)).map((c) => Number(c.slice(CODE_PREFIX.length)) || 0);
  return used.length ? Math.max(...used) + 1 : 1;
}

async function importMarket(
  api: ApiClient,
  token: string,
  region: RegionInfo,
  market: MarketInfo,
  codes: string[],
  from: string,
  rng: Rng,
) {
  const book = region.code === 'BJR' ? BANJAR : JAVA;
  for (let i = 0; i < codes.length; i += ROWS_PER_FILE) {
    const chunk = codes.slice(i, i + ROWS_PER_FILE);
    const stalls = ['code,kind,area_m2', ...chunk.map((code) => stallRow(rng, code))].join('\n');
    await api.expect(201, 'POST', `/api/v1/markets/${market.id}/stalls/import`, {
      token,
      raw: stalls,
      contentType: 'text/csv',
    });
    const traders = [
      'name,stall_code,effective_from',
      ...chunk.map((code) => `${traderName(rng, book)},${code},${from}`),
    ].join('\n');
    await api.expect(201, 'POST', `/api/v1/regions/${region.id}/traders/import?marketId=${market.id}`, {
      token,
      raw: traders,
      contentType: 'text/csv',
    });
  }
}

/** Kios are closed shops of 6-20 m², los open-hall spaces of 2-6 m²; pelataran pay a flat fee. */
function stallRow(rng: Rng, code: string): string {
  const kind = weighted(rng, [
    ['kios', 3],
    ['los', 4.5],
    ['pelataran', 2.5],
  ] as const);
  const area = kind === 'kios' ? int(rng, 6, 20) : kind === 'los' ? int(rng, 2, 6) : 2;
  return `${code},${kind},${area}`;
}

function traderName(rng: Rng, book: NameBook): string {
  const given = pick(rng, rng() < 0.5 ? book.female : book.male);
  return rng() < book.singleNameShare ? given : `${given} ${pick(rng, book.family)}`;
}
