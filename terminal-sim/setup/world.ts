// What the simulator learns at the start of the day, over the admin API, the way an officer's
// setup screen would: the regions, their markets, their banks. Then it runs the day's assessment,
// so the fees the traders pay exist.
import { DEMO_CREDENTIALS, DEMO_PASSWORDS } from '../../db/seed/credentials';
import type { ApiClient } from '../http';
import { addDays, localDate } from '../clock';

export interface AcquirerInfo {
  id: string;
  code: string;
  name: string;
  /** Fraction of gross, as the contract states it ("0.0015") */
  mdrRate: string;
  merchantName: string | null;
  merchantCity?: string | null;
  /** QRIS: the National Merchant ID on the region's codes */
  nmid: string | null;
}

export interface QrisAcquirerInfo extends AcquirerInfo {
  /** The HMAC key the bank signs its notifications with */
  secret: string;
  /** How the product talks to it ('simple-hmac' or 'snap'; absent from an API without SNAP) */
  protocol?: string;
}

export interface MarketInfo {
  id: string;
  code: string;
  name: string;
  regionCode: string;
}

export interface RegionInfo {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  treasuryBank: string;
  treasuryAccount: string;
  card: AcquirerInfo;
  /** Absent when the region has no QRIS acquirer whose notification secret the simulator knows */
  qris?: QrisAcquirerInfo;
  markets: MarketInfo[];
}

interface Items<T> {
  items: T[];
}

type RegionRow = Omit<RegionInfo, 'card' | 'qris' | 'markets'>;
type AcquirerRow = AcquirerInfo & { channel: 'card' | 'qris'; protocol?: string };
type MarketRow = { id: string; code: string; name: string; active: boolean };

/** The demo admin's token: setup touches every region. */
export async function adminToken(api: ApiClient): Promise<string> {
  const body = await api.expect<{ token: string }>(200, 'POST', '/api/v1/auth/login', {
    json: { username: 'admin', password: DEMO_PASSWORDS.admin },
  });
  return body.token;
}

export async function loadRegions(api: ApiClient, token: string, only?: string): Promise<RegionInfo[]> {
  const { items } = await api.expect<Items<RegionRow>>(200, 'GET', '/api/v1/regions', { token });
  const chosen = items.filter((r) => !only || r.code === only).sort((a, b) => a.code.localeCompare(b.code));
  if (chosen.length === 0) throw new Error(only ? `no region with code ${only}` : 'the API has no regions');
  return Promise.all(chosen.map((r) => loadRegion(api, token, r)));
}

async function loadRegion(api: ApiClient, token: string, r: RegionRow): Promise<RegionInfo> {
  const [acquirers, markets] = await Promise.all([
    api.expect<Items<AcquirerRow>>(200, 'GET', `/api/v1/regions/${r.id}/acquirers`, { token }),
    api.expect<Items<MarketRow>>(200, 'GET', `/api/v1/regions/${r.id}/markets`, { token }),
  ]);
  const card = acquirers.items.filter((a) => a.channel === 'card').sort((a, b) => a.code.localeCompare(b.code))[0];
  if (!card) throw new Error(`region ${r.code} has no card acquirer; terminals cannot be set up`);
  const qris = acquirers.items
    .filter((a) => a.channel === 'qris')
    .map((a) => ({ ...a, secret: DEMO_CREDENTIALS.qris.find((q) => q.acquirer === a.code)?.notificationSecret }))
    .find((a) => a.secret !== undefined);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timeZone: r.timeZone,
    treasuryBank: r.treasuryBank,
    treasuryAccount: r.treasuryAccount,
    card: pickAcquirer(card),
    qris: qris ? { ...pickAcquirer(qris), secret: qris.secret!, protocol: qris.protocol } : undefined,
    markets: markets.items
      .filter((m) => m.active)
      .map((m) => ({ id: m.id, code: m.code, name: m.name, regionCode: r.code }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
}

function pickAcquirer(a: AcquirerRow): AcquirerInfo {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    mdrRate: a.mdrRate,
    merchantName: a.merchantName,
    merchantCity: a.merchantCity,
    nmid: a.nmid,
  };
}

/** A payment's time may not be ahead of the server's clock, so neither may the day. */
export function refuseFutureDate(regions: RegionInfo[], date: string, nowMs: number): void {
  for (const r of regions) {
    const today = localDate(new Date(nowMs), r.timeZone);
    if (date > today) throw new Error(`--date ${date} is in the future in ${r.code} (${r.timeZone}, today ${today})`);
  }
}

/** The day's assessment (and the days before it, for arrears), as the schedule would run it. */
export async function assess(api: ApiClient, token: string, regions: RegionInfo[], date: string, backfillDays: number) {
  const created: Record<string, number> = {};
  for (const r of regions) {
    created[r.code] = 0;
    for (let back = backfillDays; back >= 0; back--) {
      const body = await api.expect<{ created: number }>(200, 'POST', '/api/v1/assessments', {
        token,
        json: { regionId: r.id, businessDate: addDays(date, -back) },
      });
      created[r.code] += body.created;
    }
  }
  return created;
}
