// A supertest client for the master-data tests: one bearer token, JSON in, response out.
import request from 'supertest';
import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import { tokenFor } from './app';
import type { Principal } from '../../api/auth/principal';

export type Client = ReturnType<typeof clientFor>;

/** nowMs: when the app runs on a fixed clock, tokens must be issued at that clock's time. */
export function clientFor(app: Express, who: Principal | null, nowMs?: number) {
  const auth = (r: request.Test) => (who ? r.set('Authorization', `Bearer ${tokenFor(who, nowMs)}`) : r);
  const url = (path: string) => `/api/v1${path}`;
  return {
    get: (path: string) => auth(request(app).get(url(path))),
    post: (path: string, body?: object) => auth(request(app).post(url(path))).send(body ?? {}),
    patch: (path: string, body: object) => auth(request(app).patch(url(path))).send(body),
    csv: (path: string, text: string) =>
      auth(request(app).post(url(path)))
        .set('Content-Type', 'text/csv')
        .send(text),
  };
}

export const admin = (): Principal => ({ role: 'admin', sub: randomUUID() });
export const officer = (regionId: string): Principal => ({ role: 'officer', sub: randomUUID(), regionId });
export const manager = (regionId: string, marketId: string): Principal => ({
  role: 'manager',
  sub: randomUUID(),
  regionId,
  marketId,
});
export const collector = (regionId: string, marketId: string): Principal => ({
  role: 'collector',
  sub: randomUUID(),
  regionId,
  marketId,
});
export const auditor = (regionId?: string): Principal => ({ role: 'auditor', sub: randomUUID(), regionId });
