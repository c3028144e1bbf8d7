// The card acquirer: authorises what the EDC sends (or declines it, response 51: insufficient
// funds) and keeps its own log. Its settlement file is written from this log alone, so a payment
// the terminal never delivered to the ledger is still settled, as a real bank would.
import type { AcquirerInfo } from '../setup/world';
import { digits, int, type Rng } from '../rng';
import type { AcquirerTxn } from './types';

export type ResponseCode = '00' | '51';

export interface CardAuthorisation extends AcquirerTxn {
  responseCode: ResponseCode;
}

export interface AuthoriseRequest {
  tid: string;
  mid: string;
  stan: string;
  amount: string;
  maskedPan: string;
  at: Date;
  /** The region's local date of `at` */
  transactionDate: string;
  /** The terminal's place in the region: its block of RRNs */
  ordinal: number;
  /** The EDC's open batch and the invoice (trace) number it gave this transaction */
  terminalBatch: string;
  invoice: string;
}

export class CardAcquirer {
  readonly log: CardAuthorisation[] = [];
  private readonly sequence = new Map<string, number>();
  /** Approval codes given per TID and day: an issuer never answers the same code twice there
   * (measured: (TID, date, approval code) is unique in every real file). */
  private readonly codes = new Map<string, Set<string>>();

  /** rrnTag: three digits of the run, so two seeds on one day do not reuse RRNs. */
  constructor(
    readonly info: AcquirerInfo,
    private readonly rrnTag: string,
  ) {}

  /**
   * rng is the terminal's own bank-side stream: terminals authorise concurrently, and a shared
   * stream would hand out declines and approval codes in whatever order requests arrived.
   */
  authorise(rng: Rng, req: AuthoriseRequest, declineRate: number): CardAuthorisation {
    const responseCode: ResponseCode = rng() < declineRate ? '51' : '00';
    const auth: CardAuthorisation = {
      acquirerCode: this.info.code,
      channel: 'card',
      tid: req.tid,
      mid: req.mid,
      rrn: this.nextRrn(req.tid, req.ordinal),
      stan: req.stan,
      approvalCode: responseCode === '00' ? this.freshCode(rng, req.tid, req.transactionDate) : undefined,
      maskedPan: req.maskedPan,
      terminalBatch: req.terminalBatch,
      invoice: req.invoice,
      transactedAt: req.at,
      transactionDate: req.transactionDate,
      gross: req.amount,
      responseCode,
    };
    this.log.push(auth);
    return auth;
  }

  /** Approved authorisations: what the acquirer will settle. */
  approved(): CardAuthorisation[] {
    return this.log.filter((a) => a.responseCode === '00');
  }

  private freshCode(rng: Rng, tid: string, date: string): string {
    const key = `${tid}|${date}`;
    const used = this.codes.get(key) ?? new Set<string>();
    this.codes.set(key, used);
    let code = approvalCode(rng);
    while (used.has(code)) code = approvalCode(rng);
    used.add(code);
    return code;
  }

  /** 12 digits: run tag, terminal's place, its own counter. Unique per acquirer and day, as the API requires. */
  private nextRrn(tid: string, ordinal: number): string {
    const n = (this.sequence.get(tid) ?? 0) + 1;
    this.sequence.set(tid, n);
    return `${this.rrnTag}${String(ordinal).padStart(3, '0')}${String(n).padStart(6, '0')}`;
  }
}

/** Six characters: mostly digits, leading zeros kept ('014177'); some issuers answer with a letter
 * first (R08906, R23334), as 18 % of the real Mandiri file's codes do. */
function approvalCode(rng: Rng): string {
  return rng() < 0.18 ? `${String.fromCharCode(65 + int(rng, 0, 25))}${digits(rng, 5)}` : digits(rng, 6);
}
