// A settlement file's bytes as text in pieces of a megabyte, decoded by the rules of
// decodeBankFile (bank-file-text.ts) without ever holding the whole text: UTF-8 when the bytes
// are valid UTF-8 (a BOM dropped), else ISO-8859-1; an empty file, UTF-16 and binary refused at
// their line. A file of a megabyte or less is decoded whole by decodeBankFile itself. Workbooks
// never come here (bank-file-workbook.ts reads them).
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { decodeBankFile } from './bank-file-text';
import { HEAD_CHARS, type TextSource, textSource } from './importers/text-source';
import { SettlementImportError } from './importers/settlement-types';

const PIECE_BYTES = 1 << 20;

export function settlementText(bytes: Buffer): TextSource {
  if (bytes.length <= PIECE_BYTES) return textSource(decodeBankFile(bytes, 'settlement'));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return textSource(decodeBankFile(bytes, 'settlement'));
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new SettlementImportError(lineAtByte(bytes, nul), 'contains NUL characters: UTF-16 or binary, not text');
  const utf8 = isUtf8(bytes);
  const pieces = function* (): Generator<string> {
    const decoder = utf8 ? new StringDecoder('utf8') : undefined;
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
      const end = Math.min(at + PIECE_BYTES, bytes.length);
      let piece = decoder ? decoder.write(bytes.subarray(at, end)) : bytes.toString('latin1', at, end);
      if (at === 0 && utf8 && piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      yield piece;
    }
    if (decoder) {
      const rest = decoder.end();
      if (rest) yield rest;
    }
  };
  const first = pieces().next().value as string;
  return { pieces, head: first.slice(0, HEAD_CHARS), hasQuote: bytes.indexOf(0x22) >= 0 };
}

function lineAtByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}
