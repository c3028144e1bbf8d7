// The copy of a settlement file kept as evidence (bank_files.content) never holds a full card
// number: a card cell that showed more than a masked PAN may (a full PAN, or more than its first
// 6 and last 4 digits) has its other digits replaced by * in place, byte for byte, so the copy
// keeps its length, its lines and its columns and reads again as the same lines. The cells are
// the ones the parser found in the card column (RevealedPan), looked up by their text between
// the file's cell boundaries: a merchant account number elsewhere in the row is left alone.
import { isUtf8 } from 'node:buffer';
import { unprocessable } from '../core/errors';
import { maskDigitsKeepingLength } from '../core/pan';

/** Bytes that end a cell's text: the usual delimiters, quotes, Excel's =" and ' text markers, line ends. */
const BOUNDARY = new Uint8Array(256);
for (const c of [',', ';', '|', '\t', '"', "'", '=', '\r', '\n']) BOUNDARY[c.charCodeAt(0)] = 1;

/**
 * The file with each card cell written as one of `revealed` (cell text -> the first line it is
 * on) masked; a file whose every such cell was found. One that is not found (a cell split by a
 * delimiter we do not know) refuses the file rather than keep a PAN.
 */
export function maskRevealedPans(bytes: Buffer, revealed: Map<string, number>, delimiter?: string): Buffer {
  const boundary = BOUNDARY.slice();
  if (delimiter && delimiter.length === 1 && delimiter.charCodeAt(0) < 128) boundary[delimiter.charCodeAt(0)] = 1;
  const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
  let shortest = Infinity;
  let longest = 0;
  for (const written of revealed.keys()) {
    const n = Buffer.byteLength(written, encoding);
    shortest = Math.min(shortest, n);
    longest = Math.max(longest, n);
  }
  const out = Buffer.from(bytes);
  const found = new Set<string>();
  const cell = (from: number, to: number) => {
    while (from < to && (out[from] === 0x20 || out[from] === 0xa0)) from++;
    while (to > from && (out[to - 1] === 0x20 || out[to - 1] === 0xa0)) to--;
    const n = to - from;
    if (n < shortest || n > longest) return;
    const text = out.toString(encoding, from, to);
    if (!revealed.has(text)) return;
    found.add(text);
    out.write(maskDigitsKeepingLength(text), from, encoding);
  };
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    if (boundary[out[i]]) {
      if (i > start) cell(start, i);
      start = i + 1;
    }
  }
  if (out.length > start) cell(start, out.length);
  for (const [written, line] of revealed) {
    if (!found.has(written)) {
      throw unprocessable(
        'settlement-file-refused',
        `line ${line}: a card number (PAN) in its card column could not be masked in the copy of the file that is kept; nothing was imported`,
        { line, reason: 'a full card number could not be masked in the kept copy' },
      );
    }
  }
  return out;
}
