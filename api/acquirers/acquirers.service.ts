// Acquirers: a region's bank (or PJSP) contracts, one per channel.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { notFound } from '../core/errors';
import { openAcquirerAccounts } from '../ledger/accounts.service';
import { assertManageRegion, assertReadRegion } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { loadRegion } from '../regions/regions.service';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Acquirer, CreateAcquirer, PatchAcquirer, SnapCredentials, SnapSettingsInput } from './acquirers.schemas';
import * as repo from './acquirers.repository';
import type { Db } from '../../db/knex';

const constraints = {
  // Unique across the deployment: banks address their notifications by this code.
  acquirers_code_key: () => fieldError(409, 'duplicate-code', 'code', 'an acquirer with this code already exists'),
  acquirers_snap_settings: () =>
    fieldError(422, 'snap-settings-required', 'snap', 'a snap acquirer needs its snap settings and the qris channel'),
};

/** The acquirer row (undefined when there is none), read in the caller's transaction. */
export const findAcquirerIn = (db: Db, acquirerId: string) => repo.findAcquirer(db, acquirerId);

export async function loadAcquirer(deps: Deps, acquirerId: string): Promise<repo.AcquirerRow> {
  const row = await repo.findAcquirer(deps.knex, acquirerId);
  if (!row) throw notFound('acquirer');
  return row;
}

export async function listAcquirers(deps: Deps, p: Principal, regionId: string): Promise<Acquirer[]> {
  await loadRegion(deps, regionId);
  assertReadRegion(p, regionId);
  const rows = await repo.listAcquirers(deps.knex, regionId);
  const rates = await repo.mdrRatesOf(
    deps.knex,
    regionId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => repo.fromRow(r, rates.get(r.id) ?? []));
}

export async function getAcquirer(deps: Deps, p: Principal, acquirerId: string): Promise<Acquirer> {
  const a = await loadAcquirer(deps, acquirerId);
  assertReadRegion(p, a.region_id);
  return view(deps, a);
}

/** The acquirer and its clearing account in one transaction. */
export async function createAcquirer(
  deps: Deps,
  p: Principal,
  regionId: string,
  input: CreateAcquirer,
): Promise<Acquirer> {
  await loadRegion(deps, regionId);
  assertManageRegion(p, regionId);
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const snap = input.snap ? snapColumns(input.snap, null) : undefined;
        const created = await repo.insertAcquirer(trx, regionId, input, snap);
        await repo.replaceMdrRates(trx, regionId, created.id, input.mdrRates);
        await openAcquirerAccounts(trx, regionId, created.id, created.code);
        return created;
      }),
    constraints,
  );
  return view(deps, row);
}

export async function patchAcquirer(
  deps: Deps,
  p: Principal,
  acquirerId: string,
  input: PatchAcquirer,
): Promise<Acquirer> {
  const a = await loadAcquirer(deps, acquirerId);
  assertManageRegion(p, a.region_id);
  if (a.channel === 'qris') {
    for (const field of ['merchantName', 'merchantCity'] as const) {
      if (input[field] === null)
        throw fieldError(422, 'required-for-qris', field, 'a qris acquirer needs it for its QRIS payload');
    }
  }
  const row = await guarded(
    () =>
      deps.knex.transaction(async (trx) => {
        const snap = input.snap ? snapColumns(input.snap, a) : undefined;
        const updated = await repo.updateAcquirer(trx, a, input, snap);
        if (input.mdrRates) await repo.replaceMdrRates(trx, a.region_id, a.id, input.mdrRates);
        return updated;
      }),
    constraints,
  );
  return view(deps, row);
}

async function view(deps: Deps, row: repo.AcquirerRow): Promise<Acquirer> {
  const rates = await repo.mdrRatesOf(deps.knex, row.region_id, [row.id]);
  return repo.fromRow(row, rates.get(row.id) ?? []);
}

/**
 * The SNAP settings as stored: the secrets in their own columns. A secret left out of a change
 * keeps its stored value; with no private key at all the product makes an RSA-2048 pair (the bank
 * only ever needs the public half, which the settings show).
 */
function snapColumns(input: SnapSettingsInput, current: repo.AcquirerRow | null): repo.SnapColumns {
  const { clientSecret, privateKey: given, ...settings } = input;
  const privateKey = given ?? current?.snap_private_key ?? newPrivateKey();
  const ourPublicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    snap: { ...settings, ourPublicKey },
    snap_private_key: privateKey,
    snap_client_secret: clientSecret ?? current?.snap_client_secret ?? null,
  };
}

function newPrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * A SNAP acquirer's settings WITH its secrets, for the server's own calls to the bank and its
 * checks of the bank's calls; undefined when the acquirer does not speak SNAP. Never answer a
 * client with it.
 */
export async function snapSettingsOf(db: Db, acquirerId: string): Promise<SnapCredentials | undefined> {
  const row = await repo.findAcquirer(db, acquirerId);
  return row ? snapCredentialsOf(row) : undefined;
}

/** The SNAP acquirer a bank's call names by its code, with its secrets; undefined when none. */
export async function snapAcquirerByCode(db: Db, code: string): Promise<SnapCredentials | undefined> {
  const row = await repo.findQrisAcquirerByCode(db, code);
  return row ? snapCredentialsOf(row) : undefined;
}

/** The same, from an acquirer row already read. */
export function snapCredentialsOf(row: repo.AcquirerRow): SnapCredentials | undefined {
  if (row.protocol !== 'snap' || !row.snap || !row.snap_private_key) return undefined;
  return {
    acquirerId: row.id,
    regionId: row.region_id,
    code: row.code,
    settings: row.snap,
    clientSecret: row.snap_client_secret,
    privateKey: row.snap_private_key,
  };
}
