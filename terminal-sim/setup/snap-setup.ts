// --qris-protocol snap: each region's QRIS acquirer becomes a SNAP bank. The bank makes its RSA key
// pair and starts its API on a free port; the officer registers the agreement on the acquirer
// through the public API (protocol 'snap' and its settings: the bank's public key, the client
// secret the bank issued, where the bank's API is); the product answers with the public key of its
// own pair (snap.ourPublicKey), which the bank then uses to check the product's signatures.
import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../http';
import { SnapBankServer } from '../banks/snap/bank-server';
import { newBankKeys, type SnapAgreement, type SnapKeys } from '../banks/snap/snap-acquirer';
import type { QrisAcquirerInfo, RegionInfo } from './world';

/** Prefixed like BRI's and Paydia's (/snap/v1.0/...): the prefix is part of the signed path. */
const PATH_PREFIX = '/snap';
/** The channel id in Midtrans' and ASPI's samples. */
const CHANNEL_ID = '95221';
/** The QRIS acquirer's MCC for a regional government's fees (the product's own default). */
const MCC = '9399';

export interface SnapBank {
  server: SnapBankServer;
  keys: SnapKeys;
  agreement: SnapAgreement;
}

interface AcquirerAnswer {
  protocol?: string;
  snap?: { ourPublicKey?: string } | null;
}

export async function connectSnapBanks(
  api: ApiClient,
  token: string,
  regions: RegionInfo[],
): Promise<Map<string, SnapBank>> {
  const banks = new Map<string, SnapBank>();
  try {
    for (const r of regions.filter((x) => x.qris)) banks.set(r.code, await connectOne(api, token, r, r.qris!));
  } catch (err) {
    await closeSnapBanks(banks);
    throw err;
  }
  return banks;
}

async function connectOne(api: ApiClient, token: string, r: RegionInfo, q: QrisAcquirerInfo): Promise<SnapBank> {
  if (!q.nmid || !q.merchantName || !q.merchantCity)
    throw new Error(`region ${r.code}: the QRIS acquirer has no NMID, merchant name and city for the bank's codes`);
  const clientId = `e-retribusi-${r.code.toLowerCase()}`;
  const clientSecret = randomBytes(24).toString('hex');
  const keys = newBankKeys();
  const agreement: SnapAgreement = { partnerId: clientId, channelId: CHANNEL_ID };
  const server = new SnapBankServer({
    clientId,
    clientSecret,
    pathPrefix: PATH_PREFIX,
    encoding: 'base64',
    merchant: { nmid: q.nmid, merchantName: q.merchantName, merchantCity: q.merchantCity, mcc: MCC },
  });
  const baseUrl = await server.start();
  try {
    const answer = await api.expect<AcquirerAnswer>(200, 'PATCH', `/api/v1/acquirers/${q.id}`, {
      token,
      json: {
        protocol: 'snap',
        snap: {
          clientId,
          partnerId: agreement.partnerId,
          channelId: CHANNEL_ID,
          baseUrl,
          pathPrefix: PATH_PREFIX,
          signatureEncoding: 'base64',
          notifyScheme: 'asymmetric',
          transactionScheme: 'symmetric',
          generates: 'acquirer',
          merchantId: q.nmid,
          bankPublicKey: keys.publicKey,
          clientSecret,
        },
      },
    });
    if (!answer.snap?.ourPublicKey) throw new Error(`region ${r.code}: the API showed no snap.ourPublicKey`);
    server.productPublicKey = answer.snap.ourPublicKey;
  } catch (err) {
    await server.close();
    throw err;
  }
  return { server, keys, agreement };
}

/**
 * A simple-hmac day after a SNAP one on the same database: the acquirer goes back to today's
 * protocol. An acquirer that never spoke SNAP is left alone (no request at all).
 */
export async function useSimpleHmac(api: ApiClient, token: string, regions: RegionInfo[]): Promise<void> {
  for (const q of regions.map((r) => r.qris).filter((x) => x?.protocol === 'snap')) {
    await api.expect(200, 'PATCH', `/api/v1/acquirers/${q!.id}`, { token, json: { protocol: 'simple-hmac' } });
    q!.protocol = 'simple-hmac';
  }
}

export async function closeSnapBanks(banks: Map<string, SnapBank>): Promise<void> {
  await Promise.all([...banks.values()].map((b) => b.server.close()));
}
