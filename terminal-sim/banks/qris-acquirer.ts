// The QRIS acquirer: when a trader's app pays a dynamic QRIS, it logs the transaction from the
// QR payload (merchant NMID, amount, reference and terminal labels) and tells the API with a
// signed notification: X-Signature = hex HMAC-SHA256 over "<X-Timestamp>.<raw body>".
import { createHmac } from 'node:crypto';
import { decodeQris } from '../../api/qris/codec/qris-codec';
import type { ApiClient, ApiResponse } from '../http';
import type { QrisAcquirerInfo } from '../setup/world';
import { pick, type Rng } from '../rng';
import type { AcquirerTxn } from './types';

const ISSUERS = ['DANA', 'OVO', 'GoPay', 'ShopeePay', 'LinkAja', 'BRImo', 'Livin by Mandiri', 'BCA mobile'] as const;

export interface NotificationAnswer {
  status: string;
  paymentId?: string;
  amount?: string;
}

/** What the API said to a notification, whatever the protocol. */
export interface NotifyOutcome {
  accepted: boolean;
  /** The payment the API recorded, where its answer names one (SNAP's answer does not) */
  paymentId?: string;
  status: number;
  text: string;
}

export class QrisAcquirer {
  readonly log: AcquirerTxn[] = [];
  private readonly sequence = new Map<string, number>();

  constructor(
    readonly info: QrisAcquirerInfo,
    protected readonly api: ApiClient,
    private readonly rrnTag: string,
  ) {}

  /** The trader's app paid the code: the acquirer's own record, built from the payload it was shown. */
  pay(rng: Rng, payload: string, at: Date, transactionDate: string, ordinal: number): AcquirerTxn {
    const qr = decodeQris(payload);
    if (!qr.amount || !qr.additionalData.referenceLabel)
      throw new Error('a dynamic QRIS without amount or reference cannot be paid');
    const tid = qr.additionalData.terminalLabel ?? 'QRIS';
    const txn: AcquirerTxn = {
      acquirerCode: this.info.code,
      channel: 'qris',
      tid,
      mid: qr.nationalMerchant?.nmid ?? qr.merchantAccounts[0]?.merchantId ?? '',
      rrn: this.nextRrn(tid, ordinal),
      issuer: pick(rng, ISSUERS),
      reference: qr.additionalData.referenceLabel,
      transactedAt: at,
      transactionDate,
      gross: qr.amount,
    };
    this.log.push(txn);
    return txn;
  }

  /** Sends the notification now; the timestamp is the real clock, which the API holds to ±5 minutes. */
  async notify(txn: AcquirerTxn): Promise<NotifyOutcome> {
    const body = JSON.stringify({
      reference: txn.reference,
      amount: txn.gross,
      rrn: txn.rrn,
      issuer: txn.issuer,
      paidAt: txn.transactedAt.toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.info.secret).update(`${timestamp}.${body}`).digest('hex');
    const res: ApiResponse<NotificationAnswer> = await this.api.request<NotificationAnswer>(
      'POST',
      `/api/v1/banks/${this.info.code}/qris-notifications`,
      { raw: body, headers: { 'x-timestamp': timestamp, 'x-signature': signature } },
    );
    const accepted = res.status === 200 && res.body?.status === 'recorded' && !!res.body.paymentId;
    return { accepted, paymentId: res.body?.paymentId, status: res.status, text: res.text };
  }

  /** 12 digits like the card side's, with a 9 after the run tag: the switch's own series. */
  private nextRrn(tid: string, ordinal: number): string {
    const n = (this.sequence.get(tid) ?? 0) + 1;
    this.sequence.set(tid, n);
    return `${this.rrnTag}9${String(ordinal).padStart(3, '0')}${String(n).padStart(5, '0')}`;
  }
}
