// Where the banks' files land: <inbox>/<region>/<date>/, the folder the reconciliation schedule
// reads. A second run for the same region and day replaces what the first one wrote (the files
// its manifest names) and nothing else in the folder.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BankFile, Manifest } from './banks/manifest';

export const MANIFEST = 'manifest.json';

export function writeRegionFiles(
  inbox: string,
  region: string,
  date: string,
  files: BankFile[],
  manifest: Manifest,
): string[] {
  const dir = path.join(inbox, region, date);
  mkdirSync(dir, { recursive: true });
  for (const old of previousFiles(dir)) rmSync(path.join(dir, path.basename(old)), { force: true });
  const written = files.map((f) => {
    const file = path.join(dir, f.name);
    writeFileSync(file, f.content);
    return file;
  });
  const manifestFile = path.join(dir, MANIFEST);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return [...written, manifestFile];
}

function previousFiles(dir: string): string[] {
  try {
    const old = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files?: { name?: unknown }[] };
    return (old.files ?? []).map((f) => f.name).filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}
