import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { parseInput } from '../core/schemas';
import { terminalParams } from '../terminals/terminals.schemas';
import { assignmentParams, createAssignmentSchema, endAssignmentSchema } from './terminal-assignments.schemas';
import * as assignments from './terminal-assignments.service';

export function terminalAssignmentRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.post('/terminals/:terminalId/assignments', gate.write, async (req, res) => {
    const { terminalId } = parseInput(terminalParams, req.params);
    const body = parseInput(createAssignmentSchema, req.body);
    res.status(201).json(await assignments.createAssignment(deps, principalOf(req), terminalId, body));
  });

  r.get('/terminals/:terminalId/assignments', gate.read, async (req, res) => {
    const { terminalId } = parseInput(terminalParams, req.params);
    res.json({ items: await assignments.listAssignments(deps, principalOf(req), terminalId) });
  });

  r.post('/terminal-assignments/:assignmentId/end', gate.write, async (req, res) => {
    const { assignmentId } = parseInput(assignmentParams, req.params);
    const body = parseInput(endAssignmentSchema, req.body);
    res.json(await assignments.endAssignment(deps, principalOf(req), assignmentId, body));
  });
  return r;
}
