// QR codes read off the PDFs we issue, as a phone's camera would from the printed page: poppler's
// pdftoppm (Debian poppler-utils) draws the first page at 150 dpi, jsQR reads the image.
import jsQR from 'jsqr';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

/** The first page of a PDF as an image, 150 dpi. */
export function firstPagePng(pdf: Buffer): PNG {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-qr-'));
  try {
    writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '150',
      '-f',
      '1',
      '-l',
      '1',
      path.join(dir, 'doc.pdf'),
      path.join(dir, 'page'),
    ]);
    return PNG.sync.read(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.png'))!)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The QR read on a whole page image, if any. */
export function qrOf(png: PNG): string | undefined {
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** The QR of the sticker in a cell of the sticker sheet's grid (3 × 4 on A4), cut out of the page image. */
export function stickerQr(png: PNG, col: number, row: number): string | undefined {
  const w = Math.floor(png.width / 3);
  const h = Math.floor(png.height / 4);
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const from = ((row * h + y) * png.width + col * w) * 4;
    out.set(png.data.subarray(from, from + w * 4), y * w * 4);
  }
  return jsQR(out, w, h)?.data;
}
