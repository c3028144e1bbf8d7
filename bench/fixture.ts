// The bench's master data: one region, a few markets, one card acquirer, and per simulated
// collector one terminal with its own occupied stalls. Then a few days of assessments (the real
// assessment service), so payments settle open assessments rather than only piling up credit.
import type { Knex } from 'knex';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Deps } from '../api/core/deps';
import { assessDay } from '../api/assessments/assessment.service';
import { openAcquirerAccounts, openMarketAccounts, openRegionAccounts } from '../api/ledger/accounts.service';
import { hashSecret } from '../api/auth/password';
import { businessDate } from '../api/core/time';

export const TIME_ZONE = 'Asia/Jakarta';
const RATE_PER_M2_DAY = 500;
// Kios areas seen in a kabupaten market; the daily fee is area x rate (2,000 .. 6,000 rupiah).
const AREAS_M2 = [4, 6, 6, 8, 9, 12];

export interface BenchStall {
  id: string;
  /** the day's fee in whole rupiah */
  feeRp: number;
}

export interface BenchTerminal {
  index: number;
  id: string;
  secret: string;
  tid: string;
  mid: string;
  stalls: BenchStall[];
}

export interface Fixture {
  regionId: string;
  regionCode: string;
  terminals: BenchTerminal[];
  assessments: number;
}

export interface FixtureOptions {
  terminals: number;
  stallsPerTerminal: number;
  markets: number;
  days: number;
}

export async function createFixture(deps: Deps, o: FixtureOptions): Promise<Fixture> {
  const db = deps.knex;
  const regionCode = 'BENCH';
  const [region] = await db('regions')
    .insert({
      code: regionCode,
      name: 'Kabupaten Bench',
      time_zone: TIME_ZONE,
      treasury_bank: 'BPD Bench',
      treasury_account: '0011223344',
    })
    .returning('id');
  const regionId: string = region.id;
  await openRegionAccounts(db, regionId);

  const marketIds: string[] = [];
  for (let m = 0; m < o.markets; m++) {
    const code = `BM-${m + 1}`;
    const [row] = await db('markets')
      .insert({ region_id: regionId, code, name: `Pasar Bench ${m + 1}`, class: 'I' })
      .returning('id');
    await openMarketAccounts(db, regionId, row.id, code);
    marketIds.push(row.id);
  }
  await db('tariffs').insert({
    region_id: regionId,
    stall_kind: 'kios',
    market_class: 'I',
    basis: 'per_m2_day',
    rate: String(RATE_PER_M2_DAY),
    effective_from: '2020-01-01',
  });
  const [acq] = await db('acquirers')
    .insert({ region_id: regionId, code: 'bench-card', name: 'Bank Bench', channel: 'card', mdr_rate: '0.0015' })
    .returning('id');
  await openAcquirerAccounts(db, regionId, acq.id, 'bench-card');

  const terminals = await createTerminals(db, regionId, acq.id, marketIds, o);
  const assessments = await assessDays(deps, regionCode, o.days);
  return { regionId, regionCode, terminals, assessments };
}

async function createTerminals(
  db: Knex,
  regionId: string,
  acquirerId: string,
  marketIds: string[],
  o: FixtureOptions,
): Promise<BenchTerminal[]> {
  const terminals: BenchTerminal[] = [];
  const rows = {
    terminals: [] as object[],
    stalls: [] as object[],
    traders: [] as object[],
    tenancies: [] as object[],
  };
  const secrets = Array.from({ length: o.terminals }, () => randomBytes(12).toString('base64url'));
  const hashes = await Promise.all(secrets.map(hashSecret)); // scrypt runs on the libuv pool
  for (let t = 0; t < o.terminals; t++) {
    const id = `BT-${String(t + 1).padStart(4, '0')}`;
    const secret = secrets[t];
    const marketId = marketIds[t % marketIds.length];
    const term: BenchTerminal = { index: t, id, secret, tid: String(70000000 + t), mid: '000071000999999', stalls: [] };
    rows.terminals.push({
      region_id: regionId,
      id,
      market_id: marketId,
      acquirer_id: acquirerId,
      secret_hash: hashes[t],
      tid: term.tid,
      mid: term.mid,
    });
    for (let s = 0; s < o.stallsPerTerminal; s++) {
      const area = AREAS_M2[(t + s) % AREAS_M2.length];
      const stallId = randomUUID(),
        traderId = randomUUID();
      rows.stalls.push({
        region_id: regionId,
        id: stallId,
        market_id: marketId,
        code: `${id}-${s + 1}`,
        kind: 'kios',
        area_m2: String(area),
        block: 'A',
      });
      rows.traders.push({ region_id: regionId, id: traderId, name: `Pedagang ${t + 1}.${s + 1}` });
      rows.tenancies.push({
        region_id: regionId,
        stall_id: stallId,
        trader_id: traderId,
        effective_from: '2020-01-01',
      });
      term.stalls.push({ id: stallId, feeRp: area * RATE_PER_M2_DAY });
    }
    terminals.push(term);
  }
  await db.transaction(async (trx) => {
    for (const [table, list] of Object.entries(rows)) await trx.batchInsert(table, list, 500);
  });
  return terminals;
}

/** The assessments of the last `days` business dates up to today, oldest first. */
async function assessDays(deps: Deps, regionCode: string, days: number): Promise<number> {
  return assessEarlierDays(deps, regionCode, 0, days);
}

/** The assessments of `days` business dates ending `before` days before today, oldest first:
 * arrears older than what is open already, which payments then settle first. */
export async function assessEarlierDays(deps: Deps, regionCode: string, before: number, days: number): Promise<number> {
  const today = businessDate(new Date(), TIME_ZONE);
  let created = 0;
  for (let d = before + days - 1; d >= before; d--) {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) - d * 86_400_000).toISOString().slice(0, 10);
    created += (await assessDay(deps, regionCode, date)).created;
  }
  return created;
}
