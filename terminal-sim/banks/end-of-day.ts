// The end of a region's day at the banks: each acquirer settles its own log (D+1, or D+2 for a
// late one) into its file, the treasury bank credits each batch and writes its statement. Only
// the banks' logs go in; what the terminals delivered is used for nothing but choosing which
// payments the faults touch and describing them in the manifest.
import type { ResolvedOptions } from '../options';
import type { RegionInfo, AcquirerInfo } from '../setup/world';
import { addDays, compactDate, localInstant } from '../clock';
import { streamFor } from '../rng';
import type { AcquirerTxn, SettlementFileMeta, SettlementLine, Statement } from './types';
import { batchNets, byTime, lineParts, settlementLines, type BatchNet, type ToSettle } from './settlement';
import { pickShortCredits, planSettlement } from './faults';
import { buildStatements, treasuryOf, type Credit } from './treasury';
import { buildManifest, type BankFile, type Manifest } from './manifest';
import type { RegionDay } from './region-day';
import { writeBniSettlementCsv } from './files/bni-settlement-csv';
import { mandiriSummaryGroups, writeMandiriMerchantStatement } from './files/mandiri-merchant-statement';
import { writeMt940 } from './files/mt940';
import { writeCamt053 } from './files/camt053';

export const txnKey = (t: { acquirerCode: string; rrn: string }) => `${t.acquirerCode}/${t.rrn}`;

export function closeRegionDay(opts: ResolvedOptions, day: RegionDay): { files: BankFile[]; manifest: Manifest } {
  const { region } = day;
  const txns: AcquirerTxn[] = [...day.card.approved(), ...(day.qris?.log ?? [])].sort(byTime);
  const delivered = new Set(day.ledger.map(txnKey));
  const plan = planSettlement(
    streamFor(opts.seed, 'faults', region.code),
    opts.faults,
    txns,
    (t) => delivered.has(txnKey(t)),
    opts.date,
  );
  const settleDay = addDays(opts.date, 1);
  const files: BankFile[] = [];
  const lines: SettlementLine[] = [];
  const payouts: BatchNet[] = [];
  for (const acquirer of [day.card.info, day.qris?.info].filter((a): a is AcquirerInfo => a !== undefined)) {
    const items = plan.items.filter((i) => i.txn.acquirerCode === acquirer.code);
    for (const date of [...new Set([settleDay, ...items.map((i) => i.settlementDate)])].sort()) {
      const file = settlementFile(
        opts,
        day,
        acquirer,
        date,
        items.filter((i) => i.settlementDate === date),
      );
      files.push(file);
      lines.push(...file.lines!);
      payouts.push(...file.batches!);
    }
  }
  // The treasury bank is credited what each file says the acquirer pays, batch by batch.
  const shortCredits = pickShortCredits(
    streamFor(opts.seed, 'short-credit', region.code),
    payouts.filter((b) => b.settlementDate === settleDay),
    opts.faults['short-credit'] ?? 0,
  );
  const credits: Credit[] = payouts.map((b) => ({
    ...b,
    transactionDate: opts.date,
    amount: b.net.minus(shortCredits.get(b.batch) ?? 0),
  }));
  const dates = [...new Set([settleDay, ...credits.map((c) => c.settlementDate)])].sort();
  const statements = buildStatements(streamFor(opts.seed, 'treasury', region.code), region, credits, dates);
  files.push(...statements.map((s) => statementFile(region, s)));
  const manifest = buildManifest({ opts, day, files, plan, shortCredits, lines, payouts });
  return { files, manifest };
}

/**
 * Which real layout each acquirer writes. Card: BNI's BND350 CSV, which charges its MDR per line.
 * QRIS: Mandiri's merchant statement (MDR per summary group; 0 % for payments to government) with
 * the RRN column on, because a real QRIS report carries the switch's reference, and because the
 * one real QR report we have (LinkAja's) has no batch and no TID, so nothing in it could tie a
 * payment to the treasury credit that paid it.
 */
function layoutOf(opts: ResolvedOptions, acquirer: AcquirerInfo, card: boolean) {
  const settlementRrn = opts.acquirers[acquirer.code]?.settlementRrn ?? !card;
  return card
    ? { format: 'bni-settlement-csv' as const, rule: 'per-line' as const, settlementRrn }
    : { format: 'mandiri-merchant-statement' as const, rule: 'per-group' as const, settlementRrn };
}

function settlementFile(
  opts: ResolvedOptions,
  day: RegionDay,
  acquirer: AcquirerInfo,
  date: string,
  items: ToSettle[],
): BankFile {
  const card = acquirer.code === day.card.info.code;
  const layout = layoutOf(opts, acquirer, card);
  const lines = settlementLines(items, acquirer.mdrRate, layout.rule);
  const meta: SettlementFileMeta = {
    acquirerCode: acquirer.code,
    acquirerName: acquirer.name,
    merchantName:
      day.qris?.info.merchantName ?? day.region.card.merchantName ?? `RETRIBUSI ${day.region.name.toUpperCase()}`,
    mid: card ? (day.terminals[0]?.mid ?? '') : (acquirer.nmid ?? ''),
    settlementDate: date,
    // Acquirers publish the file early on the settlement day.
    generatedAt: localInstant(date, 5 * 3600, day.region.timeZone),
    merchantAccount: day.region.treasuryAccount,
    settlementRrn: layout.settlementRrn,
  };
  const bni = layout.format === 'bni-settlement-csv';
  const batches = batchNets(
    bni
      ? lineParts(lines)
      : mandiriSummaryGroups(lines).map((g) => ({
          batch: g.first.batch,
          acquirerCode: g.first.acquirerCode,
          channel: g.first.channel,
          settlementDate: g.first.settlementDate,
          gross: g.gross,
          mdr: g.mdr,
          net: g.net,
        })),
  );
  return {
    name: `settlement_${acquirer.code}_${compactDate(date)}.csv`,
    kind: 'settlement',
    format: layout.format,
    acquirer: acquirer.code,
    channel: card ? 'card' : 'qris',
    date,
    content: bni ? writeBniSettlementCsv(meta, lines) : writeMandiriMerchantStatement(meta, lines),
    lines,
    batches,
    settlementRrn: layout.settlementRrn,
  };
}

function statementFile(region: RegionInfo, s: Statement): BankFile {
  const format = treasuryOf(region).format;
  return {
    name: `statement_${region.treasuryAccount}_${compactDate(s.date)}.${format === 'mt940' ? 'mt940' : 'camt053.xml'}`,
    kind: 'statement',
    format,
    date: s.date,
    content: format === 'mt940' ? writeMt940(s) : writeCamt053(s),
    statement: s,
  };
}
