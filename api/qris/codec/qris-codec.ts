// The QRIS codec's public face: import from here, not from the files behind it. Everything in
// this folder is a pure function of its input (no express, no database, no clock), so services,
// jobs and the terminal simulator can all use it.
export { crc16CcittFalse, crc16Hex, qrisCrcFor } from './crc16';
export { QrisDecodeError, QrisEncodeError } from './qris-errors';
export type { QrisDecodeErrorCode, QrisFieldIssue } from './qris-errors';
export { decodeQris } from './qris-decode';
export { encodeDynamicQris, MERCHANT_CRITERIA, QRIS_NATIONAL_REPOSITORY_ID } from './qris-encode';
export { validateQris } from './qris-validate';
export type { QrisViolation, QrisViolationCode } from './qris-validate';
export type {
  AdditionalData,
  DecodedQris,
  EncodeDynamicQrisInput,
  MerchantAccount,
  NationalMerchant,
  PointOfInitiation,
} from './qris-types';
export type { TlvField } from './tlv';
export { qrPngDataUrl, qrSvg } from './qr-image';
export type { QrImageOptions } from './qr-image';
