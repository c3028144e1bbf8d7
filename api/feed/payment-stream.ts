// Payments as they are recorded, for the feed's Server-Sent Events. A payment's own transaction
// leaves an announcement while some feed watches (db/migrations/20261126100000_feed_role.ts says
// why it does not NOTIFY itself); every instance with viewers relays announcements as NOTIFYs on
// the 'payments' channel, so every instance behind the load balancer hears every payment,
// wherever it was recorded.
//
// One connection per process, of its own, for LISTEN and the relay: LISTEN needs a session that
// stays put, which a pooled knex connection (or a transaction-mode pooler) is not. It is opened
// by the first viewer and closed when the last one leaves, so an instance nobody watches holds no
// extra connection and relays nothing; the price is a connect (a few ms) for the first viewer
// after a quiet spell. If it is lost, every viewer's stream is closed: their clients reconnect
// (SSE retry), perhaps to another instance, rather than sit on a stream that went silent.
import pg from 'pg';
import type { Knex } from 'knex';
import type { Deps } from '../core/deps';
import { paymentEvents, RELAY_SQL, type PaymentNotice } from './feed.repository';
import type { PaymentEvent } from './feed.schemas';

export const PAYMENTS_CHANNEL = 'payments';
/** How often an instance with viewers relays announcements: the feed's delay, at most. */
export const RELAY_MS = 100;

export interface Subscriber {
  /** undefined: every region */
  regionId?: string;
  send(event: PaymentEvent): void;
  /** the stream cannot go on (the LISTEN connection was lost) */
  close(): void;
}

const wants = (s: Subscriber, regionId: string) => !s.regionId || s.regionId === regionId;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dedicated connection takes the knex pool's settings, under a name of its own. */
function connectionOf(knex: Knex): pg.ClientConfig {
  const c = (knex.client as { config: { connection: string | pg.ClientConfig } }).config.connection;
  const base = typeof c === 'string' ? { connectionString: c } : c;
  return { ...base, application_name: 'e-retribusi-feed' };
}

/** The one stream of an app's deps: the API's feed and the command-center page share it, so a
 * process holds one LISTEN connection whoever watches. */
const streams = new WeakMap<Deps, PaymentStream>();
export function paymentStreamOf(deps: Deps): PaymentStream {
  let s = streams.get(deps);
  if (!s) streams.set(deps, (s = new PaymentStream(deps)));
  return s;
}

export class PaymentStream {
  private readonly subscribers = new Set<Subscriber>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private relayTimer?: NodeJS.Timeout;
  private relaying = false;
  private pending: PaymentNotice[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;

  constructor(private readonly deps: Deps) {}

  /** Resolves once LISTEN and the watch lease are in place, so nothing recorded after it is
   * missed; returns the unsubscribe. */
  async subscribe(s: Subscriber): Promise<() => void> {
    this.subscribers.add(s);
    try {
      await (this.connecting ??= this.connect());
    } catch (err) {
      this.subscribers.delete(s);
      throw err;
    }
    return () => {
      if (this.subscribers.delete(s) && this.subscribers.size === 0) void this.stop();
    };
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(connectionOf(this.deps.knex));
    client.on('notification', (msg) => this.heard(msg.payload));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${PAYMENTS_CHANNEL}`);
      // The lease is taken before the first viewer is told the stream is open.
      await client.query(RELAY_SQL);
    } catch (err) {
      this.connecting = undefined;
      client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.relayTimer = setInterval(() => void this.relay(client), RELAY_MS);
    this.relayTimer.unref();
  }

  private async relay(client: pg.Client): Promise<void> {
    if (this.relaying || client !== this.client) return;
    this.relaying = true;
    try {
      await client.query(RELAY_SQL);
    } catch (err) {
      // A failed step leaves the transaction aborted; end it so the next step can run.
      await client.query('rollback').catch(() => undefined);
      if (client === this.client) this.deps.logger.warn({ err }, 'feed: a relay step failed');
    } finally {
      this.relaying = false;
    }
  }

  /** Closes the connection when nobody came back while it was being opened. */
  private async stop(): Promise<void> {
    const connecting = this.connecting;
    await connecting?.catch(() => undefined);
    if (this.subscribers.size > 0 || this.connecting !== connecting) return;
    const client = this.client;
    this.detach();
    await client?.end().catch(() => undefined);
  }

  private detach(): void {
    clearInterval(this.relayTimer);
    this.relayTimer = undefined;
    this.client = undefined;
    this.connecting = undefined;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client) return;
    this.detach();
    this.deps.logger.warn({ err }, 'feed: the LISTEN connection was lost; closing the payment streams');
    const gone = [...this.subscribers];
    this.subscribers.clear();
    for (const s of gone) s.close();
    client.end().catch(() => undefined);
  }

  private heard(payload: string | undefined): void {
    let notice: PaymentNotice;
    try {
      notice = JSON.parse(payload ?? '');
    } catch {
      return;
    }
    // Anyone connected to the database may NOTIFY this channel: one malformed notice must not
    // spoil the lookup of the payments heard with it.
    if (!UUID.test(String(notice?.region_id)) || !UUID.test(String(notice?.id))) return;
    if (![...this.subscribers].some((s) => wants(s, notice.region_id))) return;
    this.pending.push(notice);
    // Notices that arrive together are looked up together, in one query, and in order.
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      const batch = this.pending;
      this.pending = [];
      this.flushing = this.flushing.then(() => this.deliver(batch));
    });
  }

  private async deliver(batch: PaymentNotice[]): Promise<void> {
    try {
      const events = await paymentEvents(this.deps.knex, batch);
      for (const e of events) for (const s of this.subscribers) if (wants(s, e.regionId)) s.send(e);
    } catch (err) {
      this.deps.logger.error({ err, payments: batch.length }, 'feed: could not look up announced payments');
    }
  }
}
