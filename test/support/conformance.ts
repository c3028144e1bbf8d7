// The statement conformance files (mt940/, camt/) and the values their sources state, read in
// place: they are never copied into this repository. Where the folder is (CONFORMANCE_DIR, else
// ../shared/conformance next to the repository) is conformance-dir.ts's rule, shared with the
// settlement tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir } from './conformance-dir';

/** Fails, with a message saying so, when the folder is absent: a run without the files must
 * not pass by testing nothing. CI always has them. */
export function requireConformance(folder: string): string {
  const dir = path.join(conformanceDir(), folder);
  if (!existsSync(dir)) {
    throw new Error(
      `The conformance folder is absent: ${dir} does not exist. Set CONFORMANCE_DIR to the shared ` +
        'conformance folder (default ../shared/conformance next to the repository); CI always has it.',
    );
  }
  return dir;
}

/** The bank files of one folder (mt940, camt): everything but SOURCES.md and expected/. Empty
 * when the folder is absent, so that requireConformance's test is the one that fails. */
export function conformanceFiles(folder: string): string[] {
  const dir = path.join(conformanceDir(), folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'SOURCES.md')
    .map((e) => e.name)
    .sort();
}

export function readConformance(folder: string, name: string): Buffer {
  return readFileSync(path.join(requireConformance(folder), name));
}

/** expected/<name>, or undefined when the source gives no such file. */
export function readExpected(folder: string, name: string): string | undefined {
  const file = path.join(requireConformance(folder), 'expected', name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** expected/_computed_summary.txt cut into its "##### <file>" sections, each a list of lines. */
export function computedSummary(folder: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of (readExpected(folder, '_computed_summary.txt') ?? '').split('\n')) {
    const heading = /^##### (.+)$/.exec(line);
    if (heading) sections.set(heading[1].trim(), (current = []));
    else current.push(line);
  }
  return sections;
}
