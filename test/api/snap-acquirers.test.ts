// A SNAP acquirer's settings: its protocol is data, its two secrets go in and never come back out,
// and our key pair is made when the region brings none.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Express } from 'express';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import * as make from '../support/make';
import { admin, clientFor, type Client } from '../support/master-data-client';
import { snapSettingsOf } from '../../api/acquirers/acquirers.service';

let t: TestDb;
let app: Express;
let api: Client;
beforeAll(async () => {
  t = await freshDb();
  app = testApp(t.knex).app;
  api = clientFor(app, admin());
});
afterAll(() => t.drop());

const bank = generateKeyPairSync('rsa', { modulusLength: 2048 });
const bankPublicKey = bank.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const SECRET = 'snap-client-secret-0123456789';

const snapAcquirer = (snap: object = {}) => ({
  code: `snap-${Math.random().toString(36).slice(2, 8)}`,
  name: 'Bank SNAP',
  channel: 'qris',
  merchantName: 'RETRIBUSI PASAR',
  merchantCity: 'MAGELANG',
  nmid: 'ID1020012345678',
  protocol: 'snap',
  snap: {
    clientId: 'client-123',
    partnerId: 'partner-1',
    channelId: '95221',
    baseUrl: 'https://sandbox.bank.example',
    pathPrefix: '/snap',
    notifyScheme: 'asymmetric',
    generates: 'acquirer',
    bankPublicKey,
    clientSecret: SECRET,
    ...snap,
  },
});

test('a snap acquirer gets a key pair of ours; GET shows the public half and whether a secret is set, never a secret', async () => {
  const r = await make.region(t.knex);
  const res = await api.post(`/regions/${r.id}/acquirers`, snapAcquirer());
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    protocol: 'snap',
    hasClientSecret: true,
    snap: {
      clientId: 'client-123',
      partnerId: 'partner-1',
      channelId: '95221',
      baseUrl: 'https://sandbox.bank.example',
      pathPrefix: '/snap',
      signatureEncoding: 'base64',
      notifyScheme: 'asymmetric',
      transactionScheme: 'symmetric',
      generates: 'acquirer',
      queryServiceCode: '47',
      bankPublicKey,
      ourPublicKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
    },
  });
  const shown = JSON.stringify((await api.get(`/acquirers/${res.body.id}`)).body);
  expect(shown).not.toContain(SECRET);
  expect(shown).not.toContain('PRIVATE KEY');
  expect(shown).not.toMatch(/clientSecret|privateKey/);

  // The server's own view has both secrets, and the private key is the one ourPublicKey belongs to.
  const creds = await snapSettingsOf(t.knex, res.body.id);
  expect(creds?.clientSecret).toBe(SECRET);
  const derived = createPublicKey(createPrivateKey(creds?.privateKey ?? '')).export({ type: 'spki', format: 'pem' });
  expect(derived.toString()).toBe(res.body.snap.ourPublicKey);
  expect(createPrivateKey(creds?.privateKey ?? '').asymmetricKeyDetails?.modulusLength).toBe(2048);
});

test('a patch of the settings without the secrets keeps them and our key pair', async () => {
  const r = await make.region(t.knex);
  const created = (await api.post(`/regions/${r.id}/acquirers`, snapAcquirer())).body;
  const { clientSecret: _s, ...withoutSecret } = snapAcquirer().snap;
  const res = await api.patch(`/acquirers/${created.id}`, { snap: { ...withoutSecret, signatureEncoding: 'hex' } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ hasClientSecret: true, snap: { signatureEncoding: 'hex' } });
  expect(res.body.snap.ourPublicKey).toBe(created.snap.ourPublicKey);
  expect((await snapSettingsOf(t.knex, created.id))?.clientSecret).toBe(SECRET);
});

test('a private key given is kept and its public half shown', async () => {
  const r = await make.region(t.knex);
  const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = ours.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const res = await api.post(`/regions/${r.id}/acquirers`, snapAcquirer({ privateKey }));
  expect(res.body.snap.ourPublicKey).toBe(ours.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  expect((await snapSettingsOf(t.knex, res.body.id))?.privateKey).toBe(privateKey);
});

test('bad snap settings are refused naming the field: unknown field, a broken key, no base URL to ask, a card acquirer', async () => {
  const r = await make.region(t.knex);
  const unknown = await api.post(`/regions/${r.id}/acquirers`, snapAcquirer({ colour: 'red' }));
  expect(unknown.status).toBe(400);
  expect(JSON.stringify(unknown.body.error.details)).toContain('colour');
  const broken = await api.post(
    `/regions/${r.id}/acquirers`,
    snapAcquirer({ bankPublicKey: bankPublicKey.slice(0, 200) }),
  );
  expect(broken.body.error.details).toEqual([
    { field: 'snap.bankPublicKey', message: 'must be an RSA public key in PEM' },
  ]);
  const noBase = await api.post(`/regions/${r.id}/acquirers`, snapAcquirer({ baseUrl: undefined }));
  expect(noBase.body.error.details).toEqual([
    { field: 'snap.baseUrl', message: 'required when the acquirer generates the code' },
  ]);
  const card = await api.post(`/regions/${r.id}/acquirers`, { ...snapAcquirer(), channel: 'card' });
  expect(card.body.error.details).toContainEqual({ field: 'protocol', message: 'snap is for qris acquirers' });
  const missing = await api.post(`/regions/${r.id}/acquirers`, { ...snapAcquirer(), snap: undefined });
  expect(missing.body.error.details).toEqual([{ field: 'snap', message: 'required when protocol is snap' }]);
  expect(await snapSettingsOf(t.knex, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
});

test('a simple-hmac acquirer turned to snap without settings is refused', async () => {
  const r = await make.region(t.knex);
  const a = await make.acquirer(t.knex, r.id, { channel: 'qris' });
  const res = await api.patch(`/acquirers/${a.id}`, { protocol: 'snap' });
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'snap-settings-required' });
});
