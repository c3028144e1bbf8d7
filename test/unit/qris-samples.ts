// Reads the shared QRIS conformance file (44 real payloads with their decoded fields). The file
// lives outside the repo on purpose and is read at test time, never copied in. A missing file or
// a line this reader does not understand throws, so the tests fail instead of passing on nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir } from '../support/conformance-dir';

export const SAMPLES_FILE = path.join(conformanceDir(), 'qris_samples.txt');

export interface QrisSample {
  number: number;
  payload: string;
  length: number;
  crcStored: string;
  crcComputed: string;
  crcValid: boolean;
  /** Decoded field lines by tag: `54 amount: '50000'` gives '54' -> { name: 'amount', text: "'50000'" }. */
  fields: Map<string, { name: string; text: string }>;
  tagOrder: string[];
}

const CRC_LINE = /^length: (\d+)\s+crc_stored: (\S+)\s+crc_computed: (\S+)\s+crc_valid: (True|False)$/;
const FIELD_LINE = /^(\d{2}) (\w+):\s?(.*)$/;

export function loadQrisSamples(): QrisSample[] {
  if (!existsSync(SAMPLES_FILE)) {
    throw new Error(
      `QRIS conformance samples not found at ${SAMPLES_FILE}; the shared folder must sit next to the repo`,
    );
  }
  const blocks = readFileSync(SAMPLES_FILE, 'utf8')
    .split(/^## sample /m)
    .slice(1);
  return blocks.map(parseBlock);
}

function parseBlock(block: string): QrisSample {
  const [header, ...lines] = block.split('\n');
  const number = Number(header.trim());
  const sample: Partial<QrisSample> = { number, fields: new Map() };
  for (const line of lines.map((l) => l.trimEnd())) {
    if (line === '' || line.startsWith('source: ') || line.startsWith('note: ')) continue;
    if (!readLine(sample, line)) throw new Error(`sample ${number}: cannot read line "${line}"`);
  }
  for (const key of ['payload', 'crcStored', 'tagOrder'] as const) {
    if (sample[key] === undefined) throw new Error(`sample ${number}: no ${key}`);
  }
  return sample as QrisSample;
}

function readLine(sample: Partial<QrisSample>, line: string): boolean {
  const crc = CRC_LINE.exec(line);
  const field = FIELD_LINE.exec(line);
  if (line.startsWith('payload: ')) sample.payload = line.slice('payload: '.length);
  else if (line.startsWith('tag order: ')) sample.tagOrder = line.slice('tag order: '.length).split(' ');
  else if (crc) {
    sample.length = Number(crc[1]);
    sample.crcStored = crc[2];
    sample.crcComputed = crc[3];
    sample.crcValid = crc[4] === 'True';
  } else if (field) sample.fields!.set(field[1], { name: field[2], text: field[3] });
  else return false;
  return true;
}

/** `'Starbucks '` -> `Starbucks ` (the quotes keep trailing spaces visible in the file). */
export function unquote(text: string): string {
  const m = /^'(.*)'$/.exec(text);
  if (!m) throw new Error(`expected a quoted value, got ${text}`);
  return m[1];
}

/** `00=id.ovo 01=9360...` -> { '00': 'id.ovo', '01': '9360...' }; empty for an empty line. */
export function subFieldsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\d{2})=(\S*)/g)].map((m) => [m[1], m[2]]));
}

/** `05='VCcCtqJ' 07='HgxK...'` -> { '05': 'VCcCtqJ', '07': 'HgxK...' }. */
export function quotedSubFieldsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\d{2})='([^']*)'/g)].map((m) => [m[1], m[2]]));
}
