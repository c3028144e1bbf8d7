// The only file that touches node-cron.
import type { Deps } from '../api/deps';

export function startSchedule(_deps: Deps): { stop: () => void } {
  return { stop: () => undefined };
}
