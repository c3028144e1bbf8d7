// A QRIS acquirer's SNAP side, for tests: a real HTTP server (node:http) answering
// /v1.0/access-token/b2b, /v1.0/qr/qr-mpm-generate and /v1.0/qr/qr-mpm-query as a bank would. It
// checks OUR signatures with node:crypto written here again (not api/snap), so a mistake in the
// product's signing cannot hide behind the same mistake in the test.
import { createHash, createHmac, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { encodeDynamicQris } from '../../api/qris/codec/qris-codec';

export interface SnapBankOptions {
  clientId?: string;
  clientSecret?: string;
  pathPrefix?: string;
  /** expiresIn as the bank sends it: "900" (ASPI), 3600 (a number, as one BRI library does). */
  expiresIn?: string | number;
  nmid?: string;
}

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  answer: { status: number; body: Record<string, unknown> };
}

interface BankTxn {
  referenceNo: string;
  partnerReferenceNo: string;
  amount: string;
  status: '00' | '03';
  paidTime?: string;
  rrn?: string;
}

export interface SnapBank {
  url: string;
  clientId: string;
  clientSecret: string;
  pathPrefix: string;
  nmid: string;
  /** Our key pair for this acquirer: the product holds the private key, the bank the public one. */
  ourPrivateKey: string;
  ourPublicKey: string;
  bankPublicKey: string;
  received: Received[];
  tokensIssued: () => number;
  /** The customer pays the code: the bank knows, and tells nobody until asked. */
  pay: (partnerReferenceNo: string, rrn?: string) => BankTxn;
  txnOf: (partnerReferenceNo: string) => BankTxn | undefined;
  /** Every token issued so far stops being valid (401xx01 on the next call). */
  expireTokens: () => void;
  /** The next n transaction calls answer this HTTP status (a 5xx outage) without doing anything. */
  failNext: (n: number, status?: number) => void;
  /** The next generate answers with this qrContent (e.g. a bad CRC). */
  nextQrContent: (mutate: (good: string) => string) => void;
  close: () => Promise<void>;
}

const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

/** Hex SHA-256 of the minified body; our bodies are JSON.stringify output, already minified. */
const digest = (raw: string) =>
  createHash('sha256')
    .update(raw === '' ? '' : JSON.stringify(JSON.parse(raw)))
    .digest('hex');

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

export async function startSnapBank(o: SnapBankOptions = {}): Promise<SnapBank> {
  const ours = keyPair();
  const bank = keyPair();
  const clientId = o.clientId ?? `client-${randomBytes(4).toString('hex')}`;
  const clientSecret = o.clientSecret ?? randomBytes(24).toString('hex');
  const prefix = o.pathPrefix ?? '';
  const nmid = o.nmid ?? 'ID1023271450331';
  const tokens = new Set<string>();
  let issued = 0;
  let failures: { n: number; status: number } = { n: 0, status: 503 };
  let mutateQr: ((good: string) => string) | undefined;
  const txns = new Map<string, BankTxn>(); // by partnerReferenceNo
  const received: Received[] = [];

  const answer = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
    status: Number(code.slice(0, 3)),
    body: { responseCode: code, responseMessage: message, ...extra },
  });

  function token(h: Record<string, string>) {
    const ts = h['x-timestamp'] ?? '';
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/.test(ts)) return answer('4007301', 'Invalid Timestamp Format');
    const ok =
      h['x-client-key'] === clientId &&
      createVerify('RSA-SHA256')
        .update(`${clientId}|${ts}`)
        .verify(ours.publicKey, Buffer.from(h['x-signature'] ?? '', 'base64'));
    if (!ok) return answer('4017300', 'Unauthorized. Invalid Signature');
    const accessToken = randomBytes(24).toString('base64url');
    tokens.add(accessToken);
    issued++;
    return answer('2007300', 'Successful', { accessToken, tokenType: 'Bearer', expiresIn: o.expiresIn ?? '900' });
  }

  /** The symmetric transaction signature (§2.1), checked; undefined when it holds. */
  function unauthorized(service: string, path: string, h: Record<string, string>, raw: string) {
    const bearer = /^Bearer (.+)$/.exec(h.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return answer(`401${service}01`, 'Invalid Token (B2B)');
    const toSign = `POST:${path}:${bearer}:${digest(raw)}:${h['x-timestamp']}`;
    const expected = createHmac('sha512', clientSecret).update(toSign).digest('base64');
    if (h['x-signature'] !== expected) return answer(`401${service}00`, 'Unauthorized. Invalid Signature');
    for (const name of ['x-partner-id', 'x-external-id', 'channel-id'])
      if (!h[name]) return answer(`400${service}02`, `Invalid Mandatory Field ${name}`);
    if (!/^\d{1,36}$/.test(h['x-external-id'])) return answer(`400${service}01`, 'Invalid Field Format X-EXTERNAL-ID');
    return undefined;
  }

  function generate(body: Record<string, unknown>) {
    const amount = (body.amount as { value?: string } | undefined)?.value ?? '';
    const partnerReferenceNo = String(body.partnerReferenceNo ?? '');
    const referenceNo = `A${Date.now()}${randomBytes(3).toString('hex')}`;
    txns.set(partnerReferenceNo, { referenceNo, partnerReferenceNo, amount, status: '03' });
    const good = encodeDynamicQris({
      merchantAccount: { globalId: 'ID.CO.BANKUJI.WWW', merchantId: nmid, criteria: 'URE' },
      nmid,
      mcc: '9399',
      merchantName: 'RETRIBUSI PASAR UJI',
      merchantCity: 'MAGELANG',
      amount,
      billNumber: partnerReferenceNo,
      referenceLabel: partnerReferenceNo,
      terminalLabel: String(body.terminalId ?? 'T1'),
    });
    const qrContent = mutateQr ? mutateQr(good) : good;
    mutateQr = undefined;
    return answer('2004700', 'Successful', { referenceNo, partnerReferenceNo, qrContent });
  }

  function query(body: Record<string, unknown>) {
    const t = [...txns.values()].find(
      (x) => x.referenceNo === body.originalReferenceNo || x.partnerReferenceNo === body.originalPartnerReferenceNo,
    );
    if (!t) return answer('4045101', 'Transaction Not Found');
    return answer('2005100', 'Successful', {
      originalReferenceNo: t.referenceNo,
      originalPartnerReferenceNo: t.partnerReferenceNo,
      serviceCode: body.serviceCode,
      latestTransactionStatus: t.status,
      transactionStatusDesc: t.status === '00' ? 'Success' : 'Pending',
      ...(t.paidTime ? { paidTime: t.paidTime } : {}),
      amount: { value: t.amount, currency: 'IDR' },
      additionalInfo: t.rrn ? { rrn: t.rrn, issuerName: 'DANA' } : {},
    });
  }

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const path = req.url ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {}
    let out: { status: number; body: Record<string, unknown> };
    if (path === `${prefix}/v1.0/access-token/b2b`) out = token(h);
    else if (failures.n > 0) {
      failures.n--;
      out = { status: failures.status, body: { responseCode: `${failures.status}0000`, responseMessage: 'down' } };
    } else if (path === `${prefix}/v1.0/qr/qr-mpm-generate`) out = unauthorized('47', path, h, raw) ?? generate(body);
    else if (path === `${prefix}/v1.0/qr/qr-mpm-query`) out = unauthorized('51', path, h, raw) ?? query(body);
    else out = { status: 404, body: { responseCode: '4040000', responseMessage: 'no such path' } };
    received.push({ path, headers: h, body, answer: out });
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    pathPrefix: prefix,
    nmid,
    ourPrivateKey: ours.privateKey,
    ourPublicKey: ours.publicKey,
    bankPublicKey: bank.publicKey,
    received,
    tokensIssued: () => issued,
    pay(partnerReferenceNo, rrn = `${Date.now()}`.slice(-12)) {
      const t = txns.get(partnerReferenceNo);
      if (!t) throw new Error(`the bank never generated ${partnerReferenceNo}`);
      Object.assign(t, { status: '00', paidTime: `${new Date().toISOString().slice(0, 19)}Z`, rrn });
      return t;
    },
    txnOf: (ref) => txns.get(ref),
    expireTokens: () => tokens.clear(),
    failNext: (n, status = 503) => {
      failures = { n, status };
    },
    nextQrContent: (mutate) => {
      mutateQr = mutate;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Makes a region's QRIS acquirer speak SNAP to this bank (generates = 'acquirer', symmetric). */
export async function connectAcquirer(
  db: Knex,
  acquirerId: string,
  bank: SnapBank,
  o: Partial<{ generates: 'acquirer' | 'merchant'; nmid: string | null }> = {},
) {
  await db('acquirers')
    .where({ id: acquirerId })
    .update({
      protocol: 'snap',
      ...(o.nmid !== undefined ? { nmid: o.nmid } : {}),
      snap: JSON.stringify({
        clientId: bank.clientId,
        partnerId: 'PARTNER01',
        channelId: '95221',
        baseUrl: bank.url,
        pathPrefix: bank.pathPrefix,
        signatureEncoding: 'base64',
        notifyScheme: 'asymmetric',
        transactionScheme: 'symmetric',
        generates: o.generates ?? 'acquirer',
        merchantId: 'M0001',
        queryServiceCode: '47',
        bankPublicKey: bank.bankPublicKey,
        ourPublicKey: bank.ourPublicKey,
      }),
      snap_client_secret: bank.clientSecret,
      snap_private_key: bank.ourPrivateKey,
    });
}
