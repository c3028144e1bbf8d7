// The entry point for acquirer settlement files: which layout a text is in, and the parse of it.
// Atomic: parseSettlement returns the whole file or throws SettlementImportError naming a line.
// settlementChunks is the same parse handed over chunk by chunk as the lines are read (BNI and
// mapped CSVs; the other layouts are read whole and handed over at once): the importer stores
// each chunk as it comes, and a refusal after some chunks means none of them may be kept.
import { bniSettlementChunks, looksLikeBni } from './settlement-bni';
import { looksLikeBri, parseBriSettlement } from './settlement-bri';
import { looksLikeLinkAja, parseLinkAjaReport } from './settlement-linkaja';
import { looksLikeMandiri, parseMandiriStatement } from './settlement-mandiri';
import { mappedSettlementChunks } from './settlement-mapped';
import { TABLE_CHUNK } from './settlement-table';
import {
  type ParsedSettlementFile,
  type ParsedSettlementLine,
  type ParseSettlementOptions,
  type SettlementFileSummary,
  type SettlementFormat,
  SettlementImportError,
} from './settlement-types';
import { refuseBinary, type TextSource, textSource, wholeText } from './text-source';

export * from './settlement-types';
export { type TextSource, textSource } from './text-source';

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

export function parseSettlement(text: string | TextSource, opts: ParseSettlementOptions = {}): ParsedSettlementFile {
  const chunks = settlementChunks(typeof text === 'string' ? textSource(text) : text, opts);
  const lines: ParsedSettlementLine[] = [];
  for (;;) {
    const next = chunks.next();
    if (next.done) return { ...next.value, lines };
    for (const line of next.value) lines.push(line);
  }
}

export function* settlementChunks(
  source: TextSource,
  opts: ParseSettlementOptions = {},
): Generator<ParsedSettlementLine[], SettlementFileSummary> {
  refuseBinary(source.head);
  const keepRaw = opts.keepRaw ?? true;
  const format: SettlementFormat | undefined =
    opts.format ?? (opts.mapping ? 'mapped' : detectSettlementFormat(source.head));
  switch (format) {
    case 'bni':
      return yield* bniSettlementChunks(source, keepRaw);
    case 'mandiri':
      return yield* inChunks(parseMandiriStatement(wholeText(source), keepRaw));
    case 'bri':
      return yield* inChunks(parseBriSettlement(wholeText(source), keepRaw));
    case 'linkaja':
      return yield* inChunks(parseLinkAjaReport(wholeText(source), keepRaw));
    case 'mapped':
      if (!opts.mapping) throw new SettlementImportError(0, 'a mapped settlement file needs a column mapping');
      return yield* mappedSettlementChunks(source, opts.mapping, keepRaw);
    default:
      throw new SettlementImportError(
        1,
        'not a settlement layout we know (BNI, Mandiri, BRI, LinkAja): give a column mapping',
      );
  }
}

/** A file read whole, handed over in chunks all the same. */
export function* inChunks(parsed: ParsedSettlementFile): Generator<ParsedSettlementLine[], SettlementFileSummary> {
  const { lines, ...summary } = parsed;
  for (let i = 0; i < lines.length; i += TABLE_CHUNK) yield lines.slice(i, i + TABLE_CHUNK);
  return summary;
}
