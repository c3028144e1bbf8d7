// The shared state of one simulated day: the banks, what the terminals know they delivered to
// the ledger, and the counters of the summary. Terminals run concurrently and push here in any
// order; everything that reaches a file is sorted first.
import { Presets, SingleBar } from 'cli-progress';
import type { ApiClient } from './http';
import type { ResolvedOptions } from './options';
import type { CardAcquirer } from './banks/card-acquirer';
import type { QrisAcquirer } from './banks/qris-acquirer';
import type { SnapFaultKind } from './banks/faults';
import type { AcquirerTxn, Channel } from './banks/types';

/** A payment the API acknowledged (201, or a QRIS notification recorded), as the terminal or bank saw it. */
export interface LedgerRecord {
  channel: Channel;
  region: string;
  terminalId: string;
  acquirerCode: string;
  rrn: string;
  clientTxnId?: string;
  stallId: string;
  amount: string;
  /** The API's payment id; absent for a SNAP notification, whose answer names none */
  paymentId?: string;
  /** Uploaded in a batch after an offline stretch */
  offline: boolean;
}

/** An approved card payment that vanished from a terminal's offline journal (the lost-queue fault). */
export interface LostPayment {
  region: string;
  terminalId: string;
  tid: string;
  rrn: string;
  stan: string;
  approvalCode: string;
  terminalBatch?: string;
  invoice?: string;
  clientTxnId: string;
  stallId: string;
  amount: string;
}

export interface PendingNotification {
  region: string;
  terminalId: string;
  stallId: string;
  txn: AcquirerTxn;
  duplicate: boolean;
  /** SNAP: this notification is resent under its X-EXTERNAL-ID, as is and with another body */
  duplicateExternalId?: boolean;
}

/** A SNAP notification fault as it happened, for the manifest and the summary. */
export interface SnapFault {
  kind: SnapFaultKind;
  region: string;
  terminalId: string;
  stallId: string;
  txn: AcquirerTxn;
  externalId?: string;
}

export interface SnapDay {
  /** Faults still to inject, per terminal id, in order (decided before the day starts) */
  faultBudget: Map<string, SnapFaultKind[]>;
  /** The faults as they happened */
  faults: SnapFault[];
}

export interface DayStats {
  stallsVisited: number;
  declines: number;
  /** Requests sent again after a timeout that followed the server's commit */
  retries: number;
  retriedClientTxnIds: string[];
  offlineStretches: number;
  batchUploads: number;
  uploadedPayments: number;
  qrisNotifications: number;
  qrisDelayed: number;
  qrisDuplicated: number;
  /** SNAP: paid codes the bank never notified (the product must find them by querying) */
  qrisLostNotifications: number;
  /** SNAP: notifications resent under their X-EXTERNAL-ID (a retry, then another body: 409) */
  qrisReusedExternalIds: number;
  /** Traders who owed and paid nothing today */
  unpaid: number;
}

export interface Progress {
  tick(): void;
  stop(): void;
}

export interface DayContext {
  api: ApiClient;
  /** Terminals doing their morning sync (login, the market's list) at once: collectors do not
   * all switch on in the same second, and a list of thousands of stalls is the API's heaviest read. */
  morningSync: Limiter;
  opts: ResolvedOptions;
  cardAcquirers: Map<string, CardAcquirer>;
  qrisAcquirers: Map<string, QrisAcquirer>;
  journalDir: string;
  progress: Progress;
  ledger: LedgerRecord[];
  lost: LostPayment[];
  delayed: PendingNotification[];
  /** Lost-queue faults still to inject, per terminal id (decided before the day starts) */
  lostQueueBudget: Map<string, number>;
  /** A SNAP day's notification faults; absent on a simple-hmac day */
  snap?: SnapDay;
  stats: DayStats;
  /** Answers the simulator did not expect; a clean day has none */
  errors: string[];
}

export function emptyStats(): DayStats {
  return {
    stallsVisited: 0,
    declines: 0,
    retries: 0,
    retriedClientTxnIds: [],
    offlineStretches: 0,
    batchUploads: 0,
    uploadedPayments: 0,
    qrisNotifications: 0,
    qrisDelayed: 0,
    qrisDuplicated: 0,
    qrisLostNotifications: 0,
    qrisReusedExternalIds: 0,
    unpaid: 0,
  };
}

/** The progress bar while terminals walk: only on a terminal (a log file or CI gets the summary alone). */
export function startProgress(enabled: boolean, total: number, paid: () => number): Progress {
  if (!enabled) return { tick() {}, stop() {} };
  const bar = new SingleBar(
    { format: 'market day |{bar}| {value}/{total} stalls | {paid} payments | {duration}s', hideCursor: true, fps: 5 },
    Presets.shades_classic,
  );
  bar.start(total, 0, { paid: 0 });
  return {
    tick: () => bar.increment(1, { paid: paid() }),
    stop: () => bar.stop(),
  };
}

/** At most `max` of the given jobs run at once; the others wait their turn, first come first served. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
