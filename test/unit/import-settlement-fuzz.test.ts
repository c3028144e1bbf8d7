// Real and simulated settlement files, damaged at random (cut, a line lost or doubled, a character
// changed): the parser either returns a file that is still consistent or refuses it with a
// SettlementImportError naming a line of the file. Never another error, never a half result.
import Decimal from 'decimal.js';
import {
  type ParsedSettlementFile,
  SettlementImportError,
  parseSettlement,
} from '../../api/reconcile/importers/settlement-parse';
import { writeBniSettlementCsv } from '../../terminal-sim/banks/files/bni-settlement-csv';
import { writeMandiriMerchantStatement } from '../../terminal-sim/banks/files/mandiri-merchant-statement';
import { readConformanceText } from '../support/conformance-dir';
import { make } from './bank-files-support';

/** mulberry32: the same damage on every run, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = [',', '"', "'", '\r', '\n', '0', '9', 'x', '.', '-', ' ', 'e', '=', ';', '\u00e9', '\uFEFF'];

function damage(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const lines = text.split('\n');
  const at = pick(text.length);
  switch (pick(6)) {
    case 0:
      return text.slice(0, at);
    case 1:
      lines.splice(pick(lines.length), 1);
      return lines.join('\n');
    case 2: {
      const i = pick(lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, at) + CHARS[pick(CHARS.length)] + text.slice(at + 1);
    case 4:
      return text.slice(0, at) + CHARS[pick(CHARS.length)] + text.slice(at);
    default: {
      const [i, j] = [pick(lines.length), pick(lines.length)];
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
  }
}

function expectConsistent(file: ParsedSettlementFile, physicalLines: number): void {
  expect(file.totals.count).toBe(file.lines.length);
  for (const line of file.lines) {
    expect(line.lineNumber).toBeGreaterThanOrEqual(1);
    expect(line.lineNumber).toBeLessThanOrEqual(physicalLines);
    expect(
      new Decimal(line.gross)
        .minus(line.mdr)
        .minus(line.otherFees ?? 0)
        .eq(line.net),
    ).toBe(true);
  }
  const sum = file.lines.reduce((acc, l) => acc.plus(l.gross), new Decimal(0));
  expect(sum.eq(file.totals.gross)).toBe(true);
}

function fuzz(text: string, rounds: number, seed: number): { accepted: number; refused: number } {
  const random = rng(seed);
  const tally = { accepted: 0, refused: 0 };
  for (let round = 0; round < rounds; round++) {
    const damaged = damage(text, random);
    const physicalLines = damaged.split(/\r\n|\n|\r/).length;
    try {
      expectConsistent(parseSettlement(damaged), physicalLines);
      tally.accepted++;
    } catch (err) {
      if (!(err instanceof SettlementImportError)) {
        throw new Error(`round ${round} (seed ${seed}) threw ${String(err)} instead of refusing`);
      }
      expect(err.line).toBeGreaterThanOrEqual(0);
      expect(err.line).toBeLessThanOrEqual(physicalLines + 1);
      tally.refused++;
    }
  }
  return tally;
}

const sources: [string, () => string, number][] = [
  ['real BNI debit', () => readConformanceText('settlement', 'cashlez_bni_debit_20200521.csv'), 400],
  ['real BRI', () => readConformanceText('settlement', 'cashlez_bri_ecom_20200522.csv'), 400],
  [
    'real LinkAja',
    () => readConformanceText('settlement', 'cashlez_linkaja_trans_status_detail_20200522_REDACTED.csv'),
    400,
  ],
  [
    'real Mandiri',
    () => readConformanceText('settlement', 'cashlez_mandiri_merchant_statement_GROUP-07198-2020-05-22.csv'),
    15,
  ],
  ['simulated BNI', () => writeBniSettlementCsv(make.meta(), [make.line(), make.qrisLine()]), 400],
  [
    'simulated Mandiri',
    () => writeMandiriMerchantStatement(make.meta(), [make.line(), make.qrisLine(), make.line({ rrn: '9' })]),
    400,
  ],
];

test.each(sources)(
  'a damaged %s file parses consistently or is refused with a line, never crashes',
  (_name, read, rounds) => {
    const tally = fuzz(read(), rounds, 20261123);
    // Most damage must be caught; a change in a free-text cell is rightly accepted.
    expect(tally.refused).toBeGreaterThan(tally.accepted / 4);
  },
);
