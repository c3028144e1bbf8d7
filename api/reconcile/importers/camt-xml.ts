// ISO 20022 XML as plain objects, and where each element starts in the file. fast-xml-parser
// keeps no line numbers, so the lines of <Stmt>/<Ntfctn>, <Bal> and <Ntry> are found by a scan
// of the text in document order, which is also the order the parser lists them in.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StatementImportError } from './statement-types';

/** A parsed element: a string for a leaf, an object (attributes as @name, text as #text). */
export type Xml = Record<string, unknown>;

/** Elements the schemas allow more than once: always arrays, even when the file has one. */
const REPEATED = new Set([
  'Stmt',
  'Ntfctn',
  'Rpt',
  'Bal',
  'Ntry',
  'NtryDtls',
  'TxDtls',
  'Ustrd',
  'Strd',
  'Chrgs',
  'Rcrd',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Versions .02 to .08 differ in the namespace URI, and some banks prefix every element
  // (<ns2:Ntry>): the local name is what identifies an element.
  removeNSPrefix: true,
  // Values stay text: "8.850" and "000123" must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

export function parseXml(xml: string): Xml {
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) throw new StatementImportError(verdict.err.line, `not well-formed XML: ${verdict.err.msg}`);
  checkProcessingInstructions(xml);
  try {
    return parser.parse(xml) as Xml;
  } catch (err) {
    throw new StatementImportError(1, `not well-formed XML: ${(err as Error).message}`);
  }
}

/** The validator passes a "<?" that is never closed (a garbled "<Ntry>"), which the parser then
 * fails on without a line: find it here. */
function checkProcessingInstructions(xml: string): void {
  for (const m of xml.matchAll(/<\?/g)) {
    const close = xml.indexOf('?>', m.index);
    const next = xml.indexOf('<', m.index + 1);
    if (close < 0 || (next >= 0 && next < close)) {
      const line = xml.slice(0, m.index).split('\n').length;
      throw new StatementImportError(line, 'not well-formed XML: a processing instruction "<?" is not closed');
    }
  }
}

/** The text of a leaf, whether written <Cd>BOOK</Cd> or with attributes (<Amt Ccy="EUR">). */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String((node as Xml)['#text']);
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  return node && typeof node === 'object' ? ((node as Xml)[`@${name}`] as string | undefined) : undefined;
}

/** Follows a path of child names; undefined as soon as one is missing. */
export function child(node: unknown, ...path: string[]): unknown {
  let at = node;
  for (const name of path) {
    if (!at || typeof at !== 'object') return undefined;
    const next = (at as Xml)[name];
    at = Array.isArray(next) ? next[0] : next;
  }
  return at;
}

export function children(node: unknown, name: string): unknown[] {
  const value = node && typeof node === 'object' ? (node as Xml)[name] : undefined;
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** The texts of a repeated leaf (<Ustrd>, one per line of remittance text). */
export function texts(node: unknown, name: string): string[] {
  return children(node, name).flatMap((c) => text(c) ?? []);
}

export interface ElementLines {
  record: number[];
  Bal: number[];
  Ntry: number[];
  /** The <TxsSummry> line of each record that has one, by record index */
  TxsSummry: Map<number, number>;
}

/** Start lines of <Stmt>/<Ntfctn>, <Bal>, <Ntry> and <TxsSummry> (with or without a prefix), in order.
 * Comments and CDATA are blanked first so that a tag quoted inside them is not counted. */
export function elementLines(xml: string): ElementLines {
  const blanked = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' '));
  const found: ElementLines = { record: [], Bal: [], Ntry: [], TxsSummry: new Map() };
  const tag = /<(?:[\w.-]+:)?(Stmt|Ntfctn|Rpt|Bal|Ntry|TxsSummry)(?=[\s/>])/g;
  let line = 1;
  let from = 0;
  for (const m of blanked.matchAll(tag)) {
    for (let i = from; i < m.index; i++) if (blanked.charCodeAt(i) === 10) line++;
    from = m.index;
    if (m[1] === 'Bal' || m[1] === 'Ntry') found[m[1]].push(line);
    else if (m[1] === 'TxsSummry') found.TxsSummry.set(found.record.length - 1, line);
    else found.record.push(line);
  }
  return found;
}

/** YYYY-MM-DD from <Dt> or <DtTm>: the date as the bank wrote it, in the bank's time zone. */
export function dateOf(node: unknown): string | undefined {
  const value = text(child(node, 'Dt')) ?? text(child(node, 'DtTm'));
  return value === undefined ? undefined : value.slice(0, 10);
}
