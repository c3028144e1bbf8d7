import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf, requireAuth } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createUserSchema, listUsersQuery, patchUserSchema } from './users.schemas';
import * as users from './users.service';

const userParams = idParams('userId');

export function userRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);
  // Managers see their market's collectors through the collection reports, not the account list.
  const readUsers = requireAuth(deps, 'admin', 'officer', 'auditor');

  r.get('/users', readUsers, async (req, res) => {
    const query = parseInput(listUsersQuery, req.query);
    res.json(await users.listUsers(deps, principalOf(req), query));
  });

  r.post('/users', gate.write, async (req, res) => {
    const body = parseInput(createUserSchema, req.body);
    res.status(201).json(await users.createUser(deps, principalOf(req), body));
  });

  r.patch('/users/:userId', gate.write, async (req, res) => {
    const { userId } = parseInput(userParams, req.params);
    const body = parseInput(patchUserSchema, req.body);
    res.json(await users.patchUser(deps, principalOf(req), userId, body));
  });
  return r;
}
