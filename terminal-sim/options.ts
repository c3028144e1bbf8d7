// What a simulated market day is asked to do, with the defaults the CLI and the tests share.
import path from 'node:path';
import { isValidDate } from './clock';

export const FAULT_KINDS = [
  'lost-queue',
  'unsettled',
  'amount-mismatch',
  'duplicate-line',
  'short-credit',
  'late-settlement',
  // SNAP only (--qris-protocol snap): the bank's notifications themselves
  'lost-notification',
  'duplicate-external-id',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** How many of each fault to inject, per region. */
export type FaultSpec = Partial<Record<FaultKind, number>>;

/** How traders, terminals, networks and banks behave; probabilities per stall or request. */
export interface Rates {
  /** A trader who owes pays by card, by QRIS, or (the rest) not today, and arrears grow */
  card: number;
  qris: number;
  /** A trader with arrears pays every open day at once (else one day's fee) */
  payAllArrears: number;
  /** A trader with nothing overdue pays some days ahead */
  advance: number;
  /** The issuer refuses the card (response 51, insufficient funds) */
  decline: number;
  /** A request times out after the server committed; the terminal sends it again */
  timeout: number;
  /** A terminal loses its signal for a stretch of its route */
  offlineTerminal: number;
  /** The QRIS acquirer sends the notification only at the end of the day */
  qrisDelay: number;
  /** The QRIS acquirer sends the notification twice */
  qrisDuplicate: number;
}

export const DEFAULT_RATES: Rates = {
  card: 0.55,
  qris: 0.3,
  payAllArrears: 0.6,
  advance: 0.06,
  decline: 0.04,
  timeout: 0.03,
  offlineTerminal: 0.5,
  qrisDelay: 0.1,
  qrisDuplicate: 0.05,
};

export interface SimOptions {
  /** Base URL of the API, e.g. http://localhost:3000 */
  api: string;
  /** The business date to simulate, YYYY-MM-DD; not in the future */
  date: string;
  seed: number;
  /** Collector terminals walking at once, over all markets of the region(s) */
  terminals: number;
  /** Only this region (code); default every region */
  region?: string;
  faults?: FaultSpec;
  /** Where the banks' files go: <inbox>/<region>/<date>/ */
  inbox?: string;
  /** At most this many stalls per terminal's route (small, fast days) */
  stallsPerTerminal?: number;
  /** First import stalls and traders until the region(s) have this many stalls */
  provisionStalls?: number;
  /** Also assess this many days before the date, so traders have arrears */
  backfillDays?: number;
  rates?: Partial<Rates>;
  /**
   * Per acquirer code, how its settlement file differs from the default. settlementRrn: the file
   * carries an RRN column after the real layout's (no real card layout does: off for card
   * acquirers; on for QRIS acquirers, whose real reports carry the switch's reference).
   */
  acquirers?: Record<string, AcquirerFileOptions>;
  /**
   * How the QRIS acquirer talks to the API: today's simple-hmac notifications (the default), or
   * SNAP (the bank generates the code, notifies signed, answers status queries).
   */
  qrisProtocol?: QrisProtocol;
  /**
   * Runs after the day, while the simulated banks still answer (a SNAP bank's API closes with the
   * run): a test runs the product's recovery job here, which queries the bank.
   */
  afterDay?: () => Promise<void>;
  /** Show a progress bar (the CLI turns it on for a TTY) */
  progress?: boolean;
  /** Where setup notes go (the CLI prints them; tests keep quiet) */
  log?: (line: string) => void;
}

export const QRIS_PROTOCOLS = ['simple-hmac', 'snap'] as const;
export type QrisProtocol = (typeof QRIS_PROTOCOLS)[number];
/** Faults of the bank's SNAP notifications: a simple-hmac bank has neither. */
export const SNAP_FAULTS = ['lost-notification', 'duplicate-external-id'] as const;

export interface AcquirerFileOptions {
  settlementRrn?: boolean;
}

export interface ResolvedOptions
  extends Required<Omit<SimOptions, 'region' | 'stallsPerTerminal' | 'provisionStalls' | 'rates' | 'afterDay'>> {
  afterDay?: () => Promise<void>;
  region?: string;
  stallsPerTerminal?: number;
  provisionStalls?: number;
  rates: Rates;
}

export const DEFAULT_INBOX = path.join('data', 'inbox');

export function resolveOptions(o: SimOptions): ResolvedOptions {
  if (!isValidDate(o.date)) throw new Error(`--date must be a date YYYY-MM-DD, got ${o.date}`);
  if (!Number.isSafeInteger(o.seed)) throw new Error(`--seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.terminals) || o.terminals < 1)
    throw new Error(`--terminals must be 1 or more, got ${o.terminals}`);
  for (const [name, v] of Object.entries({
    stallsPerTerminal: o.stallsPerTerminal,
    provisionStalls: o.provisionStalls,
    backfillDays: o.backfillDays,
  })) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`${name} must be a whole number, got ${v}`);
  }
  const qrisProtocol = o.qrisProtocol ?? 'simple-hmac';
  if (!(QRIS_PROTOCOLS as readonly string[]).includes(qrisProtocol))
    throw new Error(`--qris-protocol must be ${QRIS_PROTOCOLS.join(' or ')}, got ${qrisProtocol}`);
  for (const kind of SNAP_FAULTS) {
    if ((o.faults?.[kind] ?? 0) > 0 && qrisProtocol !== 'snap')
      throw new Error(`fault ${kind} needs --qris-protocol snap`);
  }
  return {
    ...o,
    faults: o.faults ?? {},
    acquirers: o.acquirers ?? {},
    inbox: path.resolve(o.inbox ?? DEFAULT_INBOX),
    backfillDays: o.backfillDays ?? 0,
    qrisProtocol,
    rates: { ...DEFAULT_RATES, ...o.rates },
    progress: o.progress ?? false,
    log: o.log ?? (() => {}),
  };
}

/** "lost-queue=1,short-credit=2" or "lost-queue,unsettled" (one each). */
export function parseFaults(spec: string | undefined): FaultSpec {
  const faults: FaultSpec = {};
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, count = '1'] = part.split('=').map((s) => s.trim());
    if (!(FAULT_KINDS as readonly string[]).includes(name)) {
      throw new Error(`unknown fault "${name}"; known: ${FAULT_KINDS.join(', ')}`);
    }
    if (!/^\d+$/.test(count)) throw new Error(`fault ${name} needs a whole count, got "${count}"`);
    faults[name as FaultKind] = (faults[name as FaultKind] ?? 0) + Number(count);
  }
  return faults;
}
