// What a market's pages show, gathered from the API's own services (so the numbers are the
// API's) plus the few reads only a page needs. Scope is the caller's: marketFor has checked it.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { forbidden, notFound } from '../core/errors';
import { Decimal } from '../core/money';
import { listMarketStalls, stallOutstanding } from '../collection/collection.service';
import { arrearsRows, addTo, emptySums, type ArrearsRow, type ArrearsSums } from '../arrears/arrears.service';
import { letterStatuses, listLetters } from '../letters/letters.service';
import { stickerSheet } from '../../reports/stickers';
import * as repo from './pages.repository';
import { marketFor, type MarketScope } from './scope';

export type TodayStatus = 'paid' | 'partly-paid' | 'unpaid' | 'not-assessed';
export const TODAY_FILTERS = {
  belum: 'unpaid',
  sebagian: 'partly-paid',
  lunas: 'paid',
  'tidak-ditagih': 'not-assessed',
} as const;
export type TodayFilter = keyof typeof TODAY_FILTERS;

export interface TodayStall {
  stallId: string;
  code: string;
  kind: string;
  block: string;
  occupant: string | null;
  status: TodayStatus;
  amount: string | null;
  open: string | null;
  outstanding: string;
}

export interface BlockSummary {
  block: string;
  stalls: number;
  counts: Record<TodayStatus, number>;
  assessed: Decimal;
  open: Decimal;
}

export const NO_BLOCK = '(tanpa blok)';

function summarise(stalls: TodayStall[]): BlockSummary[] {
  const byBlock = new Map<string, BlockSummary>();
  for (const s of stalls) {
    let b = byBlock.get(s.block);
    if (!b)
      byBlock.set(
        s.block,
        (b = {
          block: s.block,
          stalls: 0,
          counts: { paid: 0, 'partly-paid': 0, unpaid: 0, 'not-assessed': 0 },
          assessed: new Decimal(0),
          open: new Decimal(0),
        }),
      );
    b.stalls++;
    b.counts[s.status]++;
    if (s.amount) b.assessed = b.assessed.plus(s.amount);
    if (s.open) b.open = b.open.plus(s.open);
  }
  return [...byBlock.values()];
}

/** Today in a market: every stall's status by block, and what came in so far by channel. */
export async function marketToday(
  deps: Deps,
  p: Principal,
  m: MarketScope,
  filter: { status?: TodayFilter; block?: string },
) {
  const list = await listMarketStalls(deps, p, m.id);
  const stalls: TodayStall[] = list.stalls.map((s) => ({
    stallId: s.stallId,
    code: s.code,
    kind: s.kind,
    block: s.block ?? NO_BLOCK,
    occupant: s.occupant?.name ?? null,
    status: s.today.status as TodayStatus,
    amount: ('amount' in s.today && s.today.amount) || null,
    open: ('open' in s.today && s.today.open) || null,
    outstanding: s.outstanding,
  }));
  const takings = await repo.takingsByChannel(deps.knex, m.regionId, m.id, list.businessDate);
  const wanted = filter.status ? TODAY_FILTERS[filter.status] : undefined;
  return {
    businessDate: list.businessDate,
    blocks: summarise(stalls),
    totals: summarise(stalls.map((s) => ({ ...s, block: '' })))[0],
    shown: stalls.filter((s) => (!wanted || s.status === wanted) && (!filter.block || s.block === filter.block)),
    takings,
    collected: takings.reduce((acc, t) => acc.plus(t.amount), new Decimal(0)),
  };
}

export const BUCKETS = {
  '1-30': 'bucket1to30',
  '31-60': 'bucket31to60',
  '61-90': 'bucket61to90',
  '90+': 'bucketOver90',
} as const;
export type Bucket = keyof typeof BUCKETS;
const ARREARS_SHOWN = 1000;

/** Arrears of a market as of today, filtered by block and ageing bucket, with the filtered totals. */
export async function marketArrears(deps: Deps, m: MarketScope, filter: { bucket?: Bucket; block?: string }) {
  const rows: ArrearsRow[] = [];
  let sums: ArrearsSums = emptySums();
  // The whole market is walked (in batches, one snapshot) so that the filters and the totals
  // cover every debtor, not one page of them.
  for await (const r of arrearsRows(deps, { regionId: m.regionId, marketId: m.id, asOf: m.today })) {
    if (filter.block && (r.stallBlock ?? NO_BLOCK) !== filter.block) continue;
    if (filter.bucket && !r[BUCKETS[filter.bucket]].gt(0)) continue;
    sums = addTo(sums, r);
    if (rows.length < ARREARS_SHOWN) rows.push(r);
  }
  return { asOf: m.today, rows, sums, truncated: sums.rows > rows.length };
}

export async function marketBlocks(deps: Deps, m: MarketScope): Promise<string[]> {
  return (await repo.stallBlocks(deps.knex, m.regionId, m.id)).map((b) => b ?? NO_BLOCK);
}

/** The sticker sheet of a market: one QR sticker per stall, each opening its public page. */
export async function marketStickers(deps: Deps, m: MarketScope): Promise<Buffer> {
  const stalls = await repo.stickerStalls(deps.knex, m.regionId, m.id);
  return stickerSheet({
    marketName: m.name,
    regionName: m.regionName,
    stalls: stalls.map((s) => ({
      code: s.code,
      block: s.block,
      url: `${deps.config.PUBLIC_BASE_URL}/los/${s.public_code}`,
    })),
  });
}

/** One stall's page: what its occupant owes now, its days, payments and letters. */
export async function stallHistory(deps: Deps, p: Principal, stallId: string) {
  const stall = /^[0-9a-f-]{36}$/i.test(stallId) ? await repo.stallById(deps.knex, stallId) : undefined;
  if (!stall) throw notFound('tempat usaha');
  const market = await marketFor(deps, p, p.role === 'manager' ? undefined : stall.market_id);
  if (!market || market.id !== stall.market_id) throw forbidden('tempat usaha ini di luar wewenang Anda');
  const owed = await stallOutstanding(deps, p, stall.id);
  const [penalty, assessments, payments, letters] = await Promise.all([
    owed.traderId ? repo.penaltyCharged(deps.knex, stall.region_id, stall.id, owed.traderId, market.today) : '0.00',
    repo.stallAssessments(deps.knex, stall.region_id, stall.id, 62),
    repo.stallPayments(deps.knex, stall.region_id, stall.id, 40),
    repo.stallLetters(deps.knex, stall.region_id, stall.id),
  ]);
  // Each letter's status is the whole letter's (what it bills on all its stalls), from the letters service.
  const statuses = await letterStatuses(
    deps,
    stall.region_id,
    letters.map((l) => l.id),
  );
  const withStatus = letters.map((l) => {
    const st = statuses.get(l.id)!;
    return { ...l, status: st.status, outstanding: st.outstanding };
  });
  return { stall, market, owed: { ...owed, penalty }, assessments, payments, letters: withStatus };
}

/** The letters of a market: one printable batch per issue date and kind, and the latest letters. */
export async function marketLetters(deps: Deps, m: MarketScope) {
  const [batches, latest] = await Promise.all([
    repo.letterBatches(deps.knex, m.regionId, m.id, 60),
    listLetters(deps, { regionId: m.regionId, marketId: m.id, limit: 100, offset: 0 }),
  ]);
  return { batches, latest };
}
