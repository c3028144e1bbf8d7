import express, { Router } from 'express';
import type { Deps } from '../core/deps';
import { acquirerRoutes } from '../acquirers/acquirers.routes';
import { marketRoutes } from '../markets/markets.routes';
import { regionRoutes } from '../regions/regions.routes';
import { stallRoutes } from '../stalls/stalls.routes';
import { tariffRoutes } from '../tariffs/tariffs.routes';
import { tenancyRoutes } from '../tenancies/tenancies.routes';
import { terminalRoutes } from '../terminals/terminals.routes';
import { traderRoutes } from '../traders/traders.routes';
import { userRoutes } from '../users/users.routes';

/**
 * Admin API for master data (regions, markets, stalls, traders, tenancies, tariffs, acquirers,
 * terminals, users). Every route carries its own auth gate: this router is mounted on /api/v1
 * ahead of other areas, so a router-wide middleware would also gate their requests.
 */
export function masterDataRoutes(deps: Deps): Router {
  // Spreadsheet exports arrive as text/csv, or as text/plain from tools that do not know better.
  const csvBody = express.text({ type: ['text/csv', 'text/plain'], limit: '5mb' });
  const r = Router();
  r.use(regionRoutes(deps));
  r.use(marketRoutes(deps));
  r.use(stallRoutes(deps, csvBody));
  r.use(traderRoutes(deps, csvBody));
  r.use(tenancyRoutes(deps));
  r.use(tariffRoutes(deps));
  r.use(acquirerRoutes(deps));
  r.use(terminalRoutes(deps));
  r.use(userRoutes(deps));
  return r;
}
