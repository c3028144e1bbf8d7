// The QRIS acquirer when it speaks SNAP: the same books as the simple-hmac one (a transaction per
// paid code, built from the payload the trader's app was shown), a SNAP API of its own
// (bank-server.ts) that generated the code and answers queries, and notifications to the product
// signed as SNAP's scheme 1 (SNAP_QRIS.md §2.3): SHA256withRSA with the bank's private key over
// POST:<path>:<sha256hex(minified body)>:<X-TIMESTAMP>, Base64, no token.
import { generateKeyPairSync } from 'node:crypto';
import Decimal from 'decimal.js';
import type { Rng } from '../../rng';
import type { ApiClient } from '../../http';
import type { QrisAcquirerInfo } from '../../setup/world';
import { type NotifyOutcome, QrisAcquirer } from '../qris-acquirer';
import type { AcquirerTxn } from '../types';
import type { SnapBankServer } from './bank-server';
import { ExternalIds, rsaSign, snapTimestamp, transactionString } from './signature';

export interface SnapKeys {
  publicKey: string;
  privateKey: string;
}

/** The bank's RSA-2048 key pair, made once per run at setup. */
export function newBankKeys(): SnapKeys {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** What the bank and the region agreed at registration, from the bank's side. */
export interface SnapAgreement {
  partnerId: string;
  channelId: string;
}

/** One notification as it went out: the exact bytes and the X-EXTERNAL-ID it carried. */
export interface SentNotification {
  externalId: string;
  body: string;
}

interface SnapNotifyAnswer {
  responseCode?: string;
  responseMessage?: string;
}

export class SnapQrisAcquirer extends QrisAcquirer {
  private readonly ids = new ExternalIds();
  /** The last notification sent per RRN, so a fault can send it again */
  readonly sent = new Map<string, SentNotification>();

  constructor(
    info: QrisAcquirerInfo,
    api: ApiClient,
    rrnTag: string,
    readonly bank: SnapBankServer,
    private readonly keys: SnapKeys,
    private readonly agreement: SnapAgreement,
  ) {
    super(info, api, rrnTag);
  }

  /** The trader paid: in the acquirer's log, and in its SNAP books so a query sees it paid. */
  override pay(rng: Rng, payload: string, at: Date, transactionDate: string, ordinal: number): AcquirerTxn {
    const txn = super.pay(rng, payload, at, transactionDate, ordinal);
    this.bank.markPaid(txn.reference!, { at, rrn: txn.rrn, issuer: txn.issuer! });
    return txn;
  }

  get notifyPath(): string {
    return `/snap/${this.info.code}/v1.0/qr/qr-mpm-notify`;
  }

  override async notify(txn: AcquirerTxn): Promise<NotifyOutcome> {
    const sent = { externalId: this.ids.next(), body: this.notificationBody(txn) };
    this.sent.set(txn.rrn, sent);
    return this.send(sent);
  }

  /** The notify body (§4.3) for a paid transaction; `desc` lets a fault send another body. */
  notificationBody(txn: AcquirerTxn, desc = 'Success'): string {
    const code = [...this.bank.codes.values()].find((c) => c.partnerReferenceNo === txn.reference);
    if (!code) throw new Error(`no SNAP code for ${txn.reference}`);
    return JSON.stringify({
      originalReferenceNo: code.referenceNo,
      originalPartnerReferenceNo: txn.reference,
      latestTransactionStatus: '00',
      transactionStatusDesc: desc,
      // SNAP amounts always carry two decimals; the payload's tag 54 may have dropped them.
      amount: { value: new Decimal(txn.gross).toFixed(2), currency: 'IDR' },
      // When the trader paid, where Finpay puts it (ASPI's notify body has no field for it).
      additionalInfo: { rrn: txn.rrn, issuer: txn.issuer, paidTime: snapTimestamp(txn.transactedAt) },
    });
  }

  /** Sends these exact bytes under this X-EXTERNAL-ID, signed now (the API holds X-TIMESTAMP to ±5 min). */
  async send(n: SentNotification): Promise<NotifyOutcome> {
    const timestamp = snapTimestamp(new Date());
    const signature = rsaSign(this.keys.privateKey, transactionString('POST', this.notifyPath, n.body, timestamp));
    const res = await this.api.request<SnapNotifyAnswer>('POST', this.notifyPath, {
      raw: n.body,
      headers: {
        'x-timestamp': timestamp,
        'x-signature': signature,
        'x-partner-id': this.agreement.partnerId,
        'x-external-id': n.externalId,
        'channel-id': this.agreement.channelId,
      },
    });
    return {
      accepted: res.status === 200 && res.body?.responseCode === '2005200',
      status: res.status,
      text: res.text,
    };
  }
}
