// A whole region for scope tests: two markets, occupied and vacant stalls, a tariff, a card
// acquirer, a terminal per market, one staff account per role and scope, and a card payment
// recorded through the API with its receipt. Tokens carry real ids: the ledger looks the
// terminal up by id, and a user's own id matters to some rules (no one deactivates themself).
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Principal, StaffRole } from '../../api/auth/principal';
import { tokenFor } from './app';
import * as make from './make';
import { pay } from './pay';

interface StaffRow {
  id: string;
  role: StaffRole;
  region_id: string | null;
  market_id: string | null;
}

interface TerminalRow {
  id: string;
  region_id: string;
  market_id: string;
}

/** The principal a staff login would put in the token. */
export const staffPrincipal = (u: StaffRow): Principal => ({
  role: u.role,
  sub: u.id,
  regionId: u.region_id ?? undefined,
  marketId: u.market_id ?? undefined,
});

/** The principal a terminal login would put in the token. */
export const terminalPrincipal = (t: TerminalRow): Principal => ({
  role: 'terminal',
  sub: t.id,
  terminalId: t.id,
  regionId: t.region_id,
  marketId: t.market_id,
});

export type RegionWorld = Awaited<ReturnType<typeof regionWorld>>;

export async function regionWorld(db: Knex, app: Express) {
  const region = await make.region(db);
  const market1 = await make.market(db, region.id);
  const market2 = await make.market(db, region.id);
  const stall = await make.stall(db, region.id, market1.id);
  const stall2 = await make.stall(db, region.id, market2.id);
  const vacantStall = await make.stall(db, region.id, market1.id);
  const trader = await make.trader(db, region.id);
  const tenancy = await make.tenancy(db, region.id, stall.id, trader.id);
  await make.tenancy(db, region.id, stall2.id, (await make.trader(db, region.id)).id);
  const tariff = await make.tariff(db, region.id);
  const acquirer = await make.acquirer(db, region.id);
  const [terminal1, terminal2] = await Promise.all([
    make.terminal(db, region.id, market1.id, acquirer.id),
    make.terminal(db, region.id, market2.id, acquirer.id),
  ]);
  const inMarket = (marketId: string) => ({ regionId: region.id, marketId });
  const [officer, manager1, manager2, collector1, collector2, auditor] = await Promise.all([
    make.user(db, 'officer', { regionId: region.id }),
    make.user(db, 'manager', inMarket(market1.id)),
    make.user(db, 'manager', inMarket(market2.id)),
    make.user(db, 'collector', inMarket(market1.id)),
    make.user(db, 'collector', inMarket(market2.id)),
    make.user(db, 'auditor', { regionId: region.id }),
  ]);
  const paid = await pay(app, { stall, terminal: terminal1, terminalToken: tokenFor(terminalPrincipal(terminal1)) });
  return {
    region,
    market1,
    market2,
    stall,
    stall2,
    vacantStall,
    trader,
    tenancy,
    tariff,
    acquirer,
    terminal1,
    terminal2,
    users: { officer, manager1, manager2, collector1, collector2, auditor },
    receiptCode: paid.receipt.code,
  };
}
