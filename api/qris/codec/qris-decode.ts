// Decodes a QRIS / EMVCo merchant-presented payload. Structure and integrity are enforced here
// (every length, tag 00 first, tag 63 last, the CRC); QRIS business rules such as "an NMID must be
// present" are in qris-validate.ts, because real, payable codes break some of them and a caller
// may want to read such a code before deciding what to do with it.
import { crc16Hex } from './crc16';
import { QrisDecodeError } from './qris-errors';
import type { AdditionalData, DecodedQris, MerchantAccount, NationalMerchant, PointOfInitiation } from './qris-types';
import { parseTlv, type TlvField } from './tlv';

const CRC_HEX = /^[0-9A-Fa-f]{4}$/;

const POINT_OF_INITIATION: Record<string, PointOfInitiation> = { '11': 'static', '12': 'dynamic' };

const ADDITIONAL_DATA_NAMES = {
  '01': 'billNumber',
  '02': 'mobileNumber',
  '03': 'storeLabel',
  '04': 'loyaltyNumber',
  '05': 'referenceLabel',
  '06': 'customerLabel',
  '07': 'terminalLabel',
  '08': 'purpose',
  '09': 'consumerDataRequest',
} as const satisfies Record<string, keyof AdditionalData>;

/**
 * Decodes and checks a payload. Throws only QrisDecodeError, whatever the input: a scanned
 * sticker or a bank's notification can hold anything.
 */
export function decodeQris(payload: unknown): DecodedQris {
  if (typeof payload !== 'string') {
    throw new QrisDecodeError(
      'not-a-string',
      `a QRIS payload is a string, not ${payload === null ? 'null' : typeof payload}`,
    );
  }
  const chars = Array.from(payload);
  const fields = parseTlv(chars, 0, chars.length);
  const crc = checkFrame(fields);
  checkCrc(payload, crc);
  checkFormatIndicators(fields);
  return describe(payload, fields, crc.value);
}

/** Tag 00 opens the payload and tag 63, 4 characters long, closes it (EMVCo MPM §4.3). */
function checkFrame(fields: TlvField[]): TlvField {
  if (fields[0]?.tag !== '00') {
    throw new QrisDecodeError(
      'missing-tag',
      'tag 00 (payload format indicator) must come first',
      fields[0]?.offset ?? 0,
      '00',
    );
  }
  const crcIndex = fields.findIndex((f) => f.tag === '63');
  if (crcIndex < 0) throw new QrisDecodeError('missing-tag', 'tag 63 (CRC) is missing', undefined, '63');
  const crc = fields[crcIndex];
  if (crcIndex !== fields.length - 1) {
    const next = fields[crcIndex + 1];
    throw new QrisDecodeError(
      'crc-not-last',
      `tag 63 (CRC) must be last, but tag ${next.tag} follows it`,
      next.offset,
      next.tag,
    );
  }
  if (crc.length !== 4) {
    throw new QrisDecodeError('bad-length', `tag 63 (CRC) must be 4 characters, not ${crc.length}`, crc.offset, '63');
  }
  return crc;
}

function checkCrc(payload: string, crc: TlvField): void {
  if (!CRC_HEX.test(crc.value)) {
    throw new QrisDecodeError('bad-crc', `tag 63 must be 4 hex digits, not "${crc.value}"`, crc.offset, '63');
  }
  // The CRC covers everything before its own value, "6304" included. Its 4 hex characters are
  // ASCII, so cutting 4 UTF-16 units off the end is exact.
  const computed = crc16Hex(payload.slice(0, -4));
  // Compared case-insensitively: some generators write lowercase hex, which is the same number.
  if (computed !== crc.value.toUpperCase()) {
    throw new QrisDecodeError('bad-crc', `CRC is ${crc.value} but the payload gives ${computed}`, crc.offset, '63');
  }
}

function checkFormatIndicators(fields: TlvField[]): void {
  const format = fields[0];
  if (format.value !== '01') {
    throw new QrisDecodeError('bad-format', `tag 00 must be "01", not "${format.value}"`, format.offset, '00');
  }
  const initiation = fields.find((f) => f.tag === '01');
  if (initiation && !POINT_OF_INITIATION[initiation.value]) {
    throw new QrisDecodeError(
      'bad-format',
      `tag 01 must be 11 (static) or 12 (dynamic), not "${initiation.value}"`,
      initiation.offset,
      '01',
    );
  }
}

function describe(payload: string, fields: TlvField[], crc: string): DecodedQris {
  const byTag = new Map(fields.map((f) => [f.tag, f]));
  const text = (tag: string) => byTag.get(tag)?.value;
  const initiation = text('01');
  const national = byTag.get('51');
  const additional = byTag.get('62');
  return {
    payload,
    payloadFormat: fields[0].value,
    pointOfInitiation: initiation ? POINT_OF_INITIATION[initiation] : undefined,
    merchantAccounts: fields.filter((f) => isMerchantAccountTag(f.tag)).map(merchantAccount),
    nationalMerchant: national ? nationalMerchant(national) : undefined,
    mcc: text('52'),
    currency: text('53'),
    amount: text('54'),
    tipIndicator: text('55'),
    convenienceFeeFixed: text('56'),
    convenienceFeePercentage: text('57'),
    country: text('58'),
    merchantName: text('59'),
    merchantCity: text('60'),
    postalCode: text('61'),
    additionalData: additional ? additionalData(additional) : { raw: {} },
    crc,
    tags: fields.map((f) => f.tag),
    fields,
  };
}

/** 26-45 are per-acquirer accounts. 51 is the national repository and is reported on its own. */
function isMerchantAccountTag(tag: string): boolean {
  const id = Number(tag);
  return id >= 26 && id <= 45;
}

function subFields(template: TlvField): Record<string, string> {
  return Object.fromEntries((template.children ?? []).map((c) => [c.tag, c.value]));
}

function merchantAccount(template: TlvField): MerchantAccount {
  const raw = subFields(template);
  return {
    tag: template.tag,
    globalId: raw['00'],
    merchantPan: raw['01'],
    merchantId: raw['02'],
    criteria: raw['03'],
    raw,
  };
}

function nationalMerchant(template: TlvField): NationalMerchant {
  const raw = subFields(template);
  return { globalId: raw['00'], nmid: raw['02'], criteria: raw['03'], raw };
}

function additionalData(template: TlvField): AdditionalData {
  const raw = subFields(template);
  const named: Partial<AdditionalData> = {};
  for (const [subTag, name] of Object.entries(ADDITIONAL_DATA_NAMES)) {
    if (raw[subTag] !== undefined) named[name] = raw[subTag];
  }
  return { ...named, raw };
}
