// Small factories with overrides: make.stall(db, { areaM2: '6' }). Each returns the row it wrote.
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import {
  ensureAcquirerAccounts,
  ensureMarketAccounts,
  ensureRegionAccounts,
} from '../../api/ledger/accounts.repository';
import { hashSecret } from '../../api/auth/password';

const uniq = () => randomBytes(3).toString('hex').toUpperCase();

// scrypt is slow on purpose (tens of ms a hash): tests that make many accounts and terminals with
// the same password paid it for each. One stored hash per secret for this test process: the same
// password gives the same hash (one salt), which verifySecret checks like any other.
const hashes = new Map<string, Promise<string>>();
function storedHash(secret: string): Promise<string> {
  let hash = hashes.get(secret);
  if (!hash) {
    hash = hashSecret(secret);
    hashes.set(secret, hash);
    hash.catch(() => hashes.delete(secret));
  }
  return hash;
}

export async function region(db: Knex, o: Partial<{ code: string; name: string; timeZone: string }> = {}) {
  const [row] = await db('regions')
    .insert({
      code: o.code ?? `R${uniq()}`,
      name: o.name ?? 'Kota Uji',
      time_zone: o.timeZone ?? 'Asia/Jakarta',
      treasury_bank: 'BPD Uji',
      treasury_account: '1234567890',
    })
    .returning('*');
  await ensureRegionAccounts(db, row.id);
  return row;
}

export async function market(
  db: Knex,
  regionId: string,
  o: Partial<{ code: string; class: string; openDays: number[] }> = {},
) {
  const [row] = await db('markets')
    .insert({
      region_id: regionId,
      code: o.code ?? `M${uniq()}`,
      name: 'Pasar Uji',
      class: o.class ?? 'I',
      open_days: o.openDays ?? [1, 2, 3, 4, 5, 6, 7],
    })
    .returning('*');
  await ensureMarketAccounts(db, regionId, row.id, row.code);
  return row;
}

export async function stall(
  db: Knex,
  regionId: string,
  marketId: string,
  o: Partial<{ code: string; kind: string; areaM2: string; status: string }> = {},
) {
  const [row] = await db('stalls')
    .insert({
      region_id: regionId,
      market_id: marketId,
      code: o.code ?? `S-${uniq()}`,
      kind: o.kind ?? 'kios',
      area_m2: o.areaM2 ?? '6',
      status: o.status ?? 'active',
      block: 'A',
    })
    .returning('*');
  return row;
}

export async function trader(db: Knex, regionId: string, o: Partial<{ name: string }> = {}) {
  const [row] = await db('traders')
    .insert({ region_id: regionId, name: o.name ?? `Pedagang ${uniq()}` })
    .returning('*');
  return row;
}

export async function tenancy(
  db: Knex,
  regionId: string,
  stallId: string,
  traderId: string,
  o: Partial<{ from: string; to: string | null }> = {},
) {
  const [row] = await db('tenancies')
    .insert({
      region_id: regionId,
      stall_id: stallId,
      trader_id: traderId,
      effective_from: o.from ?? '2020-01-01',
      effective_to: o.to ?? null,
    })
    .returning('*');
  return row;
}

export async function tariff(
  db: Knex,
  regionId: string,
  o: Partial<{ kind: string; class: string; basis: string; rate: string; from: string; to: string | null }> = {},
) {
  const [row] = await db('tariffs')
    .insert({
      region_id: regionId,
      stall_kind: o.kind ?? 'kios',
      market_class: o.class ?? 'I',
      basis: o.basis ?? 'per_m2_day',
      rate: o.rate ?? '500',
      effective_from: o.from ?? '2020-01-01',
      effective_to: o.to ?? null,
    })
    .returning('*');
  return row;
}

/** A region's sanksi bunga: 1% a month from 2024-01-05, at most 24 months, unless told. */
export async function penaltyRule(
  db: Knex,
  regionId: string,
  o: Partial<{ from: string; monthlyRate: string; capMonths: number; legalBasis: string | null }> = {},
) {
  const [row] = await db('penalty_rules')
    .insert({
      region_id: regionId,
      effective_from: o.from ?? '2024-01-05',
      monthly_rate: o.monthlyRate ?? '0.0100',
      cap_months: o.capMonths ?? 24,
      legal_basis: o.legalBasis === undefined ? 'PP 35/2023' : o.legalBasis,
    })
    .returning('*');
  return row;
}

export async function acquirer(
  db: Knex,
  regionId: string,
  o: Partial<{ code: string; channel: string; mdrRate: string; secret: string }> = {},
) {
  const [row] = await db('acquirers')
    .insert({
      region_id: regionId,
      code: o.code ?? `acq-${uniq().toLowerCase()}`,
      name: 'Bank Uji',
      channel: o.channel ?? 'card',
      mdr_rate: o.mdrRate ?? '0.0015',
      notification_secret: o.secret ?? null,
      ...((o.channel ?? 'card') === 'qris'
        ? {
            merchant_name: 'RETRIBUSI PASAR UJI',
            merchant_city: 'MAGELANG',
            nmid: 'ID1023271450331',
            qris_global_id: 'ID.CO.BANKUJI.WWW',
            postal_code: '56117',
          }
        : {}),
    })
    .returning('*');
  await ensureAcquirerAccounts(db, regionId, row.id, row.code);
  return row;
}

export async function terminal(
  db: Knex,
  regionId: string,
  marketId: string,
  acquirerId: string,
  o: Partial<{ id: string; secret: string; tid: string; mid: string }> = {},
) {
  const secret = o.secret ?? 'terminal-secret';
  const [row] = await db('terminals')
    .insert({
      region_id: regionId,
      id: o.id ?? `T-${uniq()}`,
      market_id: marketId,
      acquirer_id: acquirerId,
      secret_hash: await storedHash(secret),
      tid: o.tid ?? `${Math.floor(10000000 + Math.random() * 89999999)}`,
      mid: o.mid ?? '000071000123456',
    })
    .returning('*');
  return { ...row, secret };
}

export async function user(
  db: Knex,
  role: string,
  o: Partial<{ username: string; password: string; regionId: string | null; marketId: string | null }> = {},
) {
  const password = o.password ?? 'password-123';
  const [row] = await db('users')
    .insert({
      username: o.username ?? `${role}-${uniq().toLowerCase()}`,
      password_hash: await storedHash(password),
      role,
      region_id: o.regionId ?? null,
      market_id: o.marketId ?? null,
      display_name: `${role} uji`,
    })
    .returning('*');
  return { ...row, password };
}
