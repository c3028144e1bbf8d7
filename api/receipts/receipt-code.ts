import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O or U, so a code read aloud or typed from a karcis is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 characters, 80 random bits: a receipt cannot be found by guessing or counting. */
export function newReceiptCode(): string {
  const bytes = randomBytes(10);
  let bits = 0,
    value = 0,
    out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function isReceiptCode(code: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code);
}

/** A code as a person may type it from the karcis: any case, spaces or dashes between groups,
 * and the letters Crockford's alphabet leaves out read as the digits they look like (O as 0,
 * I and L as 1). What comes out is checked with isReceiptCode. */
export function normalizeReceiptCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}
