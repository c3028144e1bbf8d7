import { Router } from 'express';
import type { Deps } from '../core/deps';
import { principalOf } from '../auth/auth.middleware';
import { gates } from '../master-data/gates.middleware';
import { idParams, parseInput } from '../core/schemas';
import { createTariffSchema, endTariffSchema, listTariffsQuery } from './tariffs.schemas';
import * as tariffs from './tariffs.service';

const regionParams = idParams('regionId');
const tariffParams = idParams('tariffId');

export function tariffRoutes(deps: Deps): Router {
  const r = Router();
  const gate = gates(deps);

  r.get('/regions/:regionId/tariffs', gate.read, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const query = parseInput(listTariffsQuery, req.query);
    res.json({ items: await tariffs.listTariffs(deps, principalOf(req), regionId, query) });
  });

  r.post('/regions/:regionId/tariffs', gate.write, async (req, res) => {
    const { regionId } = parseInput(regionParams, req.params);
    const body = parseInput(createTariffSchema, req.body);
    res.status(201).json(await tariffs.createTariff(deps, principalOf(req), regionId, body));
  });

  r.post('/tariffs/:tariffId/end', gate.write, async (req, res) => {
    const { tariffId } = parseInput(tariffParams, req.params);
    const body = parseInput(endTariffSchema, req.body);
    res.json(await tariffs.endTariff(deps, principalOf(req), tariffId, body));
  });
  return r;
}
