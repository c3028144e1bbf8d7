// The command center's feed: the summary per market and region, and payments streamed over SSE
// as they are recorded, through Postgres LISTEN/NOTIFY, scoped to the token's region, with no
// personal data. The stream is read with a raw HTTP request against a listening server.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { Deps } from '../../api/core/deps';
import { errorHandler } from '../../api/http/error-handler';
import { assessDay } from '../../api/assessments/assessment.service';
import { feedRoutes } from '../../api/feed/feed.routes';
import { feedSummarySchema, paymentEventSchema, type PaymentEvent } from '../../api/feed/feed.schemas';
import { businessDate } from '../../api/core/time';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { cardScenario } from '../support/scenario';
import { postCard } from '../support/pay';
import { eventually, waitFor } from '../support/wait';

/** The app with the feed's heartbeat every heartbeatMs (createApp's feed beats every 15 s): the
 * feed router built with it in front of the app, which serves everything else. */
function withHeartbeat(deps: Deps, heartbeatMs: number): Express {
  const outer = express();
  outer.use('/api/v1', feedRoutes(deps, { heartbeatMs }));
  outer.use(createApp(deps));
  outer.use(errorHandler(deps.logger));
  return outer;
}

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the client's end of the connection: its port tells the server's socket for it */
  port: number;
  events: { event: string; id?: string; data: PaymentEvent; at: number }[];
  comments: string[];
  /** the first event matching, waiting at most timeoutMs */
  next(match: (e: PaymentEvent) => boolean, timeoutMs?: number): Promise<{ data: PaymentEvent; at: number }>;
  close(): void;
}

/** Opens GET /api/v1/feed/payments and resolves once the stream says it is ready (or was refused). */
function openStream(base: string, token: string | undefined, query = ''): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${base}/api/v1/feed/payments${query}`,
      { headers: token ? { Authorization: `Bearer ${token}` } : {} },
      (res) => {
        const stream: Stream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          port: res.socket.localPort ?? 0,
          events: [],
          comments: [],
          next: (match, timeoutMs = 3000) =>
            new Promise((ok, fail) => {
              const started = Date.now();
              const poll = () => {
                const hit = stream.events.find((e) => match(e.data));
                if (hit) return ok(hit);
                if (Date.now() - started > timeoutMs)
                  return fail(new Error(`no matching event within ${timeoutMs} ms`));
                setTimeout(poll, 5);
              };
              poll();
            }),
          close: () => req.destroy(),
        };
        if (stream.status !== 200) {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ ...stream, events: [], comments: [body] }));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = Date.now();
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const fields = block.split('\n');
            stream.comments.push(...fields.filter((l) => l.startsWith(':')).map((l) => l.slice(1).trim()));
            const field = (name: string) => fields.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
            const data = field('data');
            if (data)
              stream.events.push({ event: field('event') ?? 'message', id: field('id'), data: JSON.parse(data), at });
            if (stream.comments.includes('ready')) resolve(stream);
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
  });
}

let t: TestDb;
let deps: Deps;
let app: Express;
let server: http.Server;
let base: string;
/** The server's open connections, by the client's port. */
const serverSockets = new Map<number, Socket>();

beforeAll(async () => {
  t = await freshDb();
  ({ app, deps } = testApp(t.knex));
  server = app.listen(0, '127.0.0.1');
  server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    serverSockets.set(port, socket);
    socket.on('close', () => serverSockets.delete(port));
  });
  await new Promise((ok) => server.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await t.drop();
});

const feedToken = (regionId?: string) => tokenFor({ role: 'feed', sub: 'feed-test', regionId });

const payCard = (s: Awaited<ReturnType<typeof cardScenario>>, amount: string, stall = s.stall) =>
  postCard(app, { ...s, stall }, { amount });

/** Closes a stream of this file's server and waits until the server has let it go (its socket
 * closed, so the stream's handler has unsubscribed). */
async function leave(stream: Stream): Promise<void> {
  stream.close();
  await waitFor('the server to close the stream', () => !serverSockets.has(stream.port));
}

/** The feed's LISTEN connections to this test's database right now. */
async function listeners(): Promise<number> {
  const { rows } = await t.knex.raw(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'e-retribusi-feed'`,
  );
  return rows[0].n;
}

test('a card payment reaches an open stream within a second, with the market and amount and no trader data', async () => {
  const s = await cardScenario(t.knex);
  const stream = await openStream(base, feedToken(s.region.id));
  try {
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const sent = Date.now();
    const paid = await payCard(s, '3000');
    expect(paid.status).toBe(201);
    const got = await stream.next((e) => e.paymentId === paid.body.paymentId);
    expect(got.at - sent).toBeLessThan(1000);
    expect(paymentEventSchema.parse(got.data)).toEqual({
      paymentId: paid.body.paymentId,
      regionId: s.region.id,
      regionCode: s.region.code,
      marketId: s.market.id,
      marketCode: s.market.code,
      marketName: s.market.name,
      stallCode: s.stall.code,
      amount: '3000.00',
      channel: 'card',
      businessDate: paid.body.businessDate,
      paidAt: expect.any(String),
      recordedAt: expect.any(String),
    });
    expect(stream.events.find((e) => e.data.paymentId === paid.body.paymentId)).toMatchObject({
      event: 'payment',
      id: paid.body.paymentId,
    });
    const text = JSON.stringify(stream.events);
    for (const secret of [s.trader.name, s.trader.id, '522184******1234']) expect(text).not.toContain(secret);
  } finally {
    stream.close();
  }
});

test("a feed token of region B hears region B's payments and not region A's", async () => {
  const [A, B] = [await cardScenario(t.knex), await cardScenario(t.knex)];
  const [streamA, streamB, streamAll] = await Promise.all([
    openStream(base, feedToken(A.region.id)),
    openStream(base, feedToken(B.region.id)),
    openStream(base, feedToken()),
  ]);
  try {
    const inA = await payCard(A, '1500');
    await streamA.next((e) => e.paymentId === inA.body.paymentId);
    // B's own payment comes after A's on the same channel: once it arrives, A's would have too.
    const inB = await payCard(B, '2500');
    await streamB.next((e) => e.paymentId === inB.body.paymentId);
    expect(streamB.events.map((e) => e.data.regionId)).toEqual([B.region.id]);
    expect(streamA.events.map((e) => e.data.regionId)).not.toContain(B.region.id);
    // A feed token without a region, like the admin, sees every region.
    await streamAll.next((e) => e.paymentId === inB.body.paymentId);
    expect(streamAll.events.map((e) => e.data.paymentId)).toEqual(
      expect.arrayContaining([inA.body.paymentId, inB.body.paymentId]),
    );
  } finally {
    [streamA, streamB, streamAll].forEach((s) => s.close());
  }
});

test('an officer hears their own region only and is refused another region', async () => {
  const [A, B] = [await cardScenario(t.knex), await cardScenario(t.knex)];
  const officerB = tokenFor({ role: 'officer', sub: 'officer-b', regionId: B.region.id });
  const refused = await openStream(base, officerB, `?regionId=${A.region.id}`);
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.comments[0]).error.code).toBe('forbidden');
  const own = await openStream(base, officerB);
  try {
    const inA = await payCard(A, '1000');
    const inB = await payCard(B, '1000');
    await own.next((e) => e.paymentId === inB.body.paymentId);
    expect(own.events.map((e) => e.data.paymentId)).not.toContain(inA.body.paymentId);
  } finally {
    own.close();
  }
});

test('collectors, managers and terminals get 403 on both feed endpoints, no token 401', async () => {
  const s = await cardScenario(t.knex);
  const scope = { regionId: s.region.id, marketId: s.market.id };
  for (const token of [
    tokenFor({ role: 'collector', sub: 'c', ...scope }),
    tokenFor({ role: 'manager', sub: 'm', ...scope }),
    s.terminalToken,
  ]) {
    const summary = await request(app).get('/api/v1/feed/summary').set('Authorization', `Bearer ${token}`);
    expect(summary.status).toBe(403);
    expect(summary.body.error.code).toBe('forbidden');
    expect((await openStream(base, token)).status).toBe(403);
  }
  expect((await request(app).get('/api/v1/feed/summary')).status).toBe(401);
  expect((await openStream(base, undefined)).status).toBe(401);
});

test('one LISTEN connection serves every stream of the process and is closed when the last one leaves', async () => {
  const s = await cardScenario(t.knex);
  await eventually(async () => (await listeners()) === 0);
  const streams = await Promise.all([openStream(base, feedToken()), openStream(base, feedToken())]);
  expect(await listeners()).toBe(1);
  await leave(streams[0]);
  // The one left still hears payments, over the same connection.
  const paid = await payCard(s, '1000');
  expect(paid.status).toBe(201);
  await streams[1].next((e) => e.paymentId === paid.body.paymentId);
  expect(await listeners()).toBe(1);
  streams[1].close();
  expect(await eventually(async () => (await listeners()) === 0)).toBe(true);
});

/** Another API instance on the same database, with its own LISTEN connection and relay. */
async function secondInstance(o?: { heartbeatMs: number }) {
  const srv = (o ? withHeartbeat(deps, o.heartbeatMs) : testApp(t.knex).app).listen(0, '127.0.0.1');
  await new Promise((ok) => srv.once('listening', ok));
  return {
    base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: async () => {
      srv.closeAllConnections();
      await new Promise((ok) => srv.close(ok));
    },
  };
}

test('behind a load balancer: a payment recorded through one instance reaches the viewers of every instance, once each', async () => {
  const s = await cardScenario(t.knex);
  const other = await secondInstance();
  const streams = await Promise.all([
    openStream(base, feedToken()),
    openStream(other.base, feedToken()),
    openStream(other.base, feedToken(s.region.id)),
  ]);
  try {
    const paid = await payCard(s, '2000'); // through this file's instance
    for (const stream of streams) await stream.next((e) => e.paymentId === paid.body.paymentId);
    // A payment recorded after it is relayed after it: once each stream has that one, a second
    // relay of the first (by either instance) would have reached it before.
    const after = await payCard(s, '1000');
    for (const stream of streams) await stream.next((e) => e.paymentId === after.body.paymentId);
    for (const stream of streams)
      expect(stream.events.filter((e) => e.data.paymentId === paid.body.paymentId)).toHaveLength(1);
    expect(await listeners()).toBe(2);
    expect((await t.knex('payment_announcements').count('* as n').first())?.n).toBe('0');
  } finally {
    streams.forEach((x) => x.close());
    await other.close();
  }
});

test("a malformed notice on the channel, heard together with a payment's, does not keep that payment from the stream", async () => {
  const s = await cardScenario(t.knex);
  const stream = await openStream(base, feedToken()); // one that hears every region, bogus ones too
  try {
    const paid = await payCard(s, '1200');
    await stream.next((e) => e.paymentId === paid.body.paymentId);
    // Announced again by hand, in one transaction with a bogus notice: both are heard in one read.
    const again = JSON.stringify({ region_id: s.region.id, id: paid.body.paymentId });
    await t.knex.raw(`select pg_notify('payments', '{"region_id":"x","id":"y"}'), pg_notify('payments', ?)`, [again]);
    expect(
      await eventually(async () => stream.events.filter((e) => e.data.paymentId === paid.body.paymentId).length === 2),
    ).toBe(true);
  } finally {
    stream.close();
  }
});

test('while no feed watches, payments leave no announcements behind', async () => {
  const s = await cardScenario(t.knex);
  expect(await eventually(async () => (await listeners()) === 0)).toBe(true);
  await t.knex('feed_watch').update({ until: t.knex.raw(`now() - interval '1 second'`) }); // the lease ran out
  const before = await t.knex('payment_announcements').count('* as n').first();
  expect((await payCard(s, '1000')).status).toBe(201);
  expect(await t.knex('payment_announcements').count('* as n').first()).toEqual(before);
});

test('an idle stream gets a heartbeat comment', async () => {
  const quick = await secondInstance({ heartbeatMs: 50 });
  const stream = await openStream(quick.base, feedToken());
  try {
    expect(await eventually(async () => stream.comments.includes('heartbeat'), 2000)).toBe(true);
  } finally {
    stream.close();
    await quick.close();
  }
});

test("the summary: today's assessed, collected by channel without voided payments, share paid, and recent reconciliations", async () => {
  const s = await cardScenario(t.knex);
  const other = await cardScenario(t.knex);
  const [stall2, stall3] = [
    await make.stall(t.knex, s.region.id, s.market.id),
    await make.stall(t.knex, s.region.id, s.market.id),
  ];
  for (const stall of [stall2, stall3])
    await make.tenancy(t.knex, s.region.id, stall.id, (await make.trader(t.knex, s.region.id)).id);
  const today = businessDate(new Date(), 'Asia/Jakarta');
  await assessDay(deps, s.region.code, today); // three stalls of 6 m² x Rp 500 = Rp 3.000 each
  expect((await payCard(s, '3000')).status).toBe(201); // paid
  expect((await payCard(s, '1000', stall2)).status).toBe(201); // partly paid
  const voided = await payCard(s, '3000', stall3); // paid, then voided: unpaid again
  const v = await request(app)
    .post(`/api/v1/payments/${voided.body.paymentId}/void`)
    .set('Authorization', `Bearer ${s.terminalToken}`)
    .send({ voidReference: 'VOID000001' });
  expect(v.status).toBe(201);

  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const run = (n: number, status: string) =>
    t
      .knex('reconciliation_runs')
      .insert({ region_id: s.region.id, business_date: day(n), summary: JSON.stringify({ status }) });
  await Promise.all([run(1, 'closed'), run(2, 'awaiting'), run(3, 'open'), run(8, 'open')]);

  const res = await request(app)
    .get('/api/v1/feed/summary')
    .query({ regionId: s.region.id })
    .set('Authorization', `Bearer ${feedToken()}`);
  expect(res.status).toBe(200);
  const body = feedSummarySchema.parse(res.body);
  expect(body.regions).toHaveLength(1);
  const region = body.regions[0];
  const card = { count: 2, amount: '4000.00' };
  const none = { count: 0, amount: '0.00' };
  const market = {
    assessed: { stalls: 3, amount: '9000.00' },
    paidStalls: 1,
    partlyPaidStalls: 1,
    sharePaid: 0.3333,
    collected: { ...card, byChannel: { card, qris: none, cash: none } },
  };
  expect(region).toEqual({
    regionId: s.region.id,
    code: s.region.code,
    name: s.region.name,
    timeZone: 'Asia/Jakarta',
    businessDate: today,
    totals: market,
    markets: [{ marketId: s.market.id, code: s.market.code, name: s.market.name, ...market }],
    reconciliation: [
      { businessDate: day(1), status: 'clean' },
      { businessDate: day(2), status: 'awaiting' },
      { businessDate: day(3), status: 'exceptions' },
      ...[4, 5, 6, 7].map((n) => ({ businessDate: day(n), status: 'never' })),
    ],
  });
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(s.trader.name);
  expect(text).not.toContain(other.region.id);
});

test('the summary shows a region-scoped token its region only, and refuses it another', async () => {
  const [A, B] = [await cardScenario(t.knex), await cardScenario(t.knex)];
  const get = (token: string, regionId?: string) =>
    request(app)
      .get('/api/v1/feed/summary')
      .query(regionId ? { regionId } : {})
      .set('Authorization', `Bearer ${token}`);
  for (const token of [
    feedToken(B.region.id),
    tokenFor({ role: 'officer', sub: 'o', regionId: B.region.id }),
    tokenFor({ role: 'auditor', sub: 'a', regionId: B.region.id }),
  ]) {
    const own = await get(token);
    expect(own.status).toBe(200);
    expect(own.body.regions.map((r: { regionId: string }) => r.regionId)).toEqual([B.region.id]);
    expect((await get(token, A.region.id)).status).toBe(403);
  }
  const all = await get(tokenFor({ role: 'admin', sub: 'admin' }));
  expect(all.body.regions.map((r: { regionId: string }) => r.regionId)).toEqual(
    expect.arrayContaining([A.region.id, B.region.id]),
  );
  const globalAuditor = await get(tokenFor({ role: 'auditor', sub: 'a' }), A.region.id);
  expect(globalAuditor.body.regions.map((r: { regionId: string }) => r.regionId)).toEqual([A.region.id]);
});

test('an officer gives the command center a feed account of the region, which logs in with the feed role', async () => {
  const s = await cardScenario(t.knex);
  const officer = tokenFor({
    role: 'officer',
    sub: (await make.user(t.knex, 'officer', { regionId: s.region.id })).id,
    regionId: s.region.id,
  });
  const account = {
    username: `cc-${s.region.code.toLowerCase()}`,
    password: 'command-center-1',
    role: 'feed',
    regionId: s.region.id,
    displayName: 'Command Center',
  };
  const created = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${officer}`).send(account);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ role: 'feed', regionId: s.region.id, marketId: null });
  // Not one of every region: only the admin gives that.
  const global = await request(app)
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${officer}`)
    .send({ ...account, username: 'cc-all', regionId: null });
  expect(global.status).toBe(403);
  const login = await request(app)
    .post('/api/v1/auth/login')
    .send({ username: account.username, password: account.password });
  expect(login.body).toMatchObject({ role: 'feed', regionId: s.region.id });
  expect(
    (await request(app).get('/api/v1/feed/summary').set('Authorization', `Bearer ${login.body.token}`)).status,
  ).toBe(200);
  // ... and nothing else: master data and collection views are not the feed's.
  expect(
    (await request(app).get(`/api/v1/markets/${s.market.id}/stalls`).set('Authorization', `Bearer ${login.body.token}`))
      .status,
  ).toBe(403);
  expect(
    (await request(app).get(`/api/v1/regions/${s.region.id}`).set('Authorization', `Bearer ${login.body.token}`))
      .status,
  ).toBe(403);
});
