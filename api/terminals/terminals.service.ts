// Collector terminals (EDC devices) of a market. The secret a terminal logs in with is stored
// only as a scrypt hash and never returned, not even to the admin who set it.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { hashSecret } from '../auth/password';
import { notFound } from '../core/errors';
import { assertManageRegion, assertReadMarket } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { findAcquirerIn } from '../acquirers/acquirers.service';
import { loadMarket } from '../markets/markets.service';
import type { CreateTerminal, PatchTerminal, Terminal } from './terminals.schemas';
import * as repo from './terminals.repository';
import type { Db } from '../../db/knex';

export type { TerminalRow } from './terminals.repository';

/** The terminal row (undefined when there is none), read in the caller's transaction. */
export const findTerminalIn = (db: Db, terminalId: string) => repo.findTerminal(db, terminalId);

const duplicateId = () => fieldError(409, 'duplicate-id', 'id', 'a terminal with this id already exists');
const constraints = {
  terminals_id_key: duplicateId,
  terminals_pkey: duplicateId,
  terminals_region_id_acquirer_id_tid_key: () =>
    fieldError(409, 'duplicate-tid', 'tid', 'another terminal of this acquirer already has this TID'),
};

/** Card payments are matched to the acquirer by TID and MID, so the acquirer must be the card one. */
async function checkAcquirer(deps: Deps, regionId: string, acquirerId: string): Promise<void> {
  const a = await findAcquirerIn(deps.knex, acquirerId);
  if (!a) throw fieldError(422, 'unknown-acquirer', 'acquirerId', 'no acquirer with this id');
  if (a.region_id !== regionId)
    throw fieldError(
      422,
      'acquirer-outside-region',
      'acquirerId',
      "the acquirer belongs to another region than the market's",
    );
  if (a.channel !== 'card')
    throw fieldError(
      422,
      'acquirer-not-card',
      'acquirerId',
      `a terminal's acquirer must be a card acquirer, this one is ${a.channel}`,
    );
}

export async function createTerminal(
  deps: Deps,
  p: Principal,
  marketId: string,
  input: CreateTerminal,
): Promise<Terminal> {
  const m = await loadMarket(deps, marketId);
  assertManageRegion(p, m.region_id);
  await checkAcquirer(deps, m.region_id, input.acquirerId);
  const secretHash = await hashSecret(input.secret);
  const row = await guarded(
    () =>
      repo.insertTerminal(deps.knex, {
        regionId: m.region_id,
        marketId: m.id,
        id: input.id,
        acquirerId: input.acquirerId,
        tid: input.tid,
        mid: input.mid,
        secretHash,
      }),
    constraints,
  );
  return repo.fromRow(row);
}

export async function listTerminals(deps: Deps, p: Principal, marketId: string): Promise<Terminal[]> {
  const m = await loadMarket(deps, marketId);
  assertReadMarket(p, m.region_id, m.id);
  return (await repo.listTerminals(deps.knex, m.region_id, m.id)).map(repo.fromRow);
}

export async function patchTerminal(
  deps: Deps,
  p: Principal,
  terminalId: string,
  input: PatchTerminal,
): Promise<Terminal> {
  const t = await repo.findTerminal(deps.knex, terminalId);
  if (!t) throw notFound('terminal');
  assertManageRegion(p, t.region_id);
  const secretHash = input.secret === undefined ? undefined : await hashSecret(input.secret);
  return repo.fromRow(await repo.updateTerminal(deps.knex, t, { active: input.active, secretHash }));
}
