// Before the first collector sets out: the admin's view of the regions, stalls imported if the
// run asks for scale, the day's fees assessed, and the terminals that will walk.
import type { ApiClient } from '../http';
import type { ResolvedOptions } from '../options';
import { adminToken, assess, loadRegions, refuseFutureDate, type RegionInfo } from './world';
import { marketStalls, provisionStalls } from './provision';
import { allocate, prepareRegionTerminals, type TerminalInfo } from './terminals';
import { routeFor } from '../collector/route';
import { connectSnapBanks, useSimpleHmac, type SnapBank } from './snap-setup';

export interface DaySetup {
  regions: RegionInfo[];
  terminals: TerminalInfo[];
  /** Assessments created, per region */
  assessed: Record<string, number>;
  provisioned: number;
  /** Stalls the terminals will visit, for the progress bar */
  routeStalls: number;
  /** --qris-protocol snap: each region's SNAP bank, running (runSim closes them) */
  snapBanks: Map<string, SnapBank>;
}

export async function setUpDay(api: ApiClient, opts: ResolvedOptions): Promise<DaySetup> {
  const started = Date.now();
  const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const token = await adminToken(api);
  const regions = await loadRegions(api, token, opts.region);
  refuseFutureDate(regions, opts.date, Date.now());
  if (opts.qrisProtocol !== 'snap') await useSimpleHmac(api, token, regions);
  let provisioned = 0;
  if (opts.provisionStalls) {
    provisioned = await provisionStalls(api, token, regions, opts.provisionStalls, opts.date, opts.seed);
    opts.log(`provisioned ${provisioned} stalls with traders (CSV import) [${took()}]`);
  }
  const assessed = await assess(api, token, regions, opts.date, opts.backfillDays);
  opts.log(
    `assessed ${opts.date}${opts.backfillDays ? ` and ${opts.backfillDays} day(s) before` : ''}: ${Object.entries(
      assessed,
    )
      .map(([r, n]) => `${r} ${n} new`)
      .join(', ')} [${took()}]`,
  );
  const markets = regions.flatMap((r) => r.markets);
  const lists = new Map(
    await Promise.all(markets.map(async (m) => [m.id, await marketStalls(api, token, m.id)] as const)),
  );
  const occupied = (id: string) => lists.get(id)!.filter((s) => s.occupant !== null && s.status === 'active').length;
  const counts = allocate(
    markets.map((m) => ({ id: m.id, weight: occupied(m.id) })),
    opts.terminals,
  );
  const terminals: TerminalInfo[] = [];
  for (const r of regions) terminals.push(...(await prepareRegionTerminals(api, token, r, counts)));
  const routeStalls = terminals.reduce(
    (acc, t) => acc + routeFor(lists.get(t.market.id)!, t.shareIndex, t.shareCount, opts.stallsPerTerminal).length,
    0,
  );
  opts.log(
    `${terminals.length} terminals: ${markets
      .filter((m) => counts.get(m.id))
      .map((m) => `${m.regionCode}/${m.code} ${counts.get(m.id)}`)
      .join(', ')} [${took()}]`,
  );
  // Last, so that nothing above can fail with a bank's server left running.
  const snapBanks = opts.qrisProtocol === 'snap' ? await connectSnapBanks(api, token, regions) : new Map();
  if (snapBanks.size) opts.log(`SNAP banks for ${[...snapBanks.keys()].join(', ')} registered [${took()}]`);
  return { regions, terminals, assessed, provisioned, routeStalls, snapBanks };
}
