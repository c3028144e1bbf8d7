// A terminal's session for the day: its random streams, its offline journal, its login token and
// the numbers an EDC counts up (STAN, invoice, batch, the client's transaction ids). Its own file,
// below the walk (terminal.ts) and the card and QRIS flows that all act on it.
import type { DayContext } from '../day';
import type { TerminalInfo } from '../setup/terminals';
import { compactDate } from '../clock';
import { int, streamFor, type Rng } from '../rng';
import { OfflineJournal } from './journal';

export class TerminalSession {
  /** The collector's choices and the trader's */
  readonly rng: Rng;
  /** The banks' side of this terminal's transactions (declines, codes, issuers, delays) */
  readonly bankRng: Rng;
  readonly journal: OfflineJournal;
  token = '';
  /** The EDC's open batch today: what BNI's OB and Mandiri's TIDBATCH show for its transactions */
  readonly edcBatch: string;
  private stan: number;
  private txn = 0;
  private invoice = 0;

  constructor(
    readonly ctx: DayContext,
    readonly t: TerminalInfo,
  ) {
    this.rng = streamFor(ctx.opts.seed, 'terminal', t.id);
    this.bankRng = streamFor(ctx.opts.seed, 'bank', t.id);
    this.journal = new OfflineJournal(ctx.journalDir, t.id);
    this.stan = int(this.rng, 1, 899_999);
    this.edcBatch = edcBatchOn(ctx.opts.seed, t.tid, ctx.opts.date);
  }

  /** The EDC's invoice (trace) number: counts up from 1 within the batch, six digits as slips print it. */
  nextInvoice(): string {
    this.invoice += 1;
    return String(this.invoice).padStart(6, '0');
  }

  /** The EDC's system trace audit number: six digits, one per card transaction, wrapping. */
  nextStan(): string {
    this.stan = (this.stan % 999_999) + 1;
    return String(this.stan).padStart(6, '0');
  }

  /** The terminal's own id for a payment, the API's idempotency key. The seed is in it so another
   * run on the same day does not collide with this one. */
  nextClientTxnId(): string {
    this.txn += 1;
    return `${this.t.id}-${compactDate(this.ctx.opts.date)}-s${this.ctx.opts.seed}-${String(this.txn).padStart(5, '0')}`;
  }

  error(what: string): void {
    this.ctx.errors.push(`${this.t.id}: ${what}`);
  }
}

/** An EDC closes its batch at each day's settlement and opens the next: the number goes up by one
 * a day from a start of the terminal's own, wrapping within 1-999, so consecutive days differ. */
export function edcBatchOn(seed: number, tid: string, date: string): string {
  const start = int(streamFor(seed, 'edc-batch', tid), 1, 999);
  const day = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(2020, 0, 1)) / 86_400_000);
  return String(((((start - 1 + day) % 999) + 999) % 999) + 1);
}
