// A reconciliation day built from a real BNI settlement file (conformance/settlement, read at
// test time, never copied into the repository): a region whose BNI debit acquirer has the bank's
// real rule (0.15 % per line, rounded to the rupiah, D+1), one terminal per TID of the file and a
// card payment for each of its lines, as the terminals would have posted them, with four faults
// on the ledger side: one payment posted with a mistyped approval code (the ledger has it, the
// bank's line finds no payment: an officer links the two), one line no terminal delivered (the
// bank has it only), one payment of another amount, and a second payment identical to another
// (the line fits both: ambiguous). The file itself is the bank's, unedited: the officer uploads
// it through the page. The clock is Friday 22 May 2020, 10.00 WIB; the file's day is the 20th.
import type { Knex } from 'knex';
import type { Deps } from '../../api/core/deps';
import { recordCardPayment } from '../../api/payments/payments.service';
import { parseSettlement } from '../../api/reconcile/importers/settlement-parse';
import type { ParsedSettlementLine } from '../../api/reconcile/importers/settlement-types';
import { fixedClock, testApp } from '../support/app';
import { readConformanceBytes, readConformanceText } from '../support/conformance-dir';
import * as make from '../support/make';

export const RECON_NOW = '2020-05-22T03:00:00Z';
export const RECON_TODAY = '2020-05-22';
export const BNI_FILE = 'cashlez_bni_debit_20200521.csv';

/** The real file's bytes, as the bank's portal handed them out. */
export const bniFileBytes = (): Buffer => readConformanceBytes('settlement', BNI_FILE);

/** The EDC prints the first 6 and last 4 digits; BNI writes the middle as X. */
const terminalMask = (pan: string) => `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;

/** Another approval code, one a person could misread: the first digit changed. */
const misread = (code: string) => `${(Number(code[0]) + 5) % 10}${code.slice(1)}`;

export type ReconcileApp = ReturnType<typeof reconcileApp>;

export function reconcileApp(db: Knex) {
  return testApp(db, fixedClock(RECON_NOW));
}

export type ReconcileRegion = Awaited<ReturnType<typeof reconcileRegion>>;

/** One region with the day: `tag` keeps its codes and usernames apart from another's. */
export async function reconcileRegion(db: Knex, deps: Deps, tag: string) {
  const region = await make.region(db, { code: `KMG${tag.toUpperCase()}`, name: `Kota Magelang ${tag}` });
  const market = await make.market(db, region.id, { code: `REJ${tag.toUpperCase()}` });
  await db('markets').where({ id: market.id }).update({ name: 'Pasar Rejowinangun' });
  const traders = ['Siti Aminah', 'Budi Santoso', 'Sri Wahyuni', 'Agus Prasetyo'];
  const stalls: { id: string; code: string }[] = [];
  for (const [i, name] of traders.entries()) {
    const s = await make.stall(db, region.id, market.id, { code: `A-0${i + 1}` });
    const t = await make.trader(db, region.id, { name });
    await make.tenancy(db, region.id, s.id, t.id);
    stalls.push({ id: s.id, code: s.code });
  }
  // Nobody occupies A-05: a payment cannot be made for it.
  const vacant = await make.stall(db, region.id, market.id, { code: 'A-05' });

  const acquirer = await make.acquirer(db, region.id, { code: `bni-debit-${tag}`, mdrRate: '0.0015' });
  await db('acquirers')
    .where({ id: acquirer.id })
    .update({ name: 'BNI Debit', settlement_days: 1, mdr_basis: 'per-line', mdr_rounding: 'rupiah' });

  const lines = parseSettlement(readConformanceText('settlement', BNI_FILE)).lines;
  const byTid = new Map<string, ParsedSettlementLine[]>();
  for (const l of lines) byTid.set(l.tid!, [...(byTid.get(l.tid!) ?? []), l]);
  const shared = lines.filter((l) => byTid.get(l.tid!)!.length > 1);
  const single = lines.filter((l) => byTid.get(l.tid!)!.length === 1);
  // Mistyped and twin at terminals with more than one line (the list of candidates has a choice
  // to make), the missing and the altered ones at terminals of their own.
  const mistyped = shared[0];
  const twin = shared.find((l) => l.tid !== mistyped.tid)!;
  const [missing, altered] = single;

  const terminals = new Map<string, { id: string; tid: string; mid: string }>();
  for (const l of lines) {
    if (!terminals.has(l.tid!))
      terminals.set(l.tid!, await make.terminal(db, region.id, market.id, acquirer.id, { tid: l.tid!, mid: l.mid! }));
  }
  let n = 0;
  const pay = async (l: ParsedSettlementLine, o: { amount?: string; approvalCode?: string } = {}) => {
    n += 1;
    const t = terminals.get(l.tid!)!;
    const res = await recordCardPayment(
      deps,
      { role: 'terminal', sub: t.id, terminalId: t.id, regionId: region.id, marketId: market.id },
      {
        clientTxnId: `bni-${tag}-${n}`,
        stallId: stalls[n % stalls.length].id,
        amount: o.amount ?? l.gross,
        paidAt: new Date(Date.parse(`${l.transactionDate}T08:00:00+07:00`) + n * 7 * 60_000).toISOString(),
        card: {
          tid: t.tid,
          mid: t.mid,
          stan: String(n).padStart(6, '0'),
          rrn: `0141${tag.length}${String(n).padStart(7, '0')}`,
          approvalCode: o.approvalCode ?? l.approvalCode!,
          maskedPan: terminalMask(l.maskedPan!),
          responseCode: '00',
        },
      },
    );
    if (res.status !== 201) throw new Error(`reconcileRegion: payment refused ${JSON.stringify(res.body)}`);
    return res.body.paymentId as string;
  };
  const paymentIds: Record<'mistyped' | 'altered' | 'twin1' | 'twin2', string> = {} as never;
  for (const l of lines) {
    if (l === missing) continue;
    if (l === mistyped) paymentIds.mistyped = await pay(l, { approvalCode: misread(l.approvalCode!) });
    else if (l === altered) paymentIds.altered = await pay(l, { amount: (Number(l.gross) + 1000).toFixed(2) });
    else if (l === twin) {
      paymentIds.twin1 = await pay(l);
      paymentIds.twin2 = await pay(l);
    } else await pay(l);
  }

  const [officer, officer2, auditor] = await Promise.all([
    make.user(db, 'officer', { username: `petugas.${tag}`, regionId: region.id }),
    make.user(db, 'officer', { username: `petugas2.${tag}`, regionId: region.id }),
    make.user(db, 'auditor', { username: `auditor.${tag}`, regionId: region.id }),
  ]);
  await db('users').where({ id: officer.id }).update({ display_name: 'Rina Kartika' });
  await db('users').where({ id: officer2.id }).update({ display_name: 'Dimas Saputra' });
  return {
    region,
    market,
    stalls,
    vacant,
    acquirer: { ...acquirer, name: 'BNI Debit' },
    date: mistyped.transactionDate,
    lines: { all: lines, mistyped, missing, altered, twin },
    misreadCode: misread(mistyped.approvalCode!),
    paymentIds,
    users: { officer, officer2, auditor },
  };
}

/** The open exception of a kind on the region's day whose line (or payment) has this approval code. */
export async function exceptionOf(
  db: Knex,
  regionId: string,
  kind: string,
  approvalCode?: string,
): Promise<{ id: string; status: string; settlement_line_id: string | null; payment_id: string | null }> {
  const { rows } = await db.raw(
    `select e.id, e.status, e.settlement_line_id::text as settlement_line_id, e.payment_id
       from reconciliation_exceptions e
       left join settlement_lines sl on sl.region_id = e.region_id and sl.id = e.settlement_line_id
       left join payments p on p.region_id = e.region_id and p.id = e.payment_id
      where e.region_id = ? and e.kind = ? and (?::text is null or coalesce(sl.approval_code, p.approval_code) = ?)
      order by e.opened_at`,
    [regionId, kind, approvalCode ?? null, approvalCode ?? null],
  );
  if (rows.length !== 1) throw new Error(`exceptionOf: ${rows.length} ${kind} exceptions for ${approvalCode}`);
  return rows[0];
}
