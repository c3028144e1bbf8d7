// The product as a SNAP client of its QRIS acquirer (../shared/conformance/SNAP_QRIS.md §1–§5):
// a B2B token kept until shortly before it expires, each call signed as the acquirer agreed
// (symmetric HMAC-SHA512 with the token, or asymmetric SHA256withRSA without one), a timeout per
// attempt and a few retries for network errors and 5xx with the SAME X-EXTERNAL-ID, so the bank
// can tell a retry from a new request.
import { randomInt } from 'node:crypto';
import { AppError } from '../core/errors';
import type { SnapCredentials } from '../acquirers/acquirers.schemas';
import { signAsymmetric, signSymmetric, tokenStringToSign, transactionStringToSign } from '../snap/signature';

/** What the client needs of an acquirer: its settings and its two secrets (api/acquirers). */
export type SnapAcquirer = SnapCredentials;

export interface SnapCallOptions {
  now: () => Date;
  timeoutMs: number;
  retries: number;
  /** Keeps what the bank answered, as it came, before anything acts on it (snap_answers). */
  archive?: (service: string, answer: SnapAnswer) => Promise<void>;
}

/** SNAP service codes of the calls the product makes (§6). */
const SERVICE_OF: Record<string, string> = { '/v1.0/qr/qr-mpm-generate': '47', '/v1.0/qr/qr-mpm-query': '51' };

export interface SnapAnswer {
  httpStatus: number;
  /** responseCode as a string, whether the bank sent a string or a number (§5). */
  responseCode: string;
  body: Record<string, unknown>;
  /** The body exactly as the bank sent it (archived when it reports a payment). */
  raw: string;
  externalId: string;
}

/** The bank could not be reached, or answered something other than success. */
export class SnapCallError extends AppError {
  constructor(
    code: 'acquirer-unavailable' | 'acquirer-refused',
    message: string,
    readonly answer?: { httpStatus: number; responseCode?: string; responseMessage?: string },
  ) {
    super(502, code, message, answer);
  }
}

/** X-TIMESTAMP as SNAP wants it: Jakarta local time, `YYYY-MM-DDTHH:mm:ss+07:00` (no DST there). */
export function snapTimestamp(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

/** Digits, unique per day: the Jakarta date-time to the second and 10 random digits (24 chars). */
export function newExternalId(at: Date): string {
  const stamp = snapTimestamp(at).slice(0, 19).replace(/\D/g, '');
  return `${stamp}${String(randomInt(0, 1e10)).padStart(10, '0')}`;
}

// Tokens per acquirer, in this process (a restart fetches a new one). Keyed by the settings that
// make a token valid, so changing the client id or the bank's address never reuses an old one.
const tokens = new Map<string, { token: string; expiresAtMs: number }>();
/** Refreshed this long before the bank says it expires: the clocks and the request may lag. */
const TOKEN_MARGIN_MS = 60_000;

const tokenKey = (a: SnapAcquirer) => `${a.acquirerId}|${a.settings.baseUrl ?? ''}|${a.settings.clientId}`;

/** Forgets every cached token (tests; a rotated key). */
export function forgetSnapTokens(): void {
  tokens.clear();
}

function urlOf(a: SnapAcquirer, path: string): string {
  if (!a.settings.baseUrl) throw new SnapCallError('acquirer-unavailable', 'the SNAP acquirer has no baseUrl to call');
  return `${a.settings.baseUrl.replace(/\/+$/, '')}${path}`;
}

/** Seconds as the bank sent them: "900", 900 or "899" (§1.5); undefined when unusable. */
function expiresInMs(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

async function b2bToken(a: SnapAcquirer, o: SnapCallOptions, fresh = false): Promise<string> {
  const key = tokenKey(a);
  const cached = tokens.get(key);
  if (!fresh && cached && cached.expiresAtMs > o.now().getTime()) return cached.token;
  if (!a.privateKey) throw new SnapCallError('acquirer-unavailable', 'no private key is configured for this acquirer');
  const path = `${a.settings.pathPrefix}/v1.0/access-token/b2b`;
  const timestamp = snapTimestamp(o.now());
  const body = JSON.stringify({ grantType: 'client_credentials', additionalInfo: {} });
  const headers = {
    'content-type': 'application/json',
    'x-timestamp': timestamp,
    'x-client-key': a.settings.clientId,
    'x-signature': signAsymmetric(
      a.privateKey,
      tokenStringToSign(a.settings.clientId, timestamp),
      a.settings.signatureEncoding,
    ),
  };
  const answer = await send(urlOf(a, path), headers, body, o, '');
  const token = answer.body.accessToken;
  if (answer.httpStatus !== 200 || typeof token !== 'string' || !token)
    throw refused('the acquirer refused our access token request', answer);
  // A missing or odd expiresIn: SNAP's standard 900 s.
  const lifetime = expiresInMs(answer.body.expiresIn) ?? 900_000;
  const margin = Math.min(TOKEN_MARGIN_MS, lifetime / 10);
  tokens.set(key, { token, expiresAtMs: o.now().getTime() + lifetime - margin });
  return token;
}

/**
 * POSTs a signed transaction (generate 47, query 51) to {baseUrl}{pathPrefix}{path}. A 401xx01
 * (invalid or expired token) gets one new token and one more try.
 */
export async function snapTransaction(
  a: SnapAcquirer,
  servicePath: string,
  payload: object,
  o: SnapCallOptions,
  externalId = newExternalId(o.now()),
): Promise<SnapAnswer> {
  const path = `${a.settings.pathPrefix}${servicePath}`;
  // Marshalled once: the bytes signed are the bytes sent (§2.4).
  const body = JSON.stringify(payload);
  const attempt = async (fresh: boolean) => {
    const symmetric = a.settings.transactionScheme === 'symmetric';
    const token = symmetric ? await b2bToken(a, o, fresh) : undefined;
    const headersAt = (timestamp: string) => {
      const toSign = transactionStringToSign({ method: 'POST', path, accessToken: token, body, timestamp });
      let signature: string;
      if (symmetric) {
        if (!a.clientSecret)
          throw new SnapCallError('acquirer-unavailable', 'no client secret is configured for this acquirer');
        signature = signSymmetric(a.clientSecret, toSign, a.settings.signatureEncoding);
      } else {
        if (!a.privateKey)
          throw new SnapCallError('acquirer-unavailable', 'no private key is configured for this acquirer');
        signature = signAsymmetric(a.privateKey, toSign, a.settings.signatureEncoding);
      }
      return {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'x-timestamp': timestamp,
        'x-signature': signature,
        'x-partner-id': a.settings.partnerId,
        'x-external-id': externalId,
        'channel-id': a.settings.channelId,
      };
    };
    return send(urlOf(a, path), headersAt, body, o, externalId);
  };
  let answer = await attempt(false);
  if (
    answer.httpStatus === 401 &&
    /^401\d\d01$/.test(answer.responseCode) &&
    a.settings.transactionScheme === 'symmetric'
  )
    answer = await attempt(true);
  await o.archive?.(SERVICE_OF[servicePath] ?? '00', answer);
  return answer;
}

type Headers = Record<string, string>;

/** One request with its retries. Headers may be made per attempt (a fresh X-TIMESTAMP). */
async function send(
  url: string,
  headers: Headers | ((timestamp: string) => Headers),
  body: string,
  o: SnapCallOptions,
  externalId: string,
): Promise<SnapAnswer> {
  let lastProblem = '';
  for (let i = 0; i <= o.retries; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (i - 1)));
    const h = typeof headers === 'function' ? headers(snapTimestamp(o.now())) : headers;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: h, body, signal: AbortSignal.timeout(o.timeoutMs) });
    } catch (err) {
      lastProblem = (err as Error).name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : String(err);
      continue;
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500) {
      lastProblem = `HTTP ${res.status}`;
      continue;
    }
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      throw new SnapCallError('acquirer-refused', `the acquirer answered HTTP ${res.status} without JSON`, {
        httpStatus: res.status,
      });
    }
    const code = json.responseCode;
    return {
      httpStatus: res.status,
      responseCode: typeof code === 'number' || typeof code === 'string' ? String(code) : '',
      body: json,
      raw: text,
      externalId,
    };
  }
  throw new SnapCallError('acquirer-unavailable', `the acquirer could not be reached: ${lastProblem}`);
}

/** The answer as an error naming the bank's code and message. */
export function refused(what: string, answer: SnapAnswer): SnapCallError {
  const message = typeof answer.body.responseMessage === 'string' ? answer.body.responseMessage : undefined;
  return new SnapCallError('acquirer-refused', `${what}: ${answer.responseCode || `HTTP ${answer.httpStatus}`}`, {
    httpStatus: answer.httpStatus,
    responseCode: answer.responseCode || undefined,
    responseMessage: message,
  });
}

/** Success is the HTTP status AND the responseCode (§5: HTTP(3) + service(2) + "00"). */
export const succeeded = (answer: SnapAnswer, service: string) =>
  answer.httpStatus === 200 && answer.responseCode === `200${service}00`;
