// What a market's pages show, gathered from the API's own services (so the numbers are the
// API's) plus the few reads only a page needs. Scope is the caller's: marketFor has checked it.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { AppError, forbidden, notFound } from '../core/errors';
import { Decimal } from '../core/money';
import { listMarketStalls, stallOutstanding } from '../collection/collection.service';
import {
  arrearsRows,
  arrearsTotals,
  addTo,
  emptySums,
  type ArrearsRow,
  type ArrearsSums,
} from '../arrears/arrears.service';
import { letterDetail, letterStatuses, listLetters } from '../letters/letters.service';
import { issuePdfBuffer } from '../../reports/document';
import { oneLetterReport } from '../../reports/kinds/letters';
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
/** How the stall list is ordered: by code (as the market numbers them), by block, or who owes most first. */
export const TODAY_SORTS = ['kode', 'blok', 'terutang'] as const;
export type TodaySort = (typeof TODAY_SORTS)[number];
/** Rows a page of a long list shows. */
export const LIST_PAGE = 50;

/** A page of a list: which page it is (clamped to the pages there are) and the rows on it. */
export interface ListPage<T> {
  rows: T[];
  /** rows in the whole (filtered) list */
  count: number;
  page: number;
  pages: number;
}

export function pageOf<T>(all: T[], page: number | undefined): ListPage<T> {
  const pages = Math.max(1, Math.ceil(all.length / LIST_PAGE));
  const at = Math.min(Math.max(1, page ?? 1), pages);
  return { rows: all.slice((at - 1) * LIST_PAGE, at * LIST_PAGE), count: all.length, page: at, pages };
}

/** Stall codes as people read them: A-2 before A-10. */
const byCode = new Intl.Collator('id', { numeric: true, sensitivity: 'base' }).compare;
/** Blocks in order, stalls in no block last. */
const byBlock = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null || a === NO_BLOCK ? 1 : b === null || b === NO_BLOCK ? -1 : byCode(a, b);

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
  filter: { status?: TodayFilter; block?: string; sort?: TodaySort; page?: number },
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
  const [takings, arrears] = await Promise.all([
    repo.takingsByChannel(deps.knex, m.regionId, m.id, list.businessDate),
    // The arrears tile says what the arrears page lists: the same snapshot's totals.
    arrearsTotals(deps, { regionId: m.regionId, marketId: m.id, asOf: m.today }),
  ]);
  const wanted = filter.status ? TODAY_FILTERS[filter.status] : undefined;
  const shown = stalls.filter((s) => (!wanted || s.status === wanted) && (!filter.block || s.block === filter.block));
  if (filter.sort === 'blok') shown.sort((a, b) => byBlock(a.block, b.block) || byCode(a.code, b.code));
  else if (filter.sort === 'terutang')
    shown.sort((a, b) => new Decimal(b.outstanding).cmp(a.outstanding) || byCode(a.code, b.code));
  return {
    businessDate: list.businessDate,
    blocks: summarise(stalls),
    totals: summarise(stalls.map((s) => ({ ...s, block: '' })))[0],
    shown: pageOf(shown, filter.page),
    arrears: { rows: arrears.totals.rows, amount: arrears.totals.principal.plus(arrears.totals.penalty) },
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
/** The arrears list by stall code (the list's own order), by block, who owes most, or who owes longest. */
export const ARREARS_SORTS = ['los', 'blok', 'jumlah', 'umur'] as const;
export type ArrearsSort = (typeof ARREARS_SORTS)[number];

const owedOf = (r: ArrearsRow) => r.principal.plus(r.penalty);
const ARREARS_ORDER: Record<Exclude<ArrearsSort, 'los'>, (a: ArrearsRow, b: ArrearsRow) => number> = {
  blok: (a, b) => byBlock(a.stallBlock, b.stallBlock) || byCode(a.stallCode, b.stallCode),
  jumlah: (a, b) => owedOf(b).cmp(owedOf(a)) || byCode(a.stallCode, b.stallCode),
  // The oldest unpaid day first; a row owing only penalty has none and comes last.
  umur: (a, b) => (b.maxDaysOverdue ?? -1) - (a.maxDaysOverdue ?? -1) || byCode(a.stallCode, b.stallCode),
};

/** Arrears of a market as of today, filtered by block and ageing bucket, with the filtered
 * totals; sorted as asked and one page of it shown. */
export async function marketArrears(
  deps: Deps,
  m: MarketScope,
  filter: { bucket?: Bucket; block?: string; sort?: ArrearsSort; page?: number },
) {
  const rows: ArrearsRow[] = [];
  let sums: ArrearsSums = emptySums();
  // The whole market is walked (in batches, one snapshot) so that the filters, the order and
  // the totals cover every debtor, not one page of them.
  for await (const r of arrearsRows(deps, { regionId: m.regionId, marketId: m.id, asOf: m.today })) {
    if (filter.block && (r.stallBlock ?? NO_BLOCK) !== filter.block) continue;
    if (filter.bucket && !r[BUCKETS[filter.bucket]].gt(0)) continue;
    sums = addTo(sums, r);
    rows.push(r);
  }
  if (filter.sort && filter.sort !== 'los') rows.sort(ARREARS_ORDER[filter.sort]);
  return { asOf: m.today, list: pageOf(rows, filter.page), sums };
}

export async function marketBlocks(deps: Deps, m: MarketScope): Promise<string[]> {
  return (await repo.stallBlocks(deps.knex, m.regionId, m.id)).map((b) => b ?? NO_BLOCK);
}

/** The sticker sheet of a market (or of one block, or one stall by its code): one QR sticker per
 * stall, each opening its public page. */
export async function marketStickers(
  deps: Deps,
  m: MarketScope,
  only: { block?: string; code?: string } = {},
): Promise<{ pdf: Buffer; name: string }> {
  let stalls = await repo.stickerStalls(deps.knex, m.regionId, m.id);
  if (only.block) stalls = stalls.filter((s) => (s.block ?? NO_BLOCK) === only.block);
  if (only.code) stalls = stalls.filter((s) => s.code.toLowerCase() === only.code?.toLowerCase());
  if ((only.block || only.code) && stalls.length === 0) {
    throw new AppError(
      404,
      'not-found',
      only.code
        ? `Tidak ada los berkode ${only.code} di ${m.name}`
        : `Tidak ada los di blok ${only.block} di ${m.name}`,
    );
  }
  const part = only.code ? stalls[0].code : only.block ? `blok-${only.block}` : undefined;
  const pdf = await stickerSheet({
    marketName: m.name,
    regionName: m.regionName,
    part: only.code ? `los ${stalls[0].code}` : only.block ? `blok ${only.block}` : undefined,
    stalls: stalls.map((s) => ({
      code: s.code,
      block: s.block,
      url: `${deps.config.PUBLIC_BASE_URL}/los/${s.public_code}`,
    })),
  });
  const name = ['stiker', m.code, part]
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '_');
  return { pdf, name: `${name}.pdf` };
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

/**
 * One trader's letter as its own issued document (numbered and registered like the day's
 * bundle, verifiable the same way), for a viewer who may read its market.
 */
export async function letterPdf(deps: Deps, p: Principal, letterId: string) {
  const letter = /^[0-9a-f-]{36}$/i.test(letterId) ? await letterDetail(deps, letterId) : undefined;
  if (!letter) throw new AppError(404, 'not-found', 'Surat ini tidak ada');
  const market = await marketFor(deps, p, p.role === 'manager' ? undefined : letter.market.id);
  if (!market || market.id !== letter.market.id) throw forbidden('surat ini di luar wewenang Anda');
  const def = oneLetterReport(letter.kind, letter.id);
  const { doc, bytes } = await issuePdfBuffer(
    deps,
    def,
    { regionId: market.regionId, marketId: market.id, date: letter.issuedOn },
    p.sub,
  );
  const stem = `${letter.kind === 'strd' ? 'strd' : 'surat-teguran'}-${letter.number}`.replace(
    /[^A-Za-z0-9._-]+/g,
    '-',
  );
  return { bytes, number: doc.number, fileName: `${stem}.pdf` };
}
