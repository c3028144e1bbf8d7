// Asking a SNAP bank what became of a code (qr-mpm-query, service 51): the recovery of a payment
// whose notification was lost. A paid answer ('00') is archived as the bank sent it (source
// 'query') and posted through the same path as a notification (api/banks), keyed by the bank's
// referenceNo: the notification that arrives after it is a replay, not a second payment.
import type { Deps } from '../core/deps';
import { recordQrisPaymentFromBank } from '../banks/notification.service';
import { refused, snapTransaction, succeeded } from './snap-client';
import { snapAcquirerOf, snapCallOptions } from './snap-settings';
import * as repo from './qris.repository';

export type QueryOutcome =
  | { asked: false; reason: 'not-snap' | 'recently-asked' }
  | { asked: true; status: string; paymentId?: string; replayed?: boolean };

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Asks the bank about one intent, unless it was asked less than `minGapSeconds` ago. Throws the
 * bank's failures (SnapCallError) for the caller to log; the intent stays as it was.
 */
export async function queryIntent(deps: Deps, intent: repo.IntentRow, minGapSeconds: number): Promise<QueryOutcome> {
  if (!intent.acquirer_reference || intent.paid_payment_id) return { asked: false, reason: 'not-snap' };
  const acquirer = await snapAcquirerOf(deps, intent.acquirer_id);
  if (!acquirer) return { asked: false, reason: 'not-snap' };
  const now = deps.clock.now();
  if (!(await repo.claimQuery(deps.knex, intent.region_id, intent.id, now, minGapSeconds)))
    return { asked: false, reason: 'recently-asked' };
  const s = acquirer.settings;
  const answer = await snapTransaction(
    acquirer,
    '/v1.0/qr/qr-mpm-query',
    {
      originalReferenceNo: intent.acquirer_reference,
      originalPartnerReferenceNo: intent.reference,
      ...(intent.generate_external_id ? { originalExternalId: intent.generate_external_id } : {}),
      serviceCode: s.queryServiceCode ?? '47',
      ...(s.merchantId ? { merchantId: s.merchantId } : {}),
    },
    snapCallOptions(deps, acquirer),
  );
  if (!succeeded(answer, '51')) throw refused('the acquirer did not answer the query', answer);
  const b = answer.body;
  const status = text(b.latestTransactionStatus) ?? '';
  if (status !== '00') return { asked: true, status };
  const info = (b.additionalInfo && typeof b.additionalInfo === 'object' ? b.additionalInfo : {}) as Record<
    string,
    unknown
  >;
  const acquirerReference = text(b.originalReferenceNo) ?? intent.acquirer_reference;
  const posted = await recordQrisPaymentFromBank(
    deps,
    {
      regionId: intent.region_id,
      acquirerId: intent.acquirer_id,
      source: 'query',
      rawBody: Buffer.from(answer.raw, 'utf8'),
    },
    {
      reference: intent.reference,
      amount: text((b.amount as { value?: unknown } | undefined)?.value) ?? intent.amount,
      acquirerReference,
      // Where the bank puts the RRN is its own (§4.2); without one the referenceNo names it.
      rrn: text(info.rrn) ?? text(info.retrievalReferenceNo) ?? text(info.issuerRrn) ?? acquirerReference,
      issuer: text(info.issuerName) ?? text(info.issuer) ?? 'QRIS',
      paidAt: text(b.paidTime) ?? now.toISOString(),
    },
  );
  return { asked: true, status, paymentId: posted.paymentId, replayed: posted.replayed };
}

/** The recovery job's pass over one region: every due intent asked once; failures counted. */
export async function recoverRegion(deps: Deps, regionId: string) {
  const now = deps.clock.now();
  const due = await repo.intentsDueForQuery(deps.knex, regionId, {
    now,
    afterMinutes: deps.config.QRIS_QUERY_AFTER_MINUTES,
    notSince: new Date(now.getTime() - 60_000),
    limit: 200,
  });
  const out = { asked: 0, recovered: 0, failed: 0 };
  for (const intent of due) {
    try {
      const r = await queryIntent(deps, intent, 60);
      if (r.asked) out.asked++;
      if (r.asked && r.paymentId && !r.replayed) out.recovered++;
    } catch (err) {
      out.failed++;
      deps.logger.warn({ err, intentId: intent.id, regionId }, 'QRIS query failed; the next run asks again');
    }
  }
  return out;
}
