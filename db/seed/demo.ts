// Placeholder until the demo seed lands: seeds nothing.
import type { Deps } from '../../api/deps';

export async function seedDemoIfEmpty(_deps: Deps): Promise<boolean> {
  return false;
}
