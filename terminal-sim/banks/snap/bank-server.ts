// The simulated QRIS acquirer's own SNAP API (SNAP_QRIS.md §1, §4.1, §4.2), on a port of its own:
// the product fetches a B2B token, asks it to generate a dynamic code and asks the status of a
// code. The bank checks the product's signatures as a bank would: the token request with the
// public key the product showed (snap.ourPublicKey), each transaction with HMAC-SHA512 over the
// token (symmetric) or with that public key (asymmetric). What it answers comes from its own
// books: the codes it generated and the ones a trader's app paid.
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeDynamicQris } from '../../../api/qris/codec/qris-codec';
import {
  hmacVerify,
  parseSnapTimestamp,
  rsaVerify,
  snapTimestamp,
  tokenString,
  transactionString,
  type SnapEncoding,
} from './signature';

export interface BankMerchant {
  nmid: string;
  merchantName: string;
  merchantCity: string;
  mcc: string;
}

export interface SnapBankSettings {
  /** The product's client id at the bank (X-CLIENT-KEY) and its HMAC key */
  clientId: string;
  clientSecret: string;
  pathPrefix: string;
  encoding: SnapEncoding;
  merchant: BankMerchant;
}

/** A code the bank generated, and what happened to it. */
export interface BankCode {
  referenceNo: string;
  partnerReferenceNo: string;
  amount: string;
  paid?: { at: Date; rrn: string; issuer: string };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const TOKEN_SECONDS = 900;
const CLOCK_SKEW_MS = 5 * 60_000;

const fail = (status: number, service: string, kase: string, message: string): Answer => ({
  status,
  body: { responseCode: `${status}${service}${kase}`, responseMessage: message },
});

export class SnapBankServer {
  /** The product's public key, known once the product shows it (null until registration) */
  productPublicKey: string | null = null;
  readonly codes = new Map<string, BankCode>();
  private readonly byPartnerRef = new Map<string, BankCode>();
  /** Generate answers by X-EXTERNAL-ID: a retry gets the first answer, not a second code */
  private readonly generated = new Map<string, Answer>();
  private readonly tokens = new Map<string, number>();
  private server?: http.Server;
  private next = 0;
  /** Another run against the same database must not reuse this run's reference numbers */
  private readonly run = String(randomInt(0, 1e6)).padStart(6, '0');

  constructor(
    private readonly settings: SnapBankSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The trader's app paid the code with this reference (the payload's tag 62/05). */
  markPaid(partnerReferenceNo: string, paid: NonNullable<BankCode['paid']>): BankCode {
    const code = this.byPartnerRef.get(partnerReferenceNo);
    if (!code) throw new Error(`the bank generated no code for ${partnerReferenceNo}`);
    code.paid = paid;
    return code;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = this.route(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-timestamp': snapTimestamp(this.now()) });
      res.end(JSON.stringify(answer.body));
    });
  }

  private route(req: http.IncomingMessage, raw: string): Answer {
    const path = req.url ?? '';
    const p = this.settings.pathPrefix;
    if (req.method !== 'POST') return fail(405, '00', '00', 'Requested Function Is Not Supported');
    if (path === `${p}/v1.0/access-token/b2b`) return this.token(req, raw);
    const service = path === `${p}/v1.0/qr/qr-mpm-generate` ? '47' : path === `${p}/v1.0/qr/qr-mpm-query` ? '51' : '';
    if (!service) return fail(404, '00', '00', 'Not Found');
    const refused = this.checkTransaction(req, path, raw, service);
    if (refused) return refused;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, service, '00', 'Bad Request');
    }
    return service === '47' ? this.generate(String(req.headers['x-external-id']), body) : this.query(body);
  }

  private token(req: http.IncomingMessage, raw: string): Answer {
    const clientKey = String(req.headers['x-client-key'] ?? '');
    const ts = String(req.headers['x-timestamp'] ?? '');
    const signature = String(req.headers['x-signature'] ?? '');
    if (Number.isNaN(parseSnapTimestamp(ts))) return fail(400, '73', '01', 'Invalid Field Format X-TIMESTAMP');
    if (clientKey !== this.settings.clientId || !this.productPublicKey)
      return fail(401, '73', '00', 'Unauthorized. Unknown Client');
    if (!rsaVerify(this.productPublicKey, tokenString(clientKey, ts), signature, this.settings.encoding))
      return fail(401, '73', '00', 'Unauthorized. Invalid Signature');
    const grant = JSON.parse(raw || '{}') as { grantType?: string };
    if (grant.grantType !== 'client_credentials') return fail(400, '73', '02', 'Invalid Mandatory Field grantType');
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, this.now().getTime() + TOKEN_SECONDS * 1000);
    return {
      status: 200,
      body: {
        responseCode: '2007300',
        responseMessage: 'Successful',
        accessToken,
        tokenType: 'Bearer',
        expiresIn: String(TOKEN_SECONDS),
        additionalInfo: {},
      },
    };
  }

  /** Symmetric when a bearer token comes with the call, asymmetric (the product's RSA key) when none. */
  private checkTransaction(req: http.IncomingMessage, path: string, raw: string, service: string): Answer | undefined {
    const h = req.headers;
    for (const name of ['x-timestamp', 'x-signature', 'x-partner-id', 'x-external-id', 'channel-id']) {
      if (!h[name]) return fail(400, service, '02', `Invalid Mandatory Field ${name.toUpperCase()}`);
    }
    const ts = String(h['x-timestamp']);
    const at = parseSnapTimestamp(ts);
    if (Number.isNaN(at) || Math.abs(at - this.now().getTime()) > CLOCK_SKEW_MS)
      return fail(400, service, '01', 'Invalid Field Format X-TIMESTAMP');
    if (!/^\d{1,36}$/.test(String(h['x-external-id'])))
      return fail(400, service, '01', 'Invalid Field Format X-EXTERNAL-ID');
    const signature = String(h['x-signature']);
    const bearer = /^Bearer (.+)$/.exec(String(h.authorization ?? ''))?.[1];
    if (bearer !== undefined) {
      const expires = this.tokens.get(bearer);
      if (!expires || expires < this.now().getTime()) return fail(401, service, '01', 'Invalid Token (B2B)');
      const text = transactionString('POST', path, raw, ts, bearer);
      if (!hmacVerify(this.settings.clientSecret, text, signature, this.settings.encoding))
        return fail(401, service, '00', 'Unauthorized. Invalid Signature');
      return undefined;
    }
    const text = transactionString('POST', path, raw, ts);
    if (!this.productPublicKey || !rsaVerify(this.productPublicKey, text, signature, this.settings.encoding))
      return fail(401, service, '00', 'Unauthorized. Invalid Signature');
    return undefined;
  }

  private generate(externalId: string, body: Record<string, unknown>): Answer {
    const first = this.generated.get(externalId);
    if (first) return first;
    const partnerReferenceNo = body.partnerReferenceNo;
    const amount = (body.amount ?? {}) as { value?: unknown; currency?: unknown };
    if (typeof partnerReferenceNo !== 'string' || !/^[A-Za-z0-9-]{1,25}$/.test(partnerReferenceNo))
      return fail(400, '47', '02', 'Invalid Mandatory Field partnerReferenceNo');
    if (typeof amount.value !== 'string' || !/^\d{1,14}\.\d{2}$/.test(amount.value) || amount.currency !== 'IDR')
      return fail(400, '47', '01', 'Invalid Field Format amount');
    if (this.byPartnerRef.has(partnerReferenceNo)) return fail(409, '47', '01', 'Duplicate partnerReferenceNo');
    const terminalId = typeof body.terminalId === 'string' && body.terminalId ? body.terminalId : 'QRIS';
    const m = this.settings.merchant;
    const qrContent = encodeDynamicQris({
      merchantAccount: { globalId: 'ID.CO.QRIS.WWW', merchantId: m.nmid, criteria: 'URE' },
      nmid: m.nmid,
      mcc: m.mcc,
      merchantName: m.merchantName,
      merchantCity: m.merchantCity,
      amount: amount.value,
      billNumber: partnerReferenceNo,
      referenceLabel: partnerReferenceNo,
      terminalLabel: terminalId.slice(0, 25),
    });
    const code: BankCode = { referenceNo: this.referenceNo(), partnerReferenceNo, amount: amount.value };
    this.codes.set(code.referenceNo, code);
    this.byPartnerRef.set(partnerReferenceNo, code);
    const answer: Answer = {
      status: 200,
      body: {
        responseCode: '2004700',
        responseMessage: 'Successful',
        referenceNo: code.referenceNo,
        partnerReferenceNo,
        qrContent,
        merchantName: m.merchantName,
        terminalId,
        additionalInfo: {},
      },
    };
    this.generated.set(externalId, answer);
    return answer;
  }

  private query(body: Record<string, unknown>): Answer {
    const byRef = typeof body.originalReferenceNo === 'string' ? this.codes.get(body.originalReferenceNo) : undefined;
    const code =
      byRef ??
      (typeof body.originalPartnerReferenceNo === 'string'
        ? this.byPartnerRef.get(body.originalPartnerReferenceNo)
        : undefined);
    if (!code) return fail(404, '51', '01', 'Transaction Not Found');
    const common = {
      responseCode: '2005100',
      responseMessage: 'Successful',
      originalReferenceNo: code.referenceNo,
      originalPartnerReferenceNo: code.partnerReferenceNo,
      serviceCode: typeof body.serviceCode === 'string' ? body.serviceCode : '47',
    };
    if (!code.paid)
      return { status: 200, body: { ...common, latestTransactionStatus: '03', transactionStatusDesc: 'Pending' } };
    return {
      status: 200,
      body: {
        ...common,
        latestTransactionStatus: '00',
        transactionStatusDesc: 'Success',
        paidTime: snapTimestamp(code.paid.at),
        amount: { value: code.amount, currency: 'IDR' },
        additionalInfo: { rrn: code.paid.rrn, issuer: code.paid.issuer },
      },
    };
  }

  /** The bank's own transaction id: 22 digits, like the ASPI sample's. */
  private referenceNo(): string {
    const day = snapTimestamp(this.now()).slice(0, 10).replace(/-/g, '');
    return `${day}${this.run}${String(++this.next).padStart(8, '0')}`;
  }
}
