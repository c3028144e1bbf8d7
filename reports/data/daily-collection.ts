// Laporan Penerimaan Harian per Petugas: what each collector took on a business date, terminal by
// terminal and channel by channel, so each can be held to it at the deposit (setoran). A payment
// belongs to the collector assigned to its terminal on the payment's own business date
// (terminal_assignments); a terminal nobody was assigned to shows as such rather than vanishing.
// Voided payments are listed apart and left out of every total, so the totals are the ledger's:
// the day's payments less the voided ones. Beside the channels, each row and total splits the
// money into what it settled as the ledger posted it (Parts): retribusi (principal, Cr stall
// receivable), sanksi bunga (Cr penalty receivable) and titipan (Cr trader credit).
import type { Deps } from '../../api/core/deps';
import { notFound } from '../../api/core/errors';
import {
  addCounts,
  addParts,
  addToChannels,
  assertDate,
  CHANNELS,
  emptyChannels,
  money,
  NO_PARTS,
  PARTS_SQL,
  regionInfo,
  sumChannels,
  type Channel,
  type ChannelTotals,
  type CountSum,
  type Parts,
  type RegionInfo,
} from './common';

export const NO_COLLECTOR = 'Tanpa petugas terdaftar';

export interface TerminalCollection {
  /** null: payments taken without a terminal (cash at the office, where a region allows it) */
  terminalId: string | null;
  totals: ChannelTotals;
  parts: Parts;
}

export interface CollectorCollection {
  /** null: the terminal had no collector assigned that day */
  collectorId: string | null;
  name: string;
  username: string | null;
  terminals: TerminalCollection[];
  totals: ChannelTotals;
  parts: Parts;
}

export interface MarketCollection {
  marketId: string;
  code: string;
  name: string;
  collectors: CollectorCollection[];
  totals: ChannelTotals;
  parts: Parts;
}

export interface VoidedPayment {
  paymentId: string;
  marketCode: string;
  terminalId: string | null;
  collectorName: string;
  stallCode: string;
  traderName: string;
  channel: Channel;
  amount: string;
  paidAt: Date;
  rrn: string | null;
  receiptSerial: string | null;
  voidReference: string;
  voidedAt: Date;
  reason: string | null;
}

export interface DailyCollection {
  region: RegionInfo;
  date: string;
  marketId?: string;
  /** The channels a report shows: card and QRIS always, cash where the region allows it or any was taken. */
  channels: Channel[];
  markets: MarketCollection[];
  totals: ChannelTotals;
  /** totals.total.amount split into retribusi, sanksi bunga and titipan */
  parts: Parts;
  voided: VoidedPayment[];
  voidedTotal: CountSum;
}

interface VoidRow {
  id: string;
  market_code: string;
  terminal_id: string | null;
  collector_name: string | null;
  stall_code: string;
  trader_name: string;
  channel: Channel;
  amount: string;
  paid_at: Date;
  rrn: string | null;
  receipt_serial: string | null;
  void_reference: string;
  voided_at: Date;
  reason: string | null;
}

interface GroupRow {
  market_id: string;
  collector_id: string | null;
  collector_name: string | null;
  collector_username: string | null;
  terminal_id: string | null;
  channel: Channel;
  count: string;
  amount: string;
  principal: string;
  penalty: string;
  credit: string;
}

// The collector of a payment: the assignment of its terminal covering its business date (the
// exclusion constraint keeps that to one row at most).
const ASSIGNED = `left join terminal_assignments ta on ta.region_id = p.region_id and ta.terminal_id = p.terminal_id
    and ta.effective_from <= p.business_date and (ta.effective_to is null or ta.effective_to >= p.business_date)
  left join users u on u.id = ta.collector_id`;
const VOIDED = `exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)`;

async function groups(deps: Deps, regionId: string, date: string, marketId?: string): Promise<GroupRow[]> {
  const { rows } = await deps.knex.raw(
    `select p.market_id, ta.collector_id, u.display_name as collector_name, u.username as collector_username,
            p.terminal_id, p.channel, count(*) as count, sum(p.amount)::text as amount,
            ${PARTS_SQL}
       from payments p
       ${ASSIGNED}
      where p.region_id = :region and p.business_date = cast(:date as date) and not ${VOIDED}
        ${marketId ? 'and p.market_id = :market' : ''}
      group by 1, 2, 3, 4, 5, 6`,
    { region: regionId, date, market: marketId ?? null },
  );
  return rows;
}

async function voidedPayments(deps: Deps, regionId: string, date: string, marketId?: string): Promise<VoidedPayment[]> {
  const { rows } = await deps.knex.raw(
    `select p.id, m.code as market_code, p.terminal_id, u.display_name as collector_name, s.code as stall_code,
            t.name as trader_name, p.channel, p.amount::text as amount, p.paid_at, p.rrn, r.serial::text as receipt_serial,
            v.void_reference, v.voided_at, v.reason
       from payments p
       join payment_voids v on v.region_id = p.region_id and v.payment_id = p.id
       join markets m on m.region_id = p.region_id and m.id = p.market_id
       join stalls s on s.region_id = p.region_id and s.id = p.stall_id
       join traders t on t.region_id = p.region_id and t.id = p.trader_id
       left join receipts r on r.region_id = p.region_id and r.payment_id = p.id
       ${ASSIGNED}
      where p.region_id = :region and p.business_date = cast(:date as date)
        ${marketId ? 'and p.market_id = :market' : ''}
      order by p.paid_at, p.id`,
    { region: regionId, date, market: marketId ?? null },
  );
  return (rows as VoidRow[]).map((r) => ({
    paymentId: r.id,
    marketCode: r.market_code,
    terminalId: r.terminal_id,
    collectorName: r.collector_name ?? NO_COLLECTOR,
    stallCode: r.stall_code,
    traderName: r.trader_name,
    channel: r.channel,
    amount: money(r.amount),
    paidAt: r.paid_at,
    rrn: r.rrn,
    receiptSerial: r.receipt_serial,
    voidReference: r.void_reference,
    voidedAt: r.voided_at,
    reason: r.reason,
  }));
}

/** The markets a report lists: the one asked for, else the region's active ones and any other
 * that took money that day. */
async function marketsOf(deps: Deps, regionId: string, marketId: string | undefined, withMoney: Set<string>) {
  const rows: { id: string; code: string; name: string; active: boolean }[] = await deps
    .knex('markets')
    .where({ region_id: regionId })
    .modify((q) => (marketId ? q.where({ id: marketId }) : q))
    .orderBy('code')
    .select('id', 'code', 'name', 'active');
  if (marketId && rows.length === 0) throw notFound('market', { field: 'marketId' });
  return rows.filter((m) => marketId || m.active || withMoney.has(m.id));
}

/** Collectors by name with the unassigned last; terminals by id. */
function collectorsOf(rows: GroupRow[]): CollectorCollection[] {
  const byCollector = new Map<string, CollectorCollection>();
  for (const r of rows) {
    const key = r.collector_id ?? '';
    const c = byCollector.get(key) ?? {
      collectorId: r.collector_id,
      name: r.collector_name ?? NO_COLLECTOR,
      username: r.collector_username,
      terminals: [],
      totals: emptyChannels(),
      parts: NO_PARTS,
    };
    let term = c.terminals.find((x) => x.terminalId === r.terminal_id);
    if (!term) c.terminals.push((term = { terminalId: r.terminal_id, totals: emptyChannels(), parts: NO_PARTS }));
    const x = { count: Number(r.count), amount: money(r.amount) };
    const parts = { principal: money(r.principal), penalty: money(r.penalty), credit: money(r.credit) };
    term.totals = addToChannels(term.totals, r.channel, x);
    term.parts = addParts(term.parts, parts);
    c.totals = addToChannels(c.totals, r.channel, x);
    c.parts = addParts(c.parts, parts);
    byCollector.set(key, c);
  }
  const out = [...byCollector.values()];
  for (const c of out) c.terminals.sort((a, b) => (a.terminalId ?? '\uffff').localeCompare(b.terminalId ?? '\uffff'));
  return out.sort(
    (a, b) => Number(a.collectorId === null) - Number(b.collectorId === null) || a.name.localeCompare(b.name, 'id'),
  );
}

export async function dailyCollection(
  deps: Deps,
  regionId: string,
  date: string,
  marketId?: string,
): Promise<DailyCollection> {
  assertDate(date);
  const region = await regionInfo(deps, regionId);
  const [rows, voided] = await Promise.all([
    groups(deps, regionId, date, marketId),
    voidedPayments(deps, regionId, date, marketId),
  ]);
  const markets = (await marketsOf(deps, regionId, marketId, new Set(rows.map((r) => r.market_id)))).map((m) => {
    const collectors = collectorsOf(rows.filter((r) => r.market_id === m.id));
    return {
      marketId: m.id,
      code: m.code,
      name: m.name,
      collectors,
      totals: sumChannels(collectors.map((c) => c.totals)),
      parts: addParts(...collectors.map((c) => c.parts)),
    };
  });
  const anyCash = rows.some((r) => r.channel === 'cash') || voided.some((v) => v.channel === 'cash');
  return {
    region,
    date,
    marketId,
    channels: CHANNELS.filter((c) => c !== 'cash' || region.allowCash || anyCash),
    markets,
    totals: sumChannels(markets.map((m) => m.totals)),
    parts: addParts(...markets.map((m) => m.parts)),
    voided,
    voidedTotal: addCounts(...voided.map((v) => ({ count: 1, amount: v.amount }))),
  };
}
