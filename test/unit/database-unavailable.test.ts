// Issue 13: the error handler's answer when the database is away. 503 database-unavailable with
// Retry-After whenever a retry is surely safe (nothing ran; a safe or idempotent method; a route
// keyed by an idempotency key); otherwise the outcome is unknown and it says so, without 503's
// invitation to retry.
import express from 'express';
import request from 'supertest';
import { databaseUnavailable } from '../../api/core/db-errors';
import { errorHandler, retrySafe } from '../../api/http/error-handler';
import { createLogger } from '../../api/core/logger';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const starting = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
const killed = Object.assign(
  new Error("select ledger_post_card_payment('{}') - terminating connection due to unexpected postmaster exit"),
  { code: '57P01' },
);
const dropped = new Error('insert into stalls ... - Connection terminated unexpectedly');
const poolTimeout = Object.assign(
  new Error(
    'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
  ),
  { name: 'KnexTimeoutError' },
);

test('connection failures are told apart from everything else', () => {
  expect(databaseUnavailable(refused)).toBe('not-run');
  expect(databaseUnavailable(starting)).toBe('not-run');
  expect(databaseUnavailable(poolTimeout)).toBe('not-run');
  expect(databaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(
    'not-run',
  );
  expect(databaseUnavailable(Object.assign(new AggregateError([refused, refused]), { code: 'ECONNREFUSED' }))).toBe(
    'not-run',
  );
  expect(databaseUnavailable(killed)).toBe('interrupted');
  expect(databaseUnavailable(Object.assign(new Error('crash'), { code: '57P02' }))).toBe('interrupted');
  expect(databaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe('interrupted');
  expect(databaseUnavailable(dropped)).toBe('interrupted');
  expect(databaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
  expect(databaseUnavailable(new Error('boom'))).toBeUndefined();
  expect(databaseUnavailable(undefined)).toBeUndefined();
});

function app(err: Error) {
  const a = express();
  a.post('/keyed', retrySafe);
  const fail = () => {
    throw err;
  };
  a.get('/read', fail);
  a.post('/keyed', fail);
  a.post('/write', fail);
  a.use(errorHandler(createLogger('silent')));
  return a;
}

test.each([
  ['nothing ran, a write', refused, 'post', '/write'],
  ['nothing ran, the pool timed out', poolTimeout, 'post', '/write'],
  ['lost mid-statement, a read', killed, 'get', '/read'],
  ['lost mid-statement, a write keyed by an idempotency key', killed, 'post', '/keyed'],
] as const)('%s: 503 database-unavailable with Retry-After', async (_what, err, method, path) => {
  const res = await request(app(err))[method](path);
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body.error).toMatchObject({ code: 'database-unavailable', message: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toContain('ledger_post_card_payment');
});

test('lost mid-statement on a write with no idempotency key: the outcome is unknown, not a 503', async () => {
  const res = await request(app(dropped)).post('/write');
  expect(res.status).toBe(500);
  expect(res.headers['retry-after']).toBeUndefined();
  expect(res.body.error.code).toBe('outcome-unknown');
});
