// Builds the demo rows in memory from the catalog with a seeded generator: the same rows, with the
// same ids, on every run. Nothing here touches the database (demo.ts inserts the rows).
import Decimal from 'decimal.js';
import {
  DEMO_CLOSURES,
  DEMO_REGIONS,
  type MarketPlan,
  type RegionPlan,
  STALL_KINDS,
  MARKET_CLASSES,
  type StallKind,
} from './catalog';
import { DEMO_CREDENTIALS } from './credentials';
import type { NameBook } from './names';
import { addDays, chance, dateBetween, demoId, digits, int, pick, type Rng, rngFor } from './prng';

type Row = Record<string, unknown>;

export interface DemoRows {
  regions: Row[];
  markets: Row[];
  marketClosures: Row[];
  stalls: Row[];
  traders: Row[];
  tenancies: Row[];
  tariffs: Row[];
  acquirers: Row[];
}

// Areas in m². Kios in one block are mostly built to one size; los are measured per table run.
const AREAS: Record<StallKind, string[]> = {
  kios: ['6', '9', '9', '12', '12', '12', '16', '16', '20', '24'],
  los: ['2', '2.25', '3', '3', '4', '4', '4.5', '6'],
  pelataran: ['1', '1.5', '2', '2', '3', '4'],
};
const BLOCK_SIZE: Record<StallKind, number> = { kios: 50, los: 60, pelataran: 50 };
const BLOCK_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// The ledger starts on the day the regions' new tariffs came into force.
const GO_LIVE = '2024-01-01';
const LAST_MOVE_IN = '2026-06-30';

export function buildDemoRows(regions: RegionPlan[] = DEMO_REGIONS): DemoRows {
  const rows: DemoRows = {
    regions: [],
    markets: [],
    marketClosures: [],
    stalls: [],
    traders: [],
    tenancies: [],
    tariffs: [],
    acquirers: [],
  };
  for (const plan of regions) {
    const regionId = demoId('region', plan.code);
    rows.regions.push({
      id: regionId,
      code: plan.code,
      name: plan.name,
      time_zone: plan.timeZone,
      treasury_bank: plan.treasuryBank,
      treasury_account: plan.treasuryAccount,
      allow_cash: plan.allowCash,
    });
    rows.tariffs.push(...tariffRows(plan, regionId));
    rows.acquirers.push(...acquirerRows(plan, regionId));
    const niks = new Set<string>();
    for (const market of plan.markets) addMarket(rows, plan, regionId, market, niks);
  }
  return rows;
}

function tariffRows(plan: RegionPlan, regionId: string): Row[] {
  return STALL_KINDS.flatMap((kind) =>
    MARKET_CLASSES.map((cls) => ({
      region_id: regionId,
      id: demoId('tariff', plan.code, kind, cls, plan.tariffsFrom),
      stall_kind: kind,
      market_class: cls,
      zone: null,
      // Open ground is charged per pitch per day; kios and los by floor area.
      basis: kind === 'pelataran' ? 'flat_day' : 'per_m2_day',
      rate: plan.rates[kind][cls],
      effective_from: plan.tariffsFrom,
      effective_to: null,
      legal_basis: plan.legalBasis,
    })),
  );
}

function acquirerRows(plan: RegionPlan, regionId: string): Row[] {
  return plan.acquirers.map((a) => ({
    region_id: regionId,
    id: demoId('acquirer', a.code),
    code: a.code,
    name: a.name,
    channel: a.channel,
    mdr_rate: a.mdrRate,
    mdr_basis: a.mdrBasis ?? 'per-line',
    mdr_rounding: a.mdrRounding ?? 'sen',
    notification_secret: a.channel === 'qris' ? qrisSecret(a.code) : null,
    merchant_name: a.merchantName ?? null,
    merchant_city: a.merchantCity ?? null,
    nmid: a.nmid ?? null,
    qris_global_id: a.qrisGlobalId ?? null,
    qris_merchant_pan: a.qrisMerchantPan ?? null,
    postal_code: a.postalCode ?? null,
  }));
}

function qrisSecret(code: string): string {
  const found = DEMO_CREDENTIALS.qris.find((q) => q.acquirer === code);
  if (!found) throw new Error(`no demo notification secret for QRIS acquirer ${code}`);
  return found.notificationSecret;
}

interface MarketCtx {
  rows: DemoRows;
  plan: RegionPlan;
  regionId: string;
  marketId: string;
  market: MarketPlan;
  rng: Rng;
  niks: Set<string>;
  traderSeq: number;
  /** Daily fee of every stall that is let today, for the market's annual target. */
  dailyFees: Decimal;
}

function addMarket(rows: DemoRows, plan: RegionPlan, regionId: string, market: MarketPlan, niks: Set<string>): void {
  const marketId = demoId('market', plan.code, market.code);
  const ctx: MarketCtx = {
    rows,
    plan,
    regionId,
    marketId,
    market,
    rng: rngFor(`${plan.code}/${market.code}`),
    niks,
    traderSeq: 0,
    dailyFees: new Decimal(0),
  };
  let blockIndex = 0;
  for (const kind of STALL_KINDS) blockIndex = addStalls(ctx, kind, blockIndex);
  addCooperativeKios(ctx);
  const openDaysPerYear = Math.round((365 * market.openDays.length) / 7);
  // Target: what the let stalls owe in a year, less 10% for days traders do not come.
  const target = ctx.dailyFees.mul(openDaysPerYear).mul('0.9').div(1_000_000).floor().mul(1_000_000);
  rows.markets.push({
    region_id: regionId,
    id: marketId,
    code: market.code,
    name: market.name,
    class: market.class,
    open_days: market.openDays,
    annual_target: target.toFixed(2),
    address: market.address,
  });
  for (const c of DEMO_CLOSURES)
    rows.marketClosures.push({ region_id: regionId, market_id: marketId, closed_on: c.date, reason: c.reason });
}

/** Adds one kind's stalls in consecutive blocks; returns the next free block index. */
function addStalls(ctx: MarketCtx, kind: StallKind, firstBlock: number): number {
  const { rng } = ctx;
  const count = ctx.market.stalls[kind];
  const size = BLOCK_SIZE[kind];
  let blockArea = '';
  let neighbour: { traderId: string; stalls: number } | undefined;
  for (let i = 0; i < count; i++) {
    const block = BLOCK_LETTERS[firstBlock + Math.floor(i / size)];
    if (i % size === 0) {
      blockArea = pick(rng, AREAS[kind]);
      neighbour = undefined;
    }
    const code = `${block}-${String((i % size) + 1).padStart(3, '0')}`;
    const area = chance(rng, 0.85) ? blockArea : pick(rng, AREAS[kind]);
    const roll = rng();
    const status = roll < 0.03 ? 'vacant' : roll < 0.045 ? 'damaged' : 'active';
    const stallId = demoId('stall', ctx.plan.code, ctx.market.code, code);
    ctx.rows.stalls.push({
      region_id: ctx.regionId,
      id: stallId,
      market_id: ctx.marketId,
      code,
      kind,
      area_m2: area,
      block,
      zone: null,
      status,
      exempt: false,
    });
    neighbour =
      status === 'active' ? letStall(ctx, stallId, code, kind, area, neighbour) : leftStall(ctx, stallId, code, status);
  }
  return firstBlock + Math.ceil(count / size);
}

/** Most active stalls are let; some changed hands since go-live, some traders hold the next stall too. */
function letStall(
  ctx: MarketCtx,
  stallId: string,
  code: string,
  kind: StallKind,
  area: string,
  neighbour?: { traderId: string; stalls: number },
) {
  const { rng } = ctx;
  if (!chance(rng, 0.96)) return undefined;
  const from = chance(rng, 0.6) ? GO_LIVE : dateBetween(rng, addDays(GO_LIVE, 1), LAST_MOVE_IN);
  if (from > '2024-03-01' && chance(rng, 0.5)) {
    // The stall changed hands: what the previous occupant owed stays theirs.
    addTenancy(ctx, stallId, code, newTrader(ctx), GO_LIVE, addDays(from, -1));
  }
  const shareNeighbour = neighbour && neighbour.stalls === 1 && chance(rng, 0.08);
  const traderId = shareNeighbour ? neighbour!.traderId : newTrader(ctx);
  addTenancy(ctx, stallId, code, traderId, from, null);
  const rate = new Decimal(ctx.plan.rates[kind][ctx.market.class]);
  ctx.dailyFees = ctx.dailyFees.plus(
    kind === 'pelataran' ? rate : rate.mul(area).toDecimalPlaces(0, Decimal.ROUND_HALF_UP),
  );
  return { traderId, stalls: shareNeighbour ? 2 : 1 };
}

/** Vacant and damaged stalls: some were let once, and the tenancy ended. */
function leftStall(ctx: MarketCtx, stallId: string, code: string, status: string): undefined {
  if (chance(ctx.rng, status === 'vacant' ? 0.5 : 0.3)) {
    addTenancy(ctx, stallId, code, newTrader(ctx), GO_LIVE, dateBetween(ctx.rng, '2024-06-01', '2026-09-30'));
  }
  return undefined;
}

/** The market cooperative's kios, exempt from the levy by Perda: never assessed, though let. */
function addCooperativeKios(ctx: MarketCtx): void {
  const stallId = demoId('stall', ctx.plan.code, ctx.market.code, 'KOP-01');
  const traderId = demoId('trader', ctx.plan.code, ctx.market.code, 'koperasi');
  ctx.rows.stalls.push({
    region_id: ctx.regionId,
    id: stallId,
    market_id: ctx.marketId,
    code: 'KOP-01',
    kind: 'kios',
    area_m2: '24',
    block: 'A',
    zone: null,
    status: 'active',
    exempt: true,
  });
  ctx.rows.traders.push({
    region_id: ctx.regionId,
    id: traderId,
    nik: null,
    name: `Koperasi ${ctx.market.name}`,
    phone: null,
    address: ctx.market.address,
  });
  addTenancy(ctx, stallId, 'KOP-01', traderId, GO_LIVE, null);
}

function addTenancy(
  ctx: MarketCtx,
  stallId: string,
  code: string,
  traderId: string,
  from: string,
  to: string | null,
): void {
  ctx.rows.tenancies.push({
    region_id: ctx.regionId,
    id: demoId('tenancy', ctx.plan.code, ctx.market.code, code, from),
    stall_id: stallId,
    trader_id: traderId,
    effective_from: from,
    effective_to: to,
  });
}

function newTrader(ctx: MarketCtx): string {
  const { rng, plan } = ctx;
  const id = demoId('trader', plan.code, ctx.market.code, String(++ctx.traderSeq));
  const female = chance(rng, 0.55);
  const book = plan.names;
  const [village, district] = pick(rng, book.places);
  ctx.rows.traders.push({
    region_id: ctx.regionId,
    id,
    name: personName(rng, book, female),
    nik: chance(rng, 0.88) ? nik(rng, plan.nikPrefixes, female, ctx.niks) : null,
    phone: chance(rng, 0.65)
      ? `08${pick(rng, ['12', '13', '21', '22', '52', '53', '56', '57', '77', '78', '81', '95', '96'])}${digits(rng, int(rng, 7, 8))}`
      : null,
    address: `RT ${String(int(rng, 1, 12)).padStart(3, '0')}/RW ${String(int(rng, 1, 9)).padStart(3, '0')}, ${village}, ${district}`,
  });
  return id;
}

function personName(rng: Rng, book: NameBook, female: boolean): string {
  const first = pick(rng, female ? book.female : book.male);
  const name = chance(rng, book.singleNameShare) ? first : `${first} ${pick(rng, book.family)}`;
  const h = book.honorific;
  return h && chance(rng, h.share) ? `${female ? h.female : h.male} ${name}` : name;
}

/** NIK: 6-digit district code, birth date DDMMYY (day + 40 for women), 4-digit serial. */
function nik(rng: Rng, prefixes: string[], female: boolean, taken: Set<string>): string {
  const year = int(rng, 1955, 2003);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, 28) + (female ? 40 : 0);
  const head = `${pick(rng, prefixes)}${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}`;
  let serial = int(rng, 1, 9000);
  while (taken.has(`${head}${String(serial).padStart(4, '0')}`)) serial++;
  const value = `${head}${String(serial).padStart(4, '0')}`;
  taken.add(value);
  return value;
}
