// Mandiri charges its MDR per MID x network x payment batch (the SUMMARY GROUP rows), never per
// transaction. Each detail row joins its summary row by MID, MerchACC (the network's account
// code: 21 Mandiri MasterCard, 57 off-us MasterCard, 67 NPG ...) and PAYMENTBATCH; the detail
// rows of a group must add up to its TOTAMOUNT, and the group's MDR is spread over them.
import type { CsvHeader, CsvRow } from './csv-text';
import { cell } from './csv-text';
import { allocate } from './settlement-allocate';
import { lineAmounts } from './settlement-lines';
import { type ParsedSettlementLine, type SettlementFeeGroup, SettlementImportError } from './settlement-types';
import { Decimal, at, money, readAmount } from './settlement-values';

/** A DETAIL row before its fee is known. */
export interface DetailLine {
  merchAcc: string;
  grossValue: Decimal;
  /** The part of AMOUNT Mandiri exempts from MDR */
  nonMdr: Decimal;
  line: Omit<ParsedSettlementLine, 'gross' | 'mdr' | 'net'>;
}

interface SummaryRow {
  key: string;
  group: Omit<SettlementFeeGroup, 'lines'>;
  gross: Decimal;
  mdr: Decimal;
}

const keyOf = (mid: string, merchAcc: string, batch: string) => [mid, merchAcc, batch].join('\u0000');

export function readSummaryRows(rows: CsvRow[], header: CsvHeader): SummaryRow[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const get = (name: string) => cell(row, header, name);
    const amount = (name: string) => readAmount(get(name), at(row.line, name));
    const [gross, mdr, net] = [amount('TOTAMOUNT'), amount('MDRAMOUNT'), amount('NETAMOUNT')];
    // The summary row is where Mandiri states the fee, so its own arithmetic must hold.
    const amounts = lineAmounts(row.line, { gross, mdr, net });
    const key = keyOf(get('MID'), get('MerchACC'), get('PAYMENTBATCH'));
    if (seen.has(key)) {
      throw new SettlementImportError(
        row.line,
        `a second SUMMARY GROUP row for MID ${get('MID')}, MerchACC ${get('MerchACC')}, batch ${get('PAYMENTBATCH')}`,
      );
    }
    seen.add(key);
    const group = {
      lineNumber: row.line,
      mid: get('MID'),
      network: get('NETWORK'),
      description: get('DESCRIPTION'),
      batch: get('PAYMENTBATCH'),
      gross: amounts.gross,
      mdr: amounts.mdr,
      net: amounts.net,
    };
    return { key, group, gross, mdr };
  });
}

/** Joins every detail row to its summary row and gives each line its share of the group's MDR. */
export function mandiriFeeGroups(
  details: DetailLine[],
  summaries: SummaryRow[],
): {
  lines: ParsedSettlementLine[];
  feeGroups: SettlementFeeGroup[];
} {
  const members = new Map<string, number[]>(summaries.map((s) => [s.key, []]));
  details.forEach((d, i) => {
    const key = keyOf(d.line.mid ?? '', d.merchAcc, d.line.batch ?? '');
    const list = members.get(key);
    if (!list) {
      throw new SettlementImportError(
        d.line.lineNumber,
        `no SUMMARY GROUP row for MID ${d.line.mid}, MerchACC ${d.merchAcc}, batch ${d.line.batch}: its MDR is unknown`,
      );
    }
    list.push(i);
  });
  const mdrs: Decimal[] = new Array<Decimal>(details.length);
  const feeGroups = summaries.map((s) => {
    const indexes = members.get(s.key) ?? [];
    spreadGroupMdr(
      s,
      indexes.map((i) => details[i]),
    ).forEach((mdr, k) => (mdrs[indexes[k]] = mdr));
    return { ...s.group, lines: indexes.map((i) => details[i].line.lineNumber) };
  });
  const groupOf = new Map<number, Omit<SettlementFeeGroup, 'lines'>>();
  summaries.forEach((s) => (members.get(s.key) ?? []).forEach((i) => groupOf.set(i, s.group)));
  const lines = details.map((d, i) => ({
    ...d.line,
    network: groupOf.get(i)?.description.trim() || undefined,
    feeGroup: groupOf.has(i) ? String(groupOf.get(i)!.lineNumber) : undefined,
    ...lineAmounts(d.line.lineNumber, { gross: d.grossValue, mdr: mdrs[i], net: d.grossValue.minus(mdrs[i]) }),
    mdrAllocated: true,
  }));
  return { lines, feeGroups: feeGroups.sort((a, b) => a.lineNumber - b.lineNumber) };
}

/** Refuses a group whose detail rows do not add up to its TOTAMOUNT, then spreads its MDR by the
 * MDR-bearing part of each line (AMOUNT - NonMdrAMOUNT). */
function spreadGroupMdr(summary: SummaryRow, members: DetailLine[]): Decimal[] {
  if (members.length === 0) {
    throw new SettlementImportError(
      summary.group.lineNumber,
      'a SUMMARY GROUP row with no DETAIL rows: a fee on nothing',
    );
  }
  const gross = members.reduce((acc, d) => acc.plus(d.grossValue), new Decimal(0));
  if (!gross.eq(summary.gross)) {
    throw new SettlementImportError(
      summary.group.lineNumber,
      `TOTAMOUNT ${money(summary.gross)} but its ${members.length} DETAIL rows sum to ${money(gross)}`,
    );
  }
  const bases = members.map((d) => d.grossValue.minus(d.nonMdr));
  const weights = bases.every((b) => b.isZero()) ? members.map((d) => d.grossValue) : bases;
  return allocate(summary.mdr, weights);
}
