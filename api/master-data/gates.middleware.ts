// The role gates of the master-data routes. Writes: the admin anywhere, an officer in their own
// region (the service then checks the region). Reads: admin, auditors, officers and market
// managers; collectors and terminals are kept out (they have their own endpoints).
import type { RequestHandler } from 'express';
import type { Deps } from '../core/deps';
import { requireAuth } from '../auth/auth.middleware';

export interface Gates {
  /** Any staff role that may read some master data. */
  read: RequestHandler;
  /** Admin or officer; the service then checks the region. */
  write: RequestHandler;
  admin: RequestHandler;
}

export function gates(deps: Deps): Gates {
  return {
    read: requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'),
    write: requireAuth(deps, 'admin', 'officer'),
    admin: requireAuth(deps, 'admin'),
  };
}
