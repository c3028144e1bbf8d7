// The chart of accounts, opened with the region, market or acquirer it belongs to, in the caller's
// transaction, so the ledger functions always find them.
import type { Db } from '../../db/knex';
import * as repo from './accounts.repository';

/** The region's own accounts: treasury bank, suspense, MDR expense. */
export const openRegionAccounts = (db: Db, regionId: string) => repo.ensureRegionAccounts(db, regionId);

/** A market's receivable, credit and revenue accounts (fees and penalties). */
export const openMarketAccounts = (db: Db, regionId: string, marketId: string, marketCode: string) =>
  repo.ensureMarketAccounts(db, regionId, marketId, marketCode);

/** An acquirer's clearing account. */
export const openAcquirerAccounts = (db: Db, regionId: string, acquirerId: string, acquirerCode: string) =>
  repo.ensureAcquirerAccounts(db, regionId, acquirerId, acquirerCode);
