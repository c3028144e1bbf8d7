// The entry point for acquirer settlement files: which layout a text is in, and the parse of it.
// Atomic: parseSettlement returns the whole file or throws SettlementImportError naming a line.
import { refuseBinary } from './csv-text';
import { looksLikeBni, parseBniSettlement } from './settlement-bni';
import { looksLikeBri, parseBriSettlement } from './settlement-bri';
import { looksLikeLinkAja, parseLinkAjaReport } from './settlement-linkaja';
import { looksLikeMandiri, parseMandiriStatement } from './settlement-mandiri';
import { parseMappedSettlement } from './settlement-mapped';
import {
  type ParsedSettlementFile,
  type ParseSettlementOptions,
  type SettlementFormat,
  SettlementImportError,
} from './settlement-types';

export * from './settlement-types';

/** How far into a file its layout shows: LinkAja's header sits under ten lines of criteria. */
const SNIFF_LINES = 20;

/** The layout of a settlement file from its first lines; undefined when it is none we know
 * (then a column mapping must be given). 'mapped' is never detected, only chosen. */
export function detectSettlementFormat(text: string): ParsedSettlementFile['format'] | undefined {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/, SNIFF_LINES * 4)
    // A header re-saved with every cell quoted ("PROC DATE","MID",...) is still the bank's header.
    .map((l) => l.replace(/"/g, ''))
    .filter((l) => l.replace(/[,;\s]/g, '') !== '')
    .slice(0, SNIFF_LINES);
  const first = lines[0] ?? '';
  if (looksLikeMandiri(first)) return 'mandiri';
  if (looksLikeBni(first)) return 'bni';
  if (looksLikeBri(first)) return 'bri';
  if (looksLikeLinkAja(lines)) return 'linkaja';
  return undefined;
}

export function parseSettlement(text: string, opts: ParseSettlementOptions = {}): ParsedSettlementFile {
  refuseBinary(text);
  const keepRaw = opts.keepRaw ?? true;
  const format: SettlementFormat | undefined = opts.format ?? (opts.mapping ? 'mapped' : detectSettlementFormat(text));
  switch (format) {
    case 'bni':
      return parseBniSettlement(text, keepRaw);
    case 'mandiri':
      return parseMandiriStatement(text, keepRaw);
    case 'bri':
      return parseBriSettlement(text, keepRaw);
    case 'linkaja':
      return parseLinkAjaReport(text, keepRaw);
    case 'mapped':
      if (!opts.mapping) throw new SettlementImportError(0, 'a mapped settlement file needs a column mapping');
      return parseMappedSettlement(text, opts.mapping, keepRaw);
    default:
      throw new SettlementImportError(1, 'not a settlement layout we know (BNI, Mandiri, BRI, LinkAja): give a column mapping');
  }
}
