// Card payments posted in groups (issue 18). The card payments that reach this process within
// CARD_GROUP_WINDOW_MS of the first one (at most CARD_GROUP_MAX) are posted together, in one
// transaction and one call of the ledger (ledger_post_card_payments): one commit and one set of
// statements for the group instead of one per payment. Each request still gets exactly the
// answer it would get alone:
//   - its own idempotency key: a request whose key is already waiting here with the same body
//     shares that payment's outcome (a retry answers 200 with the same body); with another body it
//     goes into the next group, where the ledger refuses it as a conflict;
//   - its own failure: an item the ledger refuses gets its own error and the rest are posted; an
//     item whose stall another transaction holds is posted alone (so it waits for the lock, and
//     nobody else waits with it); when the group's statement fails for any other reason, its
//     items are posted one by one, each with its own answer;
//   - the stall's lock and the oldest-first allocation: the ledger locks the group's stalls in
//     id order and allocates several payments of one stall in the order they arrived.
// An offline upload posts its items the same way, in order, in groups that wait for their stalls.
import type { Deps } from '../core/deps';
import type { Logger } from '../core/logger';
import { AppError } from '../core/errors';
import { databaseUnavailable, fromDatabaseError } from '../core/db-errors';
import { type GroupItemResult, postCardPayment, postCardPaymentGroup } from '../ledger/post';

/** What recordCardPayment hands the ledger for one payment (ledger_post_card_payment's parameters). */
export interface CardParams extends Record<string, unknown> {
  regionId: string;
  terminalId: string;
  clientTxnId: string;
  requestHash: string;
  stallId: string;
  rrn: string;
}

export interface Posted {
  replayed: boolean;
  response: Record<string, unknown>;
}

/** One payment alone, with ledger_post_card_payment; a twin that committed between its check and
 * its insert (on another stall, so the stall lock did not order them) is looked at again. */
export async function postOne(deps: Deps, params: CardParams): Promise<Posted> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await postCardPayment(deps.knex, params)) as Posted;
    } catch (err) {
      const known = fromDatabaseError(err);
      if (known) throw known;
      const pg = err as { code?: string; constraint?: string };
      if (pg.code === '23505' && pg.constraint === 'payments_idempotency' && attempt === 0) continue;
      if (pg.code === '23505' && pg.constraint === 'payments_rrn') {
        throw new AppError(409, 'duplicate-payment', 'this RRN is already recorded for this acquirer and day', {
          field: 'card.rrn',
        });
      }
      throw err;
    }
  }
}

/** Each item's outcome: posted (or replayed), or the error it is answered with. */
export type Outcome = { ok: true; posted: Posted } | { ok: false; error: unknown };

/** The error the ledger would have raised for this item alone. */
function refused(r: { error: string; detail: Record<string, unknown> }): unknown {
  return (
    fromDatabaseError({ hint: `e-retribusi:${r.error}`, message: r.error, detail: JSON.stringify(r.detail) }) ??
    new Error(`the ledger refused a card payment with an unknown code: ${r.error}`)
  );
}

/** Posts items of one region, given in order and with no key or RRN twice, in one call of the
 * ledger. Items deferred by the ledger (their stall was held) and, when the call fails, all of
 * them are posted one by one, in order for each stall. `settled` hears each item's outcome as
 * soon as it is known (a deferred item's later than the others'). */
export async function postGroup(
  deps: Deps,
  regionId: string,
  items: CardParams[],
  waitForLocks: boolean,
  settled: (index: number, outcome: Outcome) => void = () => undefined,
): Promise<Outcome[]> {
  let results: GroupItemResult[];
  try {
    results = await postCardPaymentGroup(deps.knex, { regionId, waitForLocks, items });
  } catch (err) {
    // The database away: every item answers so (the handler makes it a 503), none is retried here.
    if (databaseUnavailable(err)) {
      const away: Outcome[] = items.map(() => ({ ok: false, error: err }));
      away.forEach((o, i) => settled(i, o));
      return away;
    }
    logWhy(deps.logger, err, items.length);
    return postEach(deps, items, settled);
  }
  const outcomes: Outcome[] = new Array(items.length);
  const deferred: number[] = [];
  results.forEach((r, i) => {
    if (r.deferred) {
      deferred.push(i);
      return;
    }
    outcomes[i] =
      r.error !== undefined
        ? { ok: false, error: refused(r) }
        : { ok: true, posted: { replayed: r.replayed, response: r.response } };
    settled(i, outcomes[i]);
  });
  if (deferred.length > 0) {
    await postEach(
      deps,
      deferred.map((i) => items[i]),
      (j, o) => {
        outcomes[deferred[j]] = o;
        settled(deferred[j], o);
      },
    );
  }
  return outcomes;
}

/** Each item alone: the items of one stall one after another, in their order; stalls side by side. */
async function postEach(
  deps: Deps,
  items: CardParams[],
  settled: (index: number, outcome: Outcome) => void,
): Promise<Outcome[]> {
  const out: Outcome[] = new Array(items.length);
  const byStall = new Map<string, number[]>();
  items.forEach((item, i) => byStall.set(item.stallId, [...(byStall.get(item.stallId) ?? []), i]));
  await Promise.all(
    [...byStall.values()].map(async (indexes) => {
      for (const i of indexes) {
        try {
          out[i] = { ok: true, posted: await postOne(deps, items[i]) };
        } catch (error) {
          out[i] = { ok: false, error };
        }
        settled(i, out[i]);
      }
    }),
  );
  return out;
}

function logWhy(logger: Logger, err: unknown, items: number): void {
  // Only the driver's words: knex puts the statement, with its parameters (card data), before them.
  const e = err as { code?: string; constraint?: string; message?: string };
  const message = String(e.message ?? '');
  const reason = message.slice(message.lastIndexOf(' - ') + (message.includes(' - ') ? 3 : 1)).slice(0, 200);
  logger.warn(
    { code: e.code, constraint: e.constraint, reason, items },
    'a group of card payments failed as a whole; posting its items one by one',
  );
}

/** Splits items, in order, into runs of at most `max` with no idempotency key or RRN twice in a run. */
export function runsOf<T extends CardParams>(items: T[], max: number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let keys = new Set<string>();
  for (const item of items) {
    const key = `k:${item.terminalId}:${item.clientTxnId}`;
    const rrn = `r:${item.rrn}`;
    if (run.length >= max || keys.has(key) || keys.has(rrn)) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    run.push(item);
    keys.add(key);
    keys.add(rrn);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

interface Waiting {
  params: CardParams;
  resolve: (p: Posted) => void;
  reject: (err: unknown) => void;
  promise: Promise<Posted>;
}

/** The groups of one API process: per region, the group gathering now. */
export class CardGroups {
  private gathering = new Map<string, { items: Waiting[]; keys: Set<string>; timer: NodeJS.Timeout }>();
  /** Each key waiting here (gathering or being posted), for a retry arriving meanwhile. */
  private pending = new Map<string, Waiting>();

  constructor(
    private readonly deps: Deps,
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  post(params: CardParams): Promise<Posted> {
    const key = `${params.regionId}:${params.terminalId}:${params.clientTxnId}`;
    const twin = this.pending.get(key);
    if (twin && twin.params.requestHash === params.requestHash) {
      // The same request again while the first is still on its way: its outcome, as a replay.
      return twin.promise.then((p) => ({ replayed: true, response: p.response }));
    }
    let resolve!: (p: Posted) => void, reject!: (err: unknown) => void;
    const promise = new Promise<Posted>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const waiting: Waiting = { params, resolve, reject, promise };
    if (!twin) {
      this.pending.set(key, waiting);
      const forget = () => {
        if (this.pending.get(key) === waiting) this.pending.delete(key);
      };
      promise.then(forget, forget);
    }
    const region = params.regionId;
    let g = this.gathering.get(region);
    // A key or an RRN already in the gathering group starts the next group.
    if (g && (g.keys.has(`k:${key}`) || g.keys.has(`r:${params.rrn}`))) {
      this.flush(region);
      g = undefined;
    }
    if (!g) {
      g = { items: [], keys: new Set(), timer: setTimeout(() => this.flush(region), this.windowMs) };
      this.gathering.set(region, g);
    }
    g.items.push(waiting);
    g.keys.add(`k:${key}`);
    g.keys.add(`r:${params.rrn}`);
    if (g.items.length >= this.max) this.flush(region);
    return promise;
  }

  private flush(region: string): void {
    const g = this.gathering.get(region);
    if (!g) return;
    this.gathering.delete(region);
    clearTimeout(g.timer);
    const items = g.items;
    postGroup(
      this.deps,
      region,
      items.map((w) => w.params),
      false,
      (i, o) => (o.ok ? items[i].resolve(o.posted) : items[i].reject(o.error)),
    ).catch((err) => {
      // Settling an item twice does nothing: only those not answered yet get this.
      for (const w of items) w.reject(err);
    });
  }
}

const groups = new WeakMap<Deps, CardGroups>();

/** This app's groups (one per Deps: the API process has one), or undefined when grouping is off. */
export function cardGroupsOf(deps: Deps): CardGroups | undefined {
  if (deps.config.CARD_GROUP_WINDOW_MS === 0) return undefined;
  let g = groups.get(deps);
  if (!g) {
    g = new CardGroups(deps, deps.config.CARD_GROUP_WINDOW_MS, deps.config.CARD_GROUP_MAX);
    groups.set(deps, g);
  }
  return g;
}
