// A settlement file's text handed to the parsers in pieces, so that a million-line file is
// never one string, let alone several (the text, a copy with its line ends normalised, ...).
// A piece ends anywhere, even inside a line; the readers carry the rest over to the next one.
import { SettlementImportError } from './settlement-types';

export interface TextSource {
  /** The text in order, piece by piece; every call starts from the beginning */
  pieces(): Iterable<string>;
  /** The text's beginning (at least its first hundred lines, or all of it): where its layout shows */
  head: string;
  /** A double quote occurs somewhere: the text needs a real CSV reader, not a line splitter */
  hasQuote: boolean;
}

/** A text already whole (a test's, a workbook converted to CSV). */
export function textSource(text: string): TextSource {
  refuseBinary(text);
  return { pieces: () => [text], head: text.slice(0, HEAD_CHARS), hasQuote: text.indexOf('"') >= 0 };
}

/** All the pieces as one string: for the layouts read whole (Mandiri, LinkAja, BRI). */
export function wholeText(source: TextSource): string {
  const parts = [...source.pieces()];
  return parts.length === 1 ? parts[0] : parts.join('');
}

export const HEAD_CHARS = 64 * 1024;

/** A UTF-16 export read as UTF-8 puts a NUL after every ASCII character; so does a binary file. */
export function refuseBinary(text: string): void {
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    throw new SettlementImportError(lineAt(text, nul), 'contains NUL characters: UTF-16 or binary, not CSV text');
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
