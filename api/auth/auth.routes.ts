import { Router, type Response } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { loginSchema, terminalLoginSchema } from './auth.schemas';
import { loginStaff, loginTerminal } from './auth.service';
import { clientAddress } from './login-limiter.middleware';
import { TooManyAttempts } from './login-limiter.service';

/** A refusal for too many attempts says when to come back. */
async function withRetryAfter<T>(res: Response, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TooManyAttempts) res.set('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}

export function authRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = parseInput(loginSchema, req.body);
    res.json(await withRetryAfter(res, () => loginStaff(deps, body.username, body.password, clientAddress(req))));
  });
  r.post('/auth/terminal', async (req, res) => {
    const body = parseInput(terminalLoginSchema, req.body);
    res.json(await withRetryAfter(res, () => loginTerminal(deps, body.terminalId, body.secret, clientAddress(req))));
  });
  return r;
}
