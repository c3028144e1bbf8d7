// The simulated bank's side of Bank Indonesia's SNAP signatures (../shared/conformance/SNAP_QRIS.md
// §1.4, §2, §3.2, §3.3), written again from the reference with node:crypto. The simulator does not
// import the product's api/snap: two implementations that agree on the same bytes are a check of
// each other, one that shares the product's code would only agree with itself.
import { createHash, createHmac, createSign, createVerify, randomInt, timingSafeEqual } from 'node:crypto';

export type SnapEncoding = 'base64' | 'hex';

/**
 * SNAP's minify: whitespace between JSON tokens goes, whitespace inside string values stays
 * ("Jokul Doe" keeps its space). No re-serialising: key order and escaping are the sender's.
 */
export function minify(json: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (quoted) {
      out += c;
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** Lowercase hex SHA-256 of the minified body. */
export const digestOf = (body: string) => createHash('sha256').update(minify(body), 'utf8').digest('hex');

/** The B2B access-token string: X-CLIENT-KEY|X-TIMESTAMP. */
export const tokenString = (clientId: string, timestamp: string) => `${clientId}|${timestamp}`;

/** METHOD:path:[token:]digest:timestamp; the token only in the symmetric variant, without "Bearer ". */
export function transactionString(method: string, path: string, body: string, timestamp: string, token?: string) {
  return [method.toUpperCase(), path, ...(token === undefined ? [] : [token]), digestOf(body), timestamp].join(':');
}

export const hmacSign = (secret: string, text: string, encoding: SnapEncoding = 'base64') =>
  createHmac('sha512', secret).update(text, 'utf8').digest(encoding);

export const rsaSign = (privateKeyPem: string, text: string, encoding: SnapEncoding = 'base64') =>
  createSign('RSA-SHA256').update(text, 'utf8').sign(privateKeyPem, encoding);

export function hmacVerify(secret: string, text: string, signature: string, encoding: SnapEncoding = 'base64') {
  const given = Buffer.from(signature, encoding);
  const expected = createHmac('sha512', secret).update(text, 'utf8').digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function rsaVerify(publicKeyPem: string, text: string, signature: string, encoding: SnapEncoding = 'base64') {
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKeyPem, Buffer.from(signature, encoding));
  } catch {
    return false;
  }
}

const WIB_MS = 7 * 3_600_000;

/** X-TIMESTAMP as Indonesian banks send it: Jakarta wall-clock time, seconds, "+07:00". */
export function snapTimestamp(at: Date): string {
  return `${new Date(at.getTime() + WIB_MS).toISOString().slice(0, 19)}+07:00`;
}

/** The instant of an X-TIMESTAMP with a ±HH:MM offset or Z; NaN when it is not one. */
export function parseSnapTimestamp(ts: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(ts) ? Date.parse(ts) : Number.NaN;
}

/**
 * X-EXTERNAL-IDs: digits (the safe reading of "Numeric String", §3.3), unique per day for the
 * receiver. The Jakarta date, ten random digits for this bank process (a second run on the same
 * day against the same database must not collide with the first) and a counter: 26 digits.
 */
export class ExternalIds {
  private readonly run = String(randomInt(0, 1e10)).padStart(10, '0');
  private n = 0;

  next(at: Date = new Date()): string {
    const day = snapTimestamp(at).slice(0, 10).replace(/-/g, '');
    return `${day}${this.run}${String(++this.n).padStart(8, '0')}`;
  }
}
