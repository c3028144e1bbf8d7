// npx tsx bench/profile-summary.ts DIR: what the API process spent its CPU on, from the V8
// profiles that `npm run bench -- --api-profile DIR` wrote. Self time grouped by package (or by
// our own top-level folder), then the costliest functions.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const m = /\/(api|db|bench|jobs|reports)\//.exec(url);
  return m ? `${m[1]}/ (ours)` : path.basename(url);
}

function summarize(file: string, top: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    total += us;
    const o = owner(n.callFrame.url);
    byOwner.set(o, (byOwner.get(o) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anonymous)'}  ${o}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s busy (idle excluded)`);
  for (const [o, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${o}`);
  console.log('  costliest functions (self time):');
  for (const [f, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx bench/profile-summary.ts DIR');
  process.exit(2);
}
for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) summarize(path.join(dir, f), 25);
