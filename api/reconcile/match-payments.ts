// Ledger payments <-> settlement lines, for one region and business date. Matches are only ever
// added, strongest evidence first, each key used only where both sides carry it:
//   1. acquirer + RRN (or, for QRIS, the reference label of the intent the payment paid);
//   2. a card line without RRN (real BNI, Mandiri and BRI files carry none, nor STAN nor time):
//      acquirer + TID (MID where the bank writes no TID, as BRI) + transaction date + approval
//      code + amount, in four steps:
//        card                 the code as the terminal and the bank wrote it, and the amount;
//        card-code-as-written the code compared without case and leading zeros (an Excel copy
//                             turns 014177 into 14177), and the amount;
//        card-amount-differs  the code as written, any amount: a pair the bank settled for another
//                             amount (then an amount-mismatch exception);
//        (the same without case and leading zeros);
//      where several candidates fit a step, the masked card (first 6 / last 4) and then the EDC
//      batch break the tie; candidates that still fit equally are never guessed between: they
//      become one ambiguous-match exception listing them, and no later step touches them;
//   3. acquirer + TID + STAN + date, for layouts that carry a STAN;
//   4. acquirer + amount within a short time window, only where both sides have a time and
//      exactly one line and one payment fit each other.
// Steps 1 and 2 are set-based statements (they carry a million lines; match-payments.sql.ts);
// 3 and 4 look at what is left.
// A payment and a line that both carry an RRN and disagree on it are never paired.
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import * as sql from './match-payments.sql';
import type { CardStep, OpenLine, OpenPayment } from './match-payments.sql';

/** Step 4's window between the terminal's time and the acquirer's. */
export const AMOUNT_TIME_WINDOW_SECONDS = 180;

/** Above this many rows written since the planner last looked, its statistics are refreshed
 * first: a plan made for an empty table turns the million-line day into hours. */
export const ANALYZE_AFTER_ROWS = 10_000;

export async function matchPayments(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  await sql.analyzeStaleTables(trx, ANALYZE_AFTER_ROWS);
  const duplicates = await sql.findDuplicates(trx, regionId, date);
  await sql.createAmbiguityTable(trx);
  let matched = await sql.pairByRrn(trx, regionId, date);
  // Rows written in this transaction are not in the statistics yet.
  if (matched > ANALYZE_AFTER_ROWS) await sql.analyzeMatches(trx);
  await sql.pairByReference(trx, regionId, date);
  matched = await matchCards(trx, regionId, date, duplicates);
  if (matched > ANALYZE_AFTER_ROWS) await sql.analyzeMatches(trx);
  await matchLeftovers(trx, regionId, date);
}

// ---- Card lines without RRN ---------------------------------------------------------------

const CARD_STEPS: CardStep[] = [
  { method: 'card', code: 'as-written', withAmount: true },
  { method: 'card-code-as-written', code: 'loose', withAmount: true },
  { method: 'card-amount-differs', code: 'as-written', withAmount: false },
  { method: 'card-amount-differs', code: 'loose', withAmount: false },
];

/** The open card payments and lines of the day, after RRN and reference matching, into temp
 * tables the four steps read (on a normal day almost all of them pair in the first step). */
async function matchCards(trx: Knex.Transaction, regionId: string, date: string, duplicates: boolean): Promise<number> {
  const first = await matchUniqueCardKeys(trx, regionId, date, duplicates);
  if (first > ANALYZE_AFTER_ROWS) await sql.analyzeMatches(trx);
  // Nothing left to pair on the bank's side: the payments need not be read again.
  if (!(await sql.openCardLines(trx, regionId, date))) return first;
  await sql.openCardPayments(trx, regionId, date);
  let matched = first;
  for (const step of CARD_STEPS) matched += await sql.pairCardStep(trx, regionId, step);
  return matched;
}

/** The first step's common case in one set-based statement, without candidate tables: a key
 * (acquirer, TID, approval code as written, amount) that exactly one open payment and exactly one
 * open line of the day carry pairs them, as the first step would (a candidate alone on both
 * sides). Only on a day whose lines all carry a TID, so that no line could also be a payment's
 * candidate by MID. The rest, if any, goes through the steps. */
async function matchUniqueCardKeys(
  trx: Knex.Transaction,
  regionId: string,
  date: string,
  duplicates: boolean,
): Promise<number> {
  if (await sql.someCardLineWithoutTid(trx, regionId, date)) return 0;
  return sql.pairUniqueCardKeys(trx, regionId, date, duplicates);
}

// ---- What is left: STAN, and amount within a time window --------------------------------

const rrnsDisagree = (p: OpenPayment, l: OpenLine) => p.rrn !== null && l.rrn !== null && p.rrn !== l.rrn;

async function matchLeftovers(trx: Knex.Transaction, regionId: string, date: string): Promise<void> {
  // Only lines that carry a STAN or a time can pair here; real card files carry neither.
  const lines = await sql.leftoverLines(trx, regionId, date);
  if (lines.length === 0) return;
  const payments = await sql.leftoverPayments(trx, regionId, date);
  if (payments.length === 0) return;

  const pairs: { payment: OpenPayment; line: OpenLine; method: 'tid-stan' | 'amount-time' }[] = [];
  const takenP = new Set<string>();
  const takenL = new Set<string>();

  // TID + STAN + date: a card transaction's identity at its terminal.
  const byKey = (acq: string, tid: string | null, stan: string | null, d: string) =>
    tid && stan ? `${acq}|${tid}|${stan.replace(/^0+/, '')}|${d}` : undefined;
  const lineKeys = groupBy(lines, (l) => byKey(l.acquirer_id, l.tid, l.stan, l.transaction_date));
  const payKeys = groupBy(payments, (p) => byKey(p.acquirer_id, p.tid, p.stan, p.business_date));
  for (const [key, ps] of payKeys) {
    const ls = lineKeys.get(key);
    if (ps.length === 1 && ls?.length === 1 && !rrnsDisagree(ps[0], ls[0])) {
      pairs.push({ payment: ps[0], line: ls[0], method: 'tid-stan' });
      takenP.add(ps[0].id);
      takenL.add(ls[0].id);
    }
  }

  // Amount within the window, when both sides have a time and the pairing is unambiguous from both.
  const fits = (p: OpenPayment, l: OpenLine) =>
    p.acquirer_id === l.acquirer_id &&
    l.transacted_at !== null &&
    Math.abs(l.transacted_at.getTime() - p.paid_at.getTime()) <= AMOUNT_TIME_WINDOW_SECONDS * 1000 &&
    equalAmounts(p.amount, l.gross) &&
    !rrnsDisagree(p, l) &&
    (p.tid === null || l.tid === null || p.tid === l.tid);
  const openP = payments.filter((p) => !takenP.has(p.id));
  const openL = lines.filter((l) => !takenL.has(l.id));
  for (const p of openP) {
    const ls = openL.filter((l) => fits(p, l));
    if (ls.length !== 1) continue;
    const rivals = openP.filter((q) => fits(q, ls[0]));
    if (rivals.length !== 1) continue;
    pairs.push({ payment: p, line: ls[0], method: 'amount-time' });
  }

  for (const { payment, line, method } of pairs) {
    await sql.insertMatch(trx, regionId, {
      paymentId: payment.id,
      lineId: line.id,
      method,
      businessDate: payment.business_date,
    });
  }
}

function equalAmounts(a: string, b: string): boolean {
  return new Decimal(a).eq(b);
}

function groupBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), it]);
  }
  return out;
}
