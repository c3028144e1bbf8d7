// Card payments from collector terminals: recorded once and only once.
// The posting itself (allocation, journal, receipt serial) is the ledger's: concurrent requests
// and an offline upload's items are posted in groups (card-group.ts, ledger_post_card_payments),
// a payment alone by ledger_post_card_payment, each under its stall's lock, through
// api/ledger/post.ts.
import type { Deps } from '../core/deps';
import { AppError, badRequest, unprocessable } from '../core/errors';
import type { Principal } from '../auth/principal';
import { canonicalJson, sha256Hex } from '../core/canonical';
import { newReceiptCode } from '../receipts/receipt-code';
import type { CardPaymentInput } from './payments.schemas';
import { looksLikeFullPan } from './payments.schemas';
import { holdsCardNumber } from '../core/pan';
import { type CardParams, cardGroupsOf, postGroup, postOne, runsOf } from './card-group';

export interface PaymentResult {
  /** 201 when recorded now, 200 when this is a retry of a recorded payment */
  status: 201 | 200;
  body: Record<string, unknown>;
}

// A terminal clock may run a little fast; a card read further in the future is a bad clock.
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Refuses a full card number before anything else looks at (or logs) the body: a full PAN in
 * card.maskedPan (12-19 digits, no mask), and a card number anywhere else in the body (any
 * string or number, or a field's name, holding 13-19 digits that pass Luhn: a PAN typed into
 * clientTxnId or a field of its own). The answer names the field, never the value.
 *
 * card.tid and card.mid are not scanned for Luhn: they are the acquirer's identifiers of the
 * terminal and the merchant, of a fixed form the schema checks (up to 16 and 24 letters and
 * digits), printed on every slip and in every bank file; a 15-digit MID (BRI's 000001999082885)
 * passes Luhn one time in ten by chance, and refusing it would refuse every payment of that
 * merchant. Neither is cardholder data. */
export function refuseFullPan(body: unknown): void {
  const batch = Array.isArray((body as { payments?: unknown[] })?.payments);
  const items = batch ? (body as { payments: unknown[] }).payments : [body];
  items.forEach((item, i) => {
    const pan = (item as { card?: { maskedPan?: unknown } })?.card?.maskedPan;
    if (looksLikeFullPan(pan)) {
      throw unprocessable('full-pan-refused', 'a full card number (PAN) was sent; only a masked PAN may be sent', {
        field: batch ? `payments.${i}.card.maskedPan` : 'card.maskedPan',
      });
    }
  });
  const field = cardNumberField(body, []);
  if (field !== undefined) {
    throw unprocessable(
      'full-pan-refused',
      `${field} holds a card number (PAN); a card number is never sent, only the masked PAN in card.maskedPan`,
      { field },
    );
  }
}

/** Where in the value a card number is (dotted path), if anywhere. */
function cardNumberField(value: unknown, path: string[]): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    if (isAcquirerId(path)) return undefined;
    return holdsCardNumber(String(value)) ? path.join('.') || '(body)' : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    // A card number as a field's own name: named by where it is, not by itself.
    if (holdsCardNumber(key)) return [...path, '(a field name)'].join('.');
    const found = cardNumberField(inner, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** card.tid, card.mid, or payments.N.card.tid/mid in a batch */
function isAcquirerId(path: string[]): boolean {
  const n = path.length;
  return (
    n >= 2 &&
    path[n - 2] === 'card' &&
    (path[n - 1] === 'tid' || path[n - 1] === 'mid') &&
    (n === 2 || (n === 4 && path[0] === 'payments'))
  );
}

export async function recordCardPayment(
  deps: Deps,
  principal: Principal,
  input: CardPaymentInput,
): Promise<PaymentResult> {
  const params = cardParams(deps, principal, input);
  const groups = cardGroupsOf(deps);
  const r = groups ? await groups.post(params) : await postOne(deps, params);
  return { status: r.replayed ? 200 : 201, body: r.response };
}

/** The checks made before the ledger is asked, and what it is asked to post. */
function cardParams(deps: Deps, principal: Principal, input: CardPaymentInput): CardParams {
  if (principal.role !== 'terminal' || !principal.terminalId || !principal.regionId) {
    throw new AppError(403, 'forbidden', 'card payments are posted by terminals');
  }
  if (input.card.responseCode !== '00') {
    throw unprocessable(
      'not-approved',
      `the acquirer did not approve this transaction (response code ${input.card.responseCode}); only 00 is recorded`,
      { field: 'card.responseCode' },
    );
  }
  const paidAt = new Date(input.paidAt);
  if (paidAt.getTime() - deps.clock.now().getTime() > MAX_CLOCK_SKEW_MS) {
    throw badRequest('paid-at-in-future', 'paidAt is in the future: check the terminal clock', { field: 'paidAt' });
  }
  return {
    regionId: principal.regionId,
    terminalId: principal.terminalId,
    clientTxnId: input.clientTxnId,
    requestHash: sha256Hex(canonicalJson(input)),
    stallId: input.stallId,
    amount: input.amount,
    paidAt: paidAt.toISOString(),
    ...input.card,
    terminalBatch: input.card.batch,
    invoice: input.card.invoice,
    receiptCode: newReceiptCode(),
    verifyBaseUrl: deps.config.PUBLIC_BASE_URL,
  };
}

export interface BatchItemResult {
  index: number;
  clientTxnId: string;
  status: number;
  body?: Record<string, unknown>;
  error?: { code: string; message: string; details?: unknown };
}

/** An offline upload: the payments in the order given, with the times the cards were read,
 * posted set-based in runs of at most BATCH_RUN_MAX (one transaction each, one after another,
 * no key or RRN twice in a run), each with its own answer. One refused item does not stop the
 * others. */
export async function recordCardBatch(
  deps: Deps,
  principal: Principal,
  items: CardPaymentInput[],
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(items.length);
  const toPost: (CardParams & { index: number })[] = [];
  for (const [index, item] of items.entries()) {
    try {
      toPost.push({ ...cardParams(deps, principal, item), index });
    } catch (err) {
      results[index] = refusedItem(index, item.clientTxnId, err);
    }
  }
  for (const run of runsOf(toPost, deps.config.BATCH_RUN_MAX)) {
    const outcomes = await postGroup(deps, run[0].regionId, run, true);
    outcomes.forEach((o, i) => {
      const { index, clientTxnId } = run[i];
      results[index] = o.ok
        ? { index, clientTxnId, status: o.posted.replayed ? 200 : 201, body: o.posted.response }
        : refusedItem(index, clientTxnId, o.error);
    });
  }
  return results;
}

function refusedItem(index: number, clientTxnId: string, err: unknown): BatchItemResult {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  return {
    index,
    clientTxnId,
    status: err.status,
    error: { code: err.code, message: err.message, details: err.details },
  };
}
