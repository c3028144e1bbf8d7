// One entry per route the API serves: what the OpenAPI document and the /docs page are made of.
// Requests are described by the zod schemas the routes parse with, so a changed field changes the
// document; test/api/openapi.test.ts fails when a route is served without an entry, or listed
// without being served.
import type { z } from 'zod';
import type { Role } from '../auth/principal';

/**
 * Who may call: nobody in particular, a bank (signed headers), or a bearer token of one of these
 * roles (the service then checks the token's scope against what is addressed).
 */
export type Access = 'public' | 'bank-signature' | readonly Role[];

export type MediaType =
  | 'application/json'
  | 'text/html'
  | 'text/csv'
  | 'application/pdf'
  | 'text/event-stream'
  | 'application/octet-stream';

export interface Body {
  /** a named JSON body, listed once under components.schemas */
  schema?: z.ZodType;
  name?: string;
  /** a raw body (a CSV or a bank's file), read whole */
  raw?: MediaType;
  description?: string;
  optional?: boolean;
}

export interface Answer {
  description: string;
  /** default application/json */
  type?: MediaType;
  schema?: z.ZodType;
  /** the schema's name under components.schemas */
  name?: string;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** as Express registers it: /api/v1/markets/:marketId */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** path parameters; by default each :name, a uuid when it ends in Id */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: Body;
  /** the successful answers; the error answers follow from access, params and body */
  ok: Record<number, Answer>;
  /** error answers beyond those (409 idempotency-conflict, 422 ...) */
  errors?: Record<number, string>;
}

// Role sets the routes use, named once.
export const STAFF_READ = ['admin', 'officer', 'manager', 'auditor'] as const; // gates().read
export const STAFF_WRITE = ['admin', 'officer'] as const; // gates().write
/** Region-wide reads: not a manager's, whose scope is one market. */
export const REGION_READ = ['admin', 'officer', 'auditor'] as const;
/** Any token; the service admits those whose scope covers the market (feed tokens have none). */
export const MARKET_SCOPE = ['admin', 'officer', 'manager', 'collector', 'auditor', 'terminal'] as const;
export const TERMINAL = ['terminal'] as const;
