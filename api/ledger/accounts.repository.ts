// The chart of accounts a region needs. Created with the region, market or acquirer they belong
// to, in the same transaction, so the ledger functions always find them.
import type { Db } from '../../db/knex';

type Purpose =
  | 'stall_receivable'
  | 'trader_credit'
  | 'market_revenue'
  | 'acquirer_clearing'
  | 'treasury_bank'
  | 'mdr_expense'
  | 'suspense'
  | 'penalty_receivable'
  | 'penalty_revenue';

interface AccountSpec {
  code: string;
  name: string;
  type: 'asset' | 'liability' | 'revenue' | 'expense';
  purpose: Purpose;
  market_id?: string;
  acquirer_id?: string;
}

async function insertAccounts(db: Db, regionId: string, specs: AccountSpec[]): Promise<void> {
  await db('accounts')
    .insert(specs.map((s) => ({ region_id: regionId, ...s })))
    .onConflict(db.raw('(region_id, code)'))
    .ignore();
}

export function ensureRegionAccounts(db: Db, regionId: string): Promise<void> {
  return insertAccounts(db, regionId, [
    { code: '1100', name: 'Kas di Bank (RKUD)', type: 'asset', purpose: 'treasury_bank' },
    { code: '2100', name: 'Titipan/Deposit Pedagang', type: 'liability', purpose: 'trader_credit' },
    { code: '2900', name: 'Suspense', type: 'liability', purpose: 'suspense' },
    { code: '5100', name: 'Biaya MDR', type: 'expense', purpose: 'mdr_expense' },
  ]);
}

export function ensureMarketAccounts(db: Db, regionId: string, marketId: string, marketCode: string): Promise<void> {
  return insertAccounts(db, regionId, [
    {
      code: `1300-${marketCode}`,
      name: `Piutang Retribusi ${marketCode}`,
      type: 'asset',
      purpose: 'stall_receivable',
      market_id: marketId,
    },
    {
      code: `4100-${marketCode}`,
      name: `Pendapatan Retribusi ${marketCode}`,
      type: 'revenue',
      purpose: 'market_revenue',
      market_id: marketId,
    },
    {
      code: `1310-${marketCode}`,
      name: `Piutang Sanksi Bunga ${marketCode}`,
      type: 'asset',
      purpose: 'penalty_receivable',
      market_id: marketId,
    },
    {
      code: `4110-${marketCode}`,
      name: `Pendapatan Sanksi Bunga ${marketCode}`,
      type: 'revenue',
      purpose: 'penalty_revenue',
      market_id: marketId,
    },
  ]);
}

export function ensureAcquirerAccounts(
  db: Db,
  regionId: string,
  acquirerId: string,
  acquirerCode: string,
): Promise<void> {
  return insertAccounts(db, regionId, [
    {
      code: `1200-${acquirerCode}`,
      name: `Kliring ${acquirerCode}`,
      type: 'asset',
      purpose: 'acquirer_clearing',
      acquirer_id: acquirerId,
    },
  ]);
}

export async function accountId(
  db: Db,
  regionId: string,
  purpose: Purpose,
  ref: { marketId?: string; acquirerId?: string } = {},
): Promise<string> {
  const row = await db('accounts')
    .where({ region_id: regionId, purpose })
    .andWhere((q) => (ref.marketId ? q.where('market_id', ref.marketId) : q.whereNull('market_id')))
    .andWhere((q) => (ref.acquirerId ? q.where('acquirer_id', ref.acquirerId) : q.whereNull('acquirer_id')))
    .first('id');
  if (!row) throw new Error(`no ${purpose} account in region ${regionId}`);
  return row.id;
}
