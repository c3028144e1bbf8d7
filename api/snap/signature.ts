// Bank Indonesia's SNAP signatures (../shared/conformance/SNAP_QRIS.md §1.4, §2). Pure functions
// over the exact strings and bytes that travel: the body is hashed as sent or as received, never
// re-serialised, because key order and escaping are the sender's.
import { createHash, createHmac, createSign, createVerify, timingSafeEqual } from 'node:crypto';

/** Base64 is what nearly every acquirer sends; BRI's QRIS clients and BJB send lowercase hex. */
export type SignatureEncoding = 'base64' | 'hex';

/**
 * "Minify" as SNAP means it: the whitespace between JSON tokens goes, whitespace inside string
 * values stays (DOKU's worked example keeps "  088899" and "Jokul Doe"). The text is otherwise
 * left as written: no key sorting, no re-escaping. An empty body stays empty.
 */
export function minifyJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c;
  }
  return out;
}

/** Lowercase hex SHA-256 of the minified body (of "" when there is none). */
export function bodyDigest(body: string | Buffer): string {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  return createHash('sha256').update(minifyJson(text), 'utf8').digest('hex');
}

/** The access-token string to sign: X-CLIENT-KEY + "|" + X-TIMESTAMP, byte for byte. */
export const tokenStringToSign = (clientKey: string, timestamp: string) => `${clientKey}|${timestamp}`;

/**
 * A transaction's string to sign: METHOD:path:[token:]digest:timestamp. The path is what follows
 * the host in the request line (query included); the token is the bare access token, without
 * "Bearer ", and only in the symmetric variant.
 */
export function transactionStringToSign(p: {
  method: string;
  path: string;
  accessToken?: string;
  body: string | Buffer;
  timestamp: string;
}): string {
  const parts = [p.method.toUpperCase(), p.path];
  if (p.accessToken !== undefined) parts.push(p.accessToken);
  parts.push(bodyDigest(p.body), p.timestamp);
  return parts.join(':');
}

/** HMAC-SHA512 with the client secret (the symmetric variant). */
export function signSymmetric(secret: string, stringToSign: string, encoding: SignatureEncoding = 'base64'): string {
  return createHmac('sha512', secret).update(stringToSign, 'utf8').digest(encoding);
}

/** SHA256withRSA (RSASSA-PKCS1-v1_5) with a PEM private key. */
export function signAsymmetric(privateKeyPem: string, stringToSign: string, encoding: SignatureEncoding = 'base64') {
  return createSign('RSA-SHA256').update(stringToSign, 'utf8').sign(privateKeyPem, encoding);
}

function decode(signature: string, encoding: SignatureEncoding): Buffer | undefined {
  const s = signature.trim();
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(s) ? Buffer.from(s, 'hex') : undefined;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64') : undefined;
}

/** True when the signature is the HMAC of the string; compared in constant time. */
export function verifySymmetric(
  secret: string,
  stringToSign: string,
  signature: string,
  encoding: SignatureEncoding = 'base64',
): boolean {
  const given = decode(signature, encoding);
  const expected = createHmac('sha512', secret).update(stringToSign, 'utf8').digest();
  return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
}

/** True when the signature verifies with the PEM public key. A malformed key or signature is false. */
export function verifyAsymmetric(
  publicKeyPem: string,
  stringToSign: string,
  signature: string,
  encoding: SignatureEncoding = 'base64',
): boolean {
  const given = decode(signature, encoding);
  if (!given) return false;
  try {
    return createVerify('RSA-SHA256').update(stringToSign, 'utf8').verify(publicKeyPem, given);
  } catch {
    return false;
  }
}

// SNAP's X-TIMESTAMP: yyyy-MM-ddTHH:mm:ss with optional milliseconds (BRI's docs) and a zone,
// +07:00 or Z (DOKU's samples). Anything else is not a SNAP timestamp.
const SNAP_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** The instant an X-TIMESTAMP names, or undefined when it is not one. */
export function parseSnapTimestamp(value: string): Date | undefined {
  if (!SNAP_TIMESTAMP.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An X-TIMESTAMP in Jakarta time, as Indonesian banks expect: 2024-01-01T10:00:00+07:00. */
export function snapTimestamp(instant: Date): string {
  const wib = new Date(instant.getTime() + 7 * 3600_000);
  return `${wib.toISOString().slice(0, 19)}+07:00`;
}
