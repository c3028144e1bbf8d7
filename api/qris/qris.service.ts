// Dynamic QRIS for a stall: the amount it owes (or a given amount), a reference the bank echoes
// back, an expiry, and the QR image. A terminal's new code for the stall supersedes its open one;
// a code the trader made on the stall's public page (public-intent.service.ts) is made by the same
// issueIntent and supersedes nothing, nor is it superseded by a terminal's.
import type { Db } from '../../db/knex';
import type { Deps } from '../core/deps';
import { AppError, notFound, unprocessable } from '../core/errors';
import { assertReadMarket, type Principal } from '../auth/principal';
import { Decimal, formatMoney } from '../core/money';
import { businessDate } from '../core/time';
import { newReceiptCode } from '../receipts/receipt-code';
import { findStallIn, occupantOn, owedOf } from '../collection/collection.service';
import { encodeDynamicQris, QrisEncodeError } from './codec/qris-codec';
import { qrPngDataUrl } from './codec/qr-image';
import type { CreateIntentInput } from './qris.schemas';
import * as repo from './qris.repository';
import { generateThroughAcquirer } from './snap-generate';
import { snapAcquirerOf, snapCallOptions } from './snap-settings';
import { queryIntent } from './snap-query.service';

/** Bank Indonesia's limit for one QRIS transaction. */
export const QRIS_MAX_AMOUNT = '10000000';

export type Owed = Awaited<ReturnType<typeof owedOf>>;

/** What issueIntent needs to make one code for a stall. */
export interface IntentOrder {
  stall: { region_id: string; id: string; market_id: string; time_zone: string };
  /** terminal: a collector's code, superseding the stall's open terminal codes; public: the stall's page */
  origin: 'terminal' | 'public';
  terminalId: string | null;
  /** The payload's tag 62/07 and the SNAP generate call's terminalId */
  terminalLabel: string;
  clientIp: string | null;
  /** The amount to ask, from what the occupant owes on the business date `today`; undefined: all of it */
  amountOf: (owed: Owed, today: string) => string | Decimal | undefined;
  /** Runs under the stall's lock before anything is asked or written; throws to refuse. */
  guard?: (trx: Db, now: Date) => Promise<void>;
}

/**
 * One code for a stall, the terminal's and the public page's alike: the region's QRIS acquirer,
 * the occupant's debt (owedOf) under the stall's lock, the bank's own code when the acquirer
 * generates (SNAP) or ours from its merchant data, and one qris_intents row the notification pays.
 */
export async function issueIntent(deps: Deps, o: IntentOrder): Promise<repo.IntentRow> {
  const { stall } = o;
  const acquirer = await repo.qrisAcquirer(deps.knex, stall.region_id);
  const snap = acquirer ? await snapAcquirerOf(deps, acquirer.id) : undefined;
  const bankGenerates = snap?.settings.generates === 'acquirer';
  // The bank makes the code of an acquirer that generates: our merchant data is not needed then.
  if (!bankGenerates && (!acquirer?.nmid || !acquirer.merchant_name || !acquirer.merchant_city)) {
    throw unprocessable('qris-not-configured', 'this region has no QRIS acquirer with merchant name, city and NMID');
  }
  const now = deps.clock.now();
  return deps.knex.transaction(async (trx) => {
    await repo.lockStall(trx, stall.region_id, stall.id);
    await o.guard?.(trx, now);
    const today = businessDate(now, stall.time_zone);
    const who = await occupantOn(trx, stall.region_id, stall.id, today);
    if (!who) throw unprocessable('stall-not-occupied', 'nobody occupies this stall today', { field: 'stallId' });
    const owed = await owedOf(trx, stall.region_id, stall.id, who.trader_id);
    const amount = new Decimal(o.amountOf(owed, today) ?? owed.total);
    if (amount.isZero())
      throw unprocessable('nothing-owed', 'the stall owes nothing; give an amount to pay in advance', {
        field: 'amount',
      });
    if (amount.gt(QRIS_MAX_AMOUNT)) {
      throw unprocessable('qris-limit', 'a QRIS transaction is limited to Rp 10.000.000 (Bank Indonesia)', {
        field: 'amount',
        max: formatMoney(QRIS_MAX_AMOUNT),
      });
    }
    if (o.origin === 'terminal') await repo.supersedeOpenTerminalIntents(trx, stall.region_id, stall.id, now);
    const reference = `RP${newReceiptCode().slice(0, 12)}`;
    const expiresAt = new Date(now.getTime() + deps.config.QRIS_INTENT_TTL_MINUTES * 60_000);
    // The bank is asked inside the transaction: a refused or unusable code rolls the supersede
    // back too, so the stall keeps its open code and nothing of this attempt is saved.
    const generated = bankGenerates
      ? await generateThroughAcquirer(
          snap!,
          {
            reference,
            amount: formatMoney(amount),
            terminalId: o.terminalLabel,
            expiresAt,
            nmid: acquirer!.nmid,
          },
          snapCallOptions(deps, snap!),
        )
      : undefined;
    const payload = generated?.qrContent ?? localPayload(acquirer!, amount, reference, o.terminalLabel);
    return repo.insertIntent(trx, {
      region_id: stall.region_id,
      reference,
      market_id: stall.market_id,
      stall_id: stall.id,
      trader_id: who.trader_id,
      terminal_id: o.terminalId,
      origin: o.origin,
      client_ip: o.clientIp,
      acquirer_id: acquirer!.id,
      amount: formatMoney(amount),
      payload,
      created_at: now,
      expires_at: expiresAt,
      assessment_ids: [...new Set(owed.items.map((i) => i.assessmentId))],
      acquirer_reference: generated?.acquirerReference ?? null,
      generate_external_id: generated?.externalId ?? null,
    });
  });
}

export async function createIntent(deps: Deps, principal: Principal, input: CreateIntentInput) {
  if (principal.role !== 'terminal' || !principal.terminalId)
    throw new AppError(403, 'forbidden', 'QRIS codes are issued to terminals');
  const stall = await findStallIn(deps.knex, input.stallId);
  if (!stall || stall.region_id !== principal.regionId) throw notFound('stall', { field: 'stallId' });
  if (stall.market_id !== principal.marketId)
    throw new AppError(403, 'stall-outside-scope', "the stall is not in this terminal's market", { field: 'stallId' });
  const intent = await issueIntent(deps, {
    stall,
    origin: 'terminal',
    terminalId: principal.terminalId,
    terminalLabel: principal.terminalId,
    clientIp: null,
    amountOf: () => input.amount,
  });
  return {
    intentId: intent.id,
    stallId: intent.stall_id,
    reference: intent.reference,
    amount: formatMoney(intent.amount),
    expiresAt: intent.expires_at.toISOString(),
    status: 'pending' as const,
    payload: intent.payload,
    image: await qrPngDataUrl(intent.payload),
  };
}

/** Today's code, made by us from the acquirer's merchant data. */
function localPayload(acquirer: repo.QrisAcquirerRow, amount: Decimal, reference: string, terminalLabel: string) {
  return encodeOrExplain({
    merchantAccount: {
      globalId: acquirer.qris_global_id ?? 'ID.CO.QRIS.WWW',
      merchantPan: acquirer.qris_merchant_pan ?? undefined,
      merchantId: acquirer.nmid!,
      criteria: 'URE',
    },
    nmid: acquirer.nmid!,
    mcc: acquirer.mcc,
    merchantName: acquirer.merchant_name!,
    merchantCity: acquirer.merchant_city!,
    postalCode: acquirer.postal_code ?? undefined,
    amount: formatMoney(amount),
    billNumber: reference,
    referenceLabel: reference,
    // Tag 62 values are at most 25 characters; terminal ids may be longer.
    terminalLabel: terminalLabel.slice(0, 25),
  });
}

// A payload we cannot encode means the acquirer's merchant data is wrong: the officer fixes it.
function encodeOrExplain(input: Parameters<typeof encodeDynamicQris>[0]): string {
  try {
    return encodeDynamicQris(input);
  } catch (err) {
    if (err instanceof QrisEncodeError)
      throw unprocessable('qris-not-configured', "the QRIS acquirer's merchant data cannot be encoded", err.issues);
    throw err;
  }
}

export function intentStatus(i: repo.IntentRow, now: Date): 'paid' | 'superseded' | 'expired' | 'pending' {
  if (i.paid_payment_id) return 'paid';
  if (i.superseded_at) return 'superseded';
  return now > i.expires_at ? 'expired' : 'pending';
}

/** An intent as it stands: a pending SNAP code is asked about first (at most once per
 * POLL_QUERY_GAP_SECONDS), and a paid one comes with its payment's answer. What the terminal's and
 * the public page's polls both read. */
export async function intentState(deps: Deps, intent: repo.IntentRow) {
  let i = intent;
  if (i.acquirer_reference && intentStatus(i, deps.clock.now()) === 'pending') i = await askTheBank(deps, i);
  const payment = i.paid_payment_id ? await repo.paymentResponse(deps.knex, i.region_id, i.paid_payment_id) : undefined;
  return { intent: i, status: intentStatus(i, deps.clock.now()), payment };
}

/** What the terminal polls: pending until the bank's notification is recorded. */
export async function getIntent(deps: Deps, principal: Principal, intentId: string) {
  const found = await repo.findIntent(deps.knex, intentId);
  if (!found) throw notFound('QRIS intent');
  assertReadMarket(principal, found.region_id, found.market_id);
  const { intent: i, status, payment } = await intentState(deps, found);
  return {
    intentId: i.id,
    stallId: i.stall_id,
    reference: i.reference,
    amount: formatMoney(i.amount),
    expiresAt: i.expires_at.toISOString(),
    status,
    ...(payment
      ? {
          paymentId: payment.paymentId,
          receipt: payment.receipt,
          allocations: payment.allocations,
          credit: payment.credit,
          flags: payment.flags,
        }
      : {}),
  };
}

/** A terminal polling a SNAP code asks the bank at most once per POLL_QUERY_GAP_SECONDS per
 * intent (last_queried_at decides), so a terminal polling every second cannot hammer the bank. A
 * bank that fails leaves the code pending: the recovery job asks again. */
const POLL_QUERY_GAP_SECONDS = 20;

async function askTheBank(deps: Deps, i: repo.IntentRow): Promise<repo.IntentRow> {
  try {
    const r = await queryIntent(deps, i, POLL_QUERY_GAP_SECONDS);
    if (!r.asked || !r.paymentId) return i;
  } catch (err) {
    deps.logger.warn({ err, intentId: i.id }, 'QRIS query on poll failed; the intent stays pending');
    return i;
  }
  return (await repo.findIntent(deps.knex, i.id)) ?? i;
}
