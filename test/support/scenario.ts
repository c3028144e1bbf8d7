// A small region with one market, one occupied stall, a tariff, a card acquirer and a terminal.
import type { Knex } from 'knex';
import * as make from './make';
import { tokenFor } from './app';

export async function cardScenario(
  db: Knex,
  o: { timeZone?: string; areaM2?: string; rate?: string; nowMs?: number } = {},
) {
  const region = await make.region(db, { timeZone: o.timeZone ?? 'Asia/Jakarta' });
  const market = await make.market(db, region.id);
  const stall = await make.stall(db, region.id, market.id, { areaM2: o.areaM2 ?? '6' });
  const trader = await make.trader(db, region.id);
  await make.tenancy(db, region.id, stall.id, trader.id);
  await make.tariff(db, region.id, { rate: o.rate ?? '500' });
  const acquirer = await make.acquirer(db, region.id);
  const terminal = await make.terminal(db, region.id, market.id, acquirer.id);
  const terminalToken = tokenFor(
    { role: 'terminal', sub: terminal.id, terminalId: terminal.id, regionId: region.id, marketId: market.id },
    o.nowMs,
  );
  return { region, market, stall, trader, acquirer, terminal, terminalToken };
}

let rrnCounter = 100000;

export function cardBody(
  s: { stall: { id: string }; terminal: { tid: string; mid: string } },
  o: Partial<{
    clientTxnId: string;
    amount: string;
    paidAt: string;
    rrn: string;
    maskedPan: string;
    responseCode: string;
    tid: string;
  }> = {},
) {
  rrnCounter += 1;
  return {
    clientTxnId: o.clientTxnId ?? `txn-${rrnCounter}-${Math.random().toString(36).slice(2, 8)}`,
    stallId: s.stall.id,
    amount: o.amount ?? '3000',
    paidAt: o.paidAt ?? new Date().toISOString(),
    card: {
      tid: o.tid ?? s.terminal.tid,
      mid: s.terminal.mid,
      stan: String(rrnCounter % 1000000).padStart(6, '0'),
      rrn: o.rrn ?? `6327${String(rrnCounter).padStart(8, '0')}`,
      approvalCode: 'A1B2C3',
      maskedPan: o.maskedPan ?? '522184******1234',
      responseCode: o.responseCode ?? '00',
    },
  };
}

/** Every journal entry balances and the ledger as a whole balances. */
export async function ledgerBalanced(db: Knex, regionId: string): Promise<boolean> {
  const { rows } = await db.raw(
    `select count(*) filter (where d <> c) as bad, coalesce(sum(d), 0) = coalesce(sum(c), 0) as total_ok
       from (select entry_id, sum(debit) d, sum(credit) c from journal_lines where region_id = ? group by entry_id) x`,
    [regionId],
  );
  return rows[0].bad === '0' && rows[0].total_ok === true;
}
