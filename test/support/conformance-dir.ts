// Where the real bank files live: CONFORMANCE_DIR, else ../shared/conformance next to the repo.
// They stay outside the repo on purpose and are read at test time. A missing folder or file
// throws, so the conformance tests fail, loudly, instead of passing on nothing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function conformanceDir(): string {
  return path.resolve(process.env.CONFORMANCE_DIR ?? path.resolve(__dirname, '../../../shared/conformance'));
}

function requireFolder(folder: string): string {
  const dir = path.join(conformanceDir(), folder);
  if (!existsSync(dir)) {
    throw new Error(
      `conformance folder not found at ${dir}: set CONFORMANCE_DIR or put shared/conformance next to the repo`,
    );
  }
  return dir;
}

/** The file names in a conformance sub-folder ending in ext, sorted. */
export function conformanceFiles(folder: string, ext: string): string[] {
  return readdirSync(requireFolder(folder))
    .filter((f) => f.toLowerCase().endsWith(ext))
    .sort();
}

export function readConformanceText(folder: string, file: string): string {
  const full = path.join(requireFolder(folder), file);
  if (!existsSync(full)) throw new Error(`conformance file not found at ${full}`);
  return readFileSync(full, 'utf8');
}

/** A conformance file's bytes, for the binary originals (xls, xlsx). */
export function readConformanceBytes(folder: string, file: string): Buffer {
  const full = path.join(requireFolder(folder), file);
  if (!existsSync(full)) throw new Error(`conformance file not found at ${full}`);
  return readFileSync(full);
}
