import { Router } from 'express';
import type { Deps } from '../deps';

/** Admin API for master data (regions, markets, stalls, traders, tenancies, tariffs, acquirers, terminals, users). */
export function masterDataRoutes(_deps: Deps): Router {
  return Router();
}
