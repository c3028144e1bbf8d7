// Builds a dynamic QRIS (tag 01 = 12: one transaction, fixed amount) from the region's merchant
// data. Tags are written in ascending order, the order the QRIS standard lists them in; only the
// decoder has to cope with real codes that break it.
import Decimal from 'decimal.js';
import { qrisCrcFor } from './crc16';
import { QrisEncodeError, type QrisFieldIssue } from './qris-errors';
import type { EncodeDynamicQrisInput } from './qris-types';
import { NMID } from './qris-validate';
import { encodeTlv } from './tlv';

/** Globally unique ID of the national merchant repository (tag 51 sub 00). */
export const QRIS_NATIONAL_REPOSITORY_ID = 'ID.CO.QRIS.WWW';

export const MERCHANT_CRITERIA = ['UMI', 'UKE', 'UME', 'UBE', 'URE'] as const;

// Printable ASCII only: QRIS names are EMVCo "ans" fields. Outside ASCII, lengths (characters) and
// the CRC (UTF-8 bytes) count differently, and QR byte mode defaults to ISO-8859-1, not UTF-8.
const PRINTABLE = /^[\x20-\x7e]+$/;
const AMOUNT_INPUT = /^[0-9]+(\.[0-9]{1,2})?$/;

type Rule = [field: string, value: string | undefined, required: boolean, test: (v: string) => string | undefined];

const text = (max: number) => (v: string) =>
  !PRINTABLE.test(v)
    ? 'must be printable ASCII'
    : v.length > max
      ? `is ${v.length} characters; at most ${max}`
      : undefined;
const pattern = (re: RegExp, what: string) => (v: string) => (re.test(v) ? undefined : `must be ${what}`);

function rules(input: EncodeDynamicQrisInput): Rule[] {
  const account = input.merchantAccount ?? {};
  return [
    // EMVCo limits: globally unique ID ans..32, merchant PAN n..19, merchant ID ans..15.
    ['merchantAccount.globalId', account.globalId, true, text(32)],
    ['merchantAccount.merchantPan', account.merchantPan, false, pattern(/^[0-9]{1,19}$/, 'at most 19 digits')],
    ['merchantAccount.merchantId', account.merchantId, false, text(15)],
    [
      'merchantAccount.criteria',
      account.criteria,
      false,
      pattern(/^(UMI|UKE|UME|UBE|URE)$/, `one of ${MERCHANT_CRITERIA.join(', ')}`),
    ],
    ['nmid', input.nmid, true, pattern(NMID, '"ID" followed by 12 or 13 digits')],
    ['mcc', input.mcc, true, pattern(/^[0-9]{4}$/, '4 digits')],
    ['merchantName', input.merchantName, true, text(25)],
    ['merchantCity', input.merchantCity, true, text(15)],
    ['postalCode', input.postalCode, false, pattern(/^[0-9]{5}$/, '5 digits')],
    // Tag 62 sub-values are ans..25.
    ['billNumber', input.billNumber, true, text(25)],
    ['referenceLabel', input.referenceLabel, true, text(25)],
    ['terminalLabel', input.terminalLabel, true, text(25)],
  ];
}

function checkFields(input: EncodeDynamicQrisInput): QrisFieldIssue[] {
  const issues: QrisFieldIssue[] = [];
  for (const [field, value, required, test] of rules(input)) {
    if (value === undefined || value === '') {
      if (required) issues.push({ field, message: 'is required' });
      continue;
    }
    const problem = typeof value === 'string' ? test(value) : 'must be a string';
    if (problem) issues.push({ field, message: problem });
  }
  return issues;
}

/**
 * Tag 54 as written: integer digits when there is no fraction ("15000.00" -> "15000"). Rupiah
 * have no sen in practice, real QRIS amounts are integers, and astrapay's parser tests treat
 * "39000.00" as an error amount. A real fraction keeps its 2 places.
 */
function renderAmount(amount: EncodeDynamicQrisInput['amount'], issues: QrisFieldIssue[]): string {
  let value: Decimal;
  if (typeof amount === 'string' && AMOUNT_INPUT.test(amount)) value = new Decimal(amount);
  else if (Decimal.isDecimal(amount) && amount.isFinite() && amount.decimalPlaces() <= 2) value = amount;
  else {
    issues.push({
      field: 'amount',
      message: 'must be a decimal string with at most 2 places, e.g. "15000" or "15000.50"',
    });
    return '';
  }
  const rendered = value.isInteger() ? value.toFixed(0) : value.toFixed(2);
  if (value.lte(0)) issues.push({ field: 'amount', message: 'must be greater than zero' });
  else if (rendered.length > 13)
    issues.push({ field: 'amount', message: `is ${rendered.length} characters in tag 54; at most 13` });
  return rendered;
}

/** The payload of a dynamic QRIS. Throws QrisEncodeError naming every bad field. */
export function encodeDynamicQris(input: EncodeDynamicQrisInput): string {
  const issues = checkFields(input);
  const amount = renderAmount(input.amount, issues);
  if (issues.length > 0) throw new QrisEncodeError(issues);

  const { globalId, merchantPan, merchantId, criteria } = input.merchantAccount;
  const body = [
    encodeTlv('00', '01'),
    encodeTlv('01', '12'),
    encodeTlv(
      '26',
      template([
        ['00', globalId],
        ['01', merchantPan],
        ['02', merchantId],
        ['03', criteria],
      ]),
    ),
    encodeTlv(
      '51',
      template([
        ['00', QRIS_NATIONAL_REPOSITORY_ID],
        ['02', input.nmid],
        ['03', criteria],
      ]),
    ),
    encodeTlv('52', input.mcc),
    encodeTlv('53', '360'),
    encodeTlv('54', amount),
    encodeTlv('58', 'ID'),
    encodeTlv('59', input.merchantName),
    encodeTlv('60', input.merchantCity),
    input.postalCode ? encodeTlv('61', input.postalCode) : '',
    encodeTlv(
      '62',
      template([
        ['01', input.billNumber],
        ['05', input.referenceLabel],
        ['07', input.terminalLabel],
      ]),
    ),
  ].join('');
  const withCrcHeader = `${body}6304`;
  return withCrcHeader + qrisCrcFor(withCrcHeader);
}

/** A template's value: its sub-tags in the order given, leaving out the absent ones. */
function template(subFields: [tag: string, value: string | undefined][]): string {
  return subFields
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([tag, value]) => encodeTlv(tag, value))
    .join('');
}
