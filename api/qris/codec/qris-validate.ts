// QRIS business constraints (ASPI/Bank Indonesia QRIS standard on top of EMVCo MPM). A payload can
// have a correct structure and CRC and still break these: astrapay's "AHASS" and "INFAQ" test codes
// have no NMID (tag 51) and one has a 3-digit MCC. The decoder reads such codes; this says what is
// wrong with them, all at once, so that a caller can decide whether to accept them.
import type { DecodedQris } from './qris-types';

export type QrisViolationCode =
  | 'mcc-format'
  | 'nmid-missing'
  | 'nmid-format'
  | 'currency-not-idr'
  | 'country-not-id'
  | 'name-missing'
  | 'name-too-long'
  | 'city-missing'
  | 'city-too-long'
  | 'postal-code-too-long'
  | 'amount-format'
  | 'amount-missing'
  | 'fee-missing'
  | 'additional-data-too-long';

export interface QrisViolation {
  code: QrisViolationCode;
  /** Root ID, or "62.05" for a sub-tag. */
  tag: string;
  message: string;
}

/** Digits with an optional decimal point, at most 13 characters (EMVCo "ans..13"). */
const AMOUNT = /^(?=.{1,13}$)[0-9]+(\.[0-9]+)?$/;
// "ID" + 13 digits per the QRIS standard, but a real SPINPAY code ("MNC LIFE") carries one with 12,
// so both pass. Placeholders such as fifteen zeros (LinkAja's "SPBU SNTRA" code) do not.
export const NMID = /^ID[0-9]{12,13}$/;
const MAX_NAME = 25;
const MAX_CITY = 15;
const MAX_POSTAL_CODE = 10;
const MAX_ADDITIONAL_DATA = 25;

type Check = (qris: DecodedQris) => QrisViolation[];

const checks: Check[] = [merchantChecks, locationChecks, amountChecks, feeChecks, additionalDataChecks];

/** Every broken QRIS rule, or [] when the code may be used as is. */
export function validateQris(qris: DecodedQris): QrisViolation[] {
  return checks.flatMap((check) => check(qris));
}

const violation = (code: QrisViolationCode, tag: string, message: string): QrisViolation => ({ code, tag, message });

function merchantChecks(qris: DecodedQris): QrisViolation[] {
  const found: QrisViolation[] = [];
  if (!/^[0-9]{4}$/.test(qris.mcc ?? '')) {
    found.push(violation('mcc-format', '52', `merchant category code must be 4 digits, not "${qris.mcc ?? ''}"`));
  }
  // Without tag 51 the switch cannot route the code through the national repository.
  const nmid = qris.nationalMerchant?.nmid;
  if (!nmid) {
    found.push(violation('nmid-missing', '51', 'no national merchant ID (tag 51 sub 02)'));
  } else if (!NMID.test(nmid)) {
    found.push(violation('nmid-format', '51.02', `national merchant ID must be "ID" and 12-13 digits, not "${nmid}"`));
  }
  if (qris.currency !== '360') {
    found.push(violation('currency-not-idr', '53', `currency must be 360 (IDR), not "${qris.currency ?? ''}"`));
  }
  return found;
}

function locationChecks(qris: DecodedQris): QrisViolation[] {
  const found: QrisViolation[] = [];
  if (qris.country !== 'ID')
    found.push(violation('country-not-id', '58', `country must be ID, not "${qris.country ?? ''}"`));
  found.push(...textChecks(qris.merchantName, '59', 'merchant name', MAX_NAME, 'name'));
  found.push(...textChecks(qris.merchantCity, '60', 'merchant city', MAX_CITY, 'city'));
  if ((qris.postalCode?.length ?? 0) > MAX_POSTAL_CODE) {
    found.push(violation('postal-code-too-long', '61', `postal code is over ${MAX_POSTAL_CODE} characters`));
  }
  return found;
}

function textChecks(
  value: string | undefined,
  tag: string,
  label: string,
  max: number,
  code: 'name' | 'city',
): QrisViolation[] {
  if (!value) return [violation(`${code}-missing`, tag, `${label} (tag ${tag}) is missing`)];
  const length = [...value].length;
  if (length > max) return [violation(`${code}-too-long`, tag, `${label} is ${length} characters; at most ${max}`)];
  return [];
}

function amountChecks(qris: DecodedQris): QrisViolation[] {
  if (qris.amount === undefined) {
    // A dynamic code is one transaction, so its amount is fixed by the merchant.
    return qris.pointOfInitiation === 'dynamic'
      ? [violation('amount-missing', '54', 'a dynamic QRIS (tag 01 = 12) needs an amount')]
      : [];
  }
  if (!AMOUNT.test(qris.amount)) {
    return [
      violation(
        'amount-format',
        '54',
        `amount must be digits with an optional ".", at most 13 characters, not "${qris.amount}"`,
      ),
    ];
  }
  return [];
}

/** Tag 55 "02" promises a fixed fee in 56 and "03" a percentage in 57; a wallet cannot guess them. */
function feeChecks(qris: DecodedQris): QrisViolation[] {
  if (qris.tipIndicator === '02' && qris.convenienceFeeFixed === undefined) {
    return [violation('fee-missing', '56', 'tag 55 = 02 needs a fixed convenience fee in tag 56')];
  }
  if (qris.tipIndicator === '03' && qris.convenienceFeePercentage === undefined) {
    return [violation('fee-missing', '57', 'tag 55 = 03 needs a percentage convenience fee in tag 57')];
  }
  return [];
}

function additionalDataChecks(qris: DecodedQris): QrisViolation[] {
  return Object.entries(qris.additionalData.raw)
    .filter(([subTag, value]) => Number(subTag) < 50 && [...value].length > MAX_ADDITIONAL_DATA)
    .map(([subTag, value]) =>
      violation(
        'additional-data-too-long',
        `62.${subTag}`,
        `tag 62 sub ${subTag} is ${[...value].length} characters; at most ${MAX_ADDITIONAL_DATA}`,
      ),
    );
}
