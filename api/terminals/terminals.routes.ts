import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createTerminalSchema, patchTerminalSchema, terminalParams } from './terminals.schemas';
import * as terminals from './terminals.service';

const marketParams = idParams('marketId');

export function terminalRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/markets/:marketId/terminals', gate.read, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    res.json({ items: await terminals.listTerminals(deps, principalOf(req), marketId) });
  });

  r.post('/markets/:marketId/terminals', gate.write, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params);
    const body = parseInput(createTerminalSchema, req.body);
    res.status(201).json(await terminals.createTerminal(deps, principalOf(req), marketId, body));
  });

  r.patch('/terminals/:terminalId', gate.write, async (req, res) => {
    const { terminalId } = parseInput(terminalParams, req.params);
    const body = parseInput(patchTerminalSchema, req.body);
    res.json(await terminals.patchTerminal(deps, principalOf(req), terminalId, body));
  });
  return r;
}
