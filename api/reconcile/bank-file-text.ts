// A bank file's bytes as text, and a statement file's text as statements. Shared by the import
// and by the answer rebuilt for a repeat, which reads the kept bytes the same way.
import { parseCamt } from './importers/camt';
import { parseMt940 } from './importers/mt940';
import { SettlementImportError } from './importers/settlement-types';
import { type ParsedStatement, StatementImportError } from './importers/statement-types';
import { decodeStatementBuffer } from './importers/statement-values';

/** UTF-8 when the bytes are valid UTF-8 (a BOM dropped), else ISO-8859-1, the code page real
 * banks' MT940 and CSV exports use. UTF-16 and binary files are refused at the line of their
 * first NUL: decoded either way they are full of them, and no bank text holds one. */
export function decodeBankFile(bytes: Buffer, kind: 'settlement' | 'statement'): string {
  const refuse = (line: number, reason: string) =>
    kind === 'settlement' ? new SettlementImportError(line, reason) : new StatementImportError(line, reason);
  if (bytes.length === 0) throw refuse(1, 'the file is empty');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw refuse(1, "the file is UTF-16 text: export it as UTF-8 (or the bank's ANSI/Latin-1) instead");
  }
  const text = decodeStatementBuffer(bytes);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw refuse(lineAt(text, nul), 'contains NUL characters: UTF-16 or binary, not text');
  return text;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** camt when the text is XML, else MT940. */
export function parseStatementText(text: string): ParsedStatement[] {
  return text.trimStart().startsWith('<') ? parseCamt(text) : parseMt940(text);
}
