// Reading back the PDFs we issue as a reader's tool does: poppler's pdftotext (Debian
// poppler-utils, installed by .ci/run), an extractor independent of the library that wrote them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function pdfText(bytes: Buffer, opts: { layout?: boolean } = {}): { text: string; pages: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdftext-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', [...(opts.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    // pdftotext ends every page with a form feed.
    return { text, pages: text.split('\f').length - 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "Rp 1.234.567" / "Rp 1.234,50" → "1234567.00" / "1234.50". */
export function rupiahValue(text: string): string {
  const m = /^(-)?Rp ([\d.]+)(?:,(\d{2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a rupiah amount: ${text}`);
  return `${m[1] ?? ''}${m[2].replace(/\./g, '')}.${m[3] ?? '00'}`;
}

/** supertest: keep a binary response body as a Buffer. */
export function binaryParser(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
