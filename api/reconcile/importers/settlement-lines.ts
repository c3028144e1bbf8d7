// The checks every layout shares: a line's net is its gross less its fees, to the last decimal;
// the file's own totals equal the sum of its lines; the file as a whole is returned or refused.
import type { CsvRow } from './csv-text';
import { Decimal, money } from './settlement-values';
import {
  type ParsedSettlementFile,
  type ParsedSettlementLine,
  type StatedTotals,
  SettlementImportError,
} from './settlement-types';

export interface LineAmounts {
  gross: Decimal;
  mdr: Decimal;
  otherFees?: Decimal;
  net: Decimal;
}

/** The amounts of one line as contract strings, refusing a line whose net does not follow. */
export function lineAmounts(
  line: number,
  a: LineAmounts,
): Pick<ParsedSettlementLine, 'gross' | 'mdr' | 'otherFees' | 'net'> {
  const other = a.otherFees ?? new Decimal(0);
  const expected = a.gross.minus(a.mdr).minus(other);
  if (!expected.eq(a.net)) {
    const fees = other.isZero() ? `MDR ${money(a.mdr)}` : `MDR ${money(a.mdr)} - other fees ${money(other)}`;
    throw new SettlementImportError(
      line,
      `net ${money(a.net)} is not gross ${money(a.gross)} - ${fees} = ${money(expected)}`,
    );
  }
  const amounts = { gross: money(a.gross), mdr: money(a.mdr), net: money(a.net) };
  return other.isZero() ? amounts : { ...amounts, otherFees: money(other) };
}

const WHOLE = /^(0|[1-9]\d{0,17})$/;

/** lineAmounts for the common case of whole-rupiah cells as BNI writes them (233000, 350, 0):
 * the same check and the same strings, in exact integer arithmetic (BigInt, never a float)
 * instead of four decimal objects a line, a million lines a day. undefined when a cell is
 * anything else (fractions, separators, blanks are not zero here): then lineAmounts decides. */
export function wholeLineAmounts(
  gross: string,
  mdr: string,
  otherFees: string,
  net: string,
): Pick<ParsedSettlementLine, 'gross' | 'mdr' | 'otherFees' | 'net'> | undefined {
  if (!WHOLE.test(gross) || !WHOLE.test(mdr) || !WHOLE.test(net) || !(otherFees === '' || WHOLE.test(otherFees)))
    return undefined;
  const other = otherFees === '' ? 0n : BigInt(otherFees);
  if (BigInt(gross) - BigInt(mdr) - other !== BigInt(net)) return undefined;
  const amounts = { gross: `${gross}.00`, mdr: `${mdr}.00`, net: `${net}.00` };
  return other === 0n ? amounts : { ...amounts, otherFees: `${otherFees}.00` };
}

function sumOf(lines: ParsedSettlementLine[], pick: (l: ParsedSettlementLine) => string | undefined): Decimal {
  return lines.reduce((acc, l) => acc.plus(pick(l) ?? 0), new Decimal(0));
}

export function totalsOf(lines: ParsedSettlementLine[]): ParsedSettlementFile['totals'] {
  return {
    count: lines.length,
    gross: money(sumOf(lines, (l) => l.gross)),
    mdr: money(sumOf(lines, (l) => l.mdr)),
    otherFees: money(sumOf(lines, (l) => l.otherFees)),
    net: money(sumOf(lines, (l) => l.net)),
  };
}

/** A money string with exactly two decimals ("233000.00"), the form most lines have. */
const CENTS = /^(-?\d{1,16})\.(\d\d)$/;

/** A running sum of money strings: sen in a BigInt for the two-decimal ones, a Decimal for
 * the rest (a bank's MDR of 349.5 is "349.50"; BRI's 8.125 stays as written). Exact either way. */
class MoneySum {
  private sen = 0n;
  private rest = new Decimal(0);

  add(value: string): void {
    const m = CENTS.exec(value);
    if (m) this.sen += BigInt(m[1] + m[2]);
    else this.rest = this.rest.plus(value);
  }

  value(): Decimal {
    return new Decimal(this.sen.toString()).div(100).plus(this.rest);
  }
}

/** totalsOf and shared() kept up line by line, for a file whose lines are never all held. */
export class LineTally {
  private count = 0;
  private readonly gross = new MoneySum();
  private readonly mdr = new MoneySum();
  private readonly otherFees = new MoneySum();
  private readonly net = new MoneySum();
  private readonly shared = new Map<keyof ParsedSettlementLine, { value: unknown; one: boolean }>();

  constructor(private readonly sharedKeys: (keyof ParsedSettlementLine)[] = []) {}

  add(lines: ParsedSettlementLine[]): void {
    for (const l of lines) {
      this.count++;
      this.gross.add(l.gross);
      this.mdr.add(l.mdr);
      if (l.otherFees !== undefined) this.otherFees.add(l.otherFees);
      this.net.add(l.net);
      for (const key of this.sharedKeys) {
        const s = this.shared.get(key);
        if (!s) this.shared.set(key, { value: l[key], one: true });
        else if (s.one && s.value !== l[key]) s.one = false;
      }
    }
  }

  /** The chunks as they come, each added on its way. */
  *through<R>(chunks: Generator<ParsedSettlementLine[], R>): Generator<ParsedSettlementLine[], R> {
    for (;;) {
      const next = chunks.next();
      if (next.done) return next.value;
      this.add(next.value);
      yield next.value;
    }
  }

  totals(): ParsedSettlementFile['totals'] {
    return {
      count: this.count,
      gross: money(this.gross.value()),
      mdr: money(this.mdr.value()),
      otherFees: money(this.otherFees.value()),
      net: money(this.net.value()),
    };
  }

  /** What shared(lines, key) says of every line added */
  sharedValue<K extends keyof ParsedSettlementLine>(key: K): ParsedSettlementLine[K] | undefined {
    const s = this.shared.get(key);
    return s?.one ? (s.value as ParsedSettlementLine[K]) : undefined;
  }
}

/** Refuses a totals row that disagrees with the lines: a row lost or added on the way, or a
 * total the bank computed over something else. Compared as decimals (8172500.000 = 8172500). */
export function checkStated(stated: StatedTotals, totals: ParsedSettlementFile['totals'], what = 'lines'): void {
  if (stated.count !== undefined && stated.count !== totals.count) {
    throw new SettlementImportError(stated.lineNumber, `states ${stated.count} lines, the file has ${totals.count}`);
  }
  for (const key of ['gross', 'mdr', 'net'] as const) {
    const said = stated[key];
    if (said !== undefined && !new Decimal(said).eq(totals[key])) {
      throw new SettlementImportError(stated.lineNumber, `states ${key} ${said}, the ${what} sum to ${totals[key]}`);
    }
  }
}

/** A totals row: its first non-empty cell is just TOTAL (or JUMLAH, GRAND TOTAL, SUBTOTAL), so a
 * merchant named "Total Buah" on an ordinary row is not mistaken for one. */
export function isTotalsRow(row: CsvRow): boolean {
  const first = row.cells.find((c) => c.trim() !== '') ?? '';
  return /^((grand|sub)\s*)?total\s*:?$|^jumlah\s*:?$/i.test(first.trim());
}

/** The value every line shares (one MID, one settlement date), else undefined. */
export function shared<K extends keyof ParsedSettlementLine>(
  lines: ParsedSettlementLine[],
  key: K,
): ParsedSettlementLine[K] | undefined {
  const values = new Set(lines.map((l) => l[key]));
  return values.size === 1 ? lines[0][key] : undefined;
}

/** After a file's last section only blank lines may follow; anything else is another file
 * appended, or garbage, and the whole file is refused rather than half read. */
export function requireNothingAfter(rows: CsvRow[], from: number, layout: string): void {
  const extra = rows.slice(from).find((r) => r.cells.some((c) => c.trim() !== ''));
  if (extra) throw new SettlementImportError(extra.line, `text after the end of the ${layout} file`);
}

/** A masked PAN as stored: at most the first 6 and the last 4 digits, * between them; the first
 * 8 when at least 4 are masked (PCI DSS 4.0's 8-digit BIN of a 16+ digit PAN, as Mandiri writes
 * its domestic cards: 60329886****7570); or just the last 4. The database holds
 * settlement_lines.masked_pan to the same form. */
const STORED_MASK = /^(\d{0,6}\*+\d{0,4}|\d{7,8}\*{4,}\d{0,4}|\d{1,4})$/;

/** Masks a PAN with * whatever the bank used (BNI X, Mandiri *), keeping the digits shown; a
 * cell that shows more than a masked PAN may (a full PAN: 13-19 digits, or more than the first 6
 * and last 4 digits) is masked to its first 6 and last 4, separators dropped. */
export function maskPan(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const asWritten = v.replace(/[^0-9]/g, '*');
  if (STORED_MASK.test(asWritten)) return asWritten;
  const d = v.replace(/[\s.-]/g, '').replace(/[^0-9]/g, '*');
  const n = d.length;
  const leadRun = /^\d*/.exec(d)![0].length;
  const trailRun = /\d*$/.exec(d)![0].length;
  // At least one * whatever the length, at most 6 digits before it and 4 after.
  const trail = Math.min(4, trailRun, Math.max(0, n - 1));
  const lead = Math.min(6, leadRun, Math.max(0, n - 1 - trail));
  return d.slice(0, lead) + '*'.repeat(n - lead - trail) + d.slice(n - trail);
}

/** The card cell of a line: its masked PAN, and the cell as written when masking had to hide
 * digits the bank showed (the importer then masks the copy of the file it keeps). */
export function cardCell(value: string, column: string): Pick<ParsedSettlementLine, 'maskedPan' | 'revealedPan'> {
  const maskedPan = maskPan(value);
  const written = value.trim();
  const digits = (t: string) => t.replace(/\D/g, '').length;
  if (maskedPan === undefined || digits(written) <= digits(maskedPan)) return { maskedPan };
  return { maskedPan, revealedPan: { column, written } };
}

/** undefined for an empty cell, so absent fields stay absent in the parsed line. */
export function text(value: string): string | undefined {
  return value === '' ? undefined : value;
}
