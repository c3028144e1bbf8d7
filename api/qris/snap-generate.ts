// A dynamic code made by the acquirer (SNAP qr-mpm-generate, service 47). What the bank answers is
// checked before anything is saved: a code that would not scan (bad CRC), that asks another amount
// or pays another merchant is the bank's mistake, and a trader must never be shown it.
import { Decimal } from '../core/money';
import { AppError } from '../core/errors';
import { decodeQris, QrisDecodeError } from './codec/qris-codec';
import {
  refused,
  type SnapAcquirer,
  type SnapCallOptions,
  snapTimestamp,
  snapTransaction,
  succeeded,
} from './snap-client';

export interface GenerateRequest {
  reference: string;
  /** "3000.00" */
  amount: string;
  terminalId: string;
  expiresAt: Date;
  /** The acquirer's NMID, when the region configured one: the code must carry it. */
  nmid: string | null;
}

export interface Generated {
  qrContent: string;
  acquirerReference: string | null;
  externalId: string;
}

export async function generateThroughAcquirer(
  a: SnapAcquirer,
  g: GenerateRequest,
  o: SnapCallOptions,
): Promise<Generated> {
  const answer = await snapTransaction(
    a,
    '/v1.0/qr/qr-mpm-generate',
    {
      partnerReferenceNo: g.reference,
      amount: { value: g.amount, currency: 'IDR' },
      ...(a.settings.merchantId ? { merchantId: a.settings.merchantId } : {}),
      ...(a.settings.storeId ? { storeId: a.settings.storeId } : {}),
      terminalId: g.terminalId.slice(0, 16),
      validityPeriod: snapTimestamp(g.expiresAt),
    },
    o,
  );
  if (!succeeded(answer, '47')) throw refused('the acquirer did not generate the code', answer);
  const qrContent = answer.body.qrContent;
  checkQrContent(qrContent, g);
  const ref = answer.body.referenceNo;
  return {
    qrContent: qrContent as string,
    acquirerReference: typeof ref === 'string' && ref ? ref : null,
    externalId: answer.externalId,
  };
}

const badQr = (problem: string, details: Record<string, unknown> = {}) =>
  new AppError(502, 'acquirer-bad-qr', `the acquirer's qrContent is unusable: ${problem}`, { problem, ...details });

/** Throws acquirer-bad-qr naming the first thing wrong: not a payload, its CRC, amount or NMID. */
export function checkQrContent(qrContent: unknown, g: Pick<GenerateRequest, 'amount' | 'nmid'>): void {
  if (typeof qrContent !== 'string' || qrContent === '') throw badQr('missing', { field: 'qrContent' });
  let decoded: ReturnType<typeof decodeQris>;
  try {
    decoded = decodeQris(qrContent);
  } catch (err) {
    if (err instanceof QrisDecodeError)
      throw badQr(err.code === 'bad-crc' ? 'crc' : err.code, { message: err.message, tag: err.tag });
    throw err;
  }
  if (!/^[0-9]+(\.[0-9]+)?$/.test(decoded.amount ?? '') || !new Decimal(decoded.amount as string).eq(g.amount))
    throw badQr('amount', { expected: g.amount, found: decoded.amount ?? null });
  const nmid = decoded.nationalMerchant?.nmid;
  if (g.nmid && nmid !== g.nmid) throw badQr('nmid', { expected: g.nmid, found: nmid ?? null });
}
