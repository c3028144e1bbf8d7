import type { Db } from '../../db/knex';
import type { Terminal } from './terminals.schemas';

export interface TerminalRow {
  region_id: string;
  id: string;
  market_id: string;
  acquirer_id: string;
  secret_hash: string;
  tid: string;
  mid: string;
  last_receipt_serial: string;
  active: boolean;
  created_at: Date;
}

export function fromRow(r: TerminalRow): Terminal {
  return {
    id: r.id,
    regionId: r.region_id,
    marketId: r.market_id,
    acquirerId: r.acquirer_id,
    tid: r.tid,
    mid: r.mid,
    active: r.active,
    lastReceiptSerial: r.last_receipt_serial,
    createdAt: r.created_at.toISOString(),
  };
}

export interface NewTerminal {
  regionId: string;
  marketId: string;
  id: string;
  acquirerId: string;
  tid: string;
  mid: string;
  secretHash: string;
}

export async function insertTerminal(db: Db, t: NewTerminal): Promise<TerminalRow> {
  const [row] = await db('terminals')
    .insert({
      region_id: t.regionId,
      id: t.id,
      market_id: t.marketId,
      acquirer_id: t.acquirerId,
      tid: t.tid,
      mid: t.mid,
      secret_hash: t.secretHash,
    })
    .returning('*');
  return row;
}

export async function findTerminal(db: Db, id: string): Promise<TerminalRow | undefined> {
  return db('terminals').where({ id }).first();
}

export async function listTerminals(db: Db, regionId: string, marketId: string): Promise<TerminalRow[]> {
  return db('terminals').where({ region_id: regionId, market_id: marketId }).orderBy('id');
}

export async function updateTerminal(
  db: Db,
  t: TerminalRow,
  v: { active?: boolean; secretHash?: string },
): Promise<TerminalRow> {
  const [row] = await db('terminals')
    .where({ region_id: t.region_id, id: t.id })
    .update({ active: v.active, secret_hash: v.secretHash })
    .returning('*');
  return row;
}
