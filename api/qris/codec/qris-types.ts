// What the decoder returns and the encoder takes. Money stays a decimal string here, exactly as
// written in the payload: tag 54 may be "50000" or "39000.00", and a JS number must never hold it.
import type Decimal from 'decimal.js';
import type { TlvField } from './tlv';

export type PointOfInitiation = 'static' | 'dynamic';

/** A merchant account template (tags 26-45), one per acquirer (PJP) that can route the payment. */
export interface MerchantAccount {
  tag: string;
  /** Sub 00, reverse-domain: "ID.CO.BCA.WWW", "COM.GO-JEK.WWW", "id.ovo" (case varies by bank). */
  globalId?: string;
  /** Sub 01: NNS "9360xxxx" + merchant number + Luhn digit. */
  merchantPan?: string;
  /** Sub 02: the merchant's ID at that acquirer. */
  merchantId?: string;
  /** Sub 03: UMI / UKE / UME / UBE / URE. */
  criteria?: string;
  /** Every sub-tag as written, including ones not named above. */
  raw: Record<string, string>;
}

/** Tag 51, the national merchant repository entry: where the NMID lives. */
export interface NationalMerchant {
  globalId?: string;
  /** Sub 02, e.g. "ID1020041698835". */
  nmid?: string;
  criteria?: string;
  raw: Record<string, string>;
}

/**
 * Tag 62. Sub-tags 10-99 (tax ID, channel, payment-system templates) are only in `raw`. A payload
 * without tag 62 gives an empty object (raw {}); `tags` says whether it was there.
 */
export interface AdditionalData {
  billNumber?: string;
  mobileNumber?: string;
  storeLabel?: string;
  loyaltyNumber?: string;
  referenceLabel?: string;
  customerLabel?: string;
  terminalLabel?: string;
  purpose?: string;
  consumerDataRequest?: string;
  raw: Record<string, string>;
}

export interface DecodedQris {
  /** The payload exactly as given. */
  payload: string;
  payloadFormat: string;
  pointOfInitiation?: PointOfInitiation;
  merchantAccounts: MerchantAccount[];
  nationalMerchant?: NationalMerchant;
  mcc?: string;
  currency?: string;
  /** Tag 54 as written, e.g. "39000.00". Parse with decimal.js, never Number(). */
  amount?: string;
  /** Tag 55: "01" ask for a tip, "02" fixed fee in 56, "03" percentage fee in 57. */
  tipIndicator?: string;
  convenienceFeeFixed?: string;
  convenienceFeePercentage?: string;
  country?: string;
  merchantName?: string;
  merchantCity?: string;
  postalCode?: string;
  additionalData: AdditionalData;
  /** Tag 63 as written (case preserved). */
  crc: string;
  /** Root IDs in payload order; real codes are not always ascending. */
  tags: string[];
  /** The data objects, templates with their children, in payload order. */
  fields: TlvField[];
}

export interface EncodeDynamicQrisInput {
  merchantAccount: { globalId: string; merchantPan?: string; merchantId?: string; criteria?: string };
  /** National Merchant ID from the QRIS repository (tag 51 sub 02). */
  nmid: string;
  mcc: string;
  merchantName: string;
  merchantCity: string;
  postalCode?: string;
  /** Rupiah as a decimal string ("15000.00") or a Decimal, at most 2 places, above zero. */
  amount: string | Decimal;
  billNumber: string;
  referenceLabel: string;
  terminalLabel: string;
}
