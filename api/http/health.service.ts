// GET /health: the process is up and its database answers (a failure is the error handler's 503).
import type { Deps } from '../core/deps';
import { selectOne } from './health.repository';

export async function health(deps: Deps): Promise<{ status: 'ok' }> {
  await selectOne(deps.knex);
  return { status: 'ok' };
}
