import { Router } from 'express';
import type { Deps } from '../deps';
import { loginSchema, terminalLoginSchema } from './auth.schemas';
import { loginStaff, loginTerminal } from './auth.service';

export function authRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = loginSchema.parse(req.body);
    res.json(await loginStaff(deps, body.username, body.password));
  });
  r.post('/auth/terminal', async (req, res) => {
    const body = terminalLoginSchema.parse(req.body);
    res.json(await loginTerminal(deps, body.terminalId, body.secret));
  });
  return r;
}
