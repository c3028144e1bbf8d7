// Collecting: the stalls of a market and what each owes, card payments from the terminals (one,
// a batch after an offline spell, a void), QRIS codes, and the daily assessment.
import { runAssessmentSchema } from '../../assessments/assessments.schemas';
import { batchSchema, cardPaymentSchema, voidSchema } from '../../payments/payments.schemas';
import { createIntentSchema } from '../../qris/qris.schemas';
import { MARKET_SCOPE, STAFF_WRITE, TERMINAL, type Operation } from '../operation';

export const collectionPaths: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/markets/:marketId/stalls',
    tag: 'collection',
    access: MARKET_SCOPE,
    summary: "A market's stalls with today's status (paid, partly paid, unpaid) and what each owes",
    ok: { 200: { description: 'the stalls of the market' } },
  },
  {
    method: 'get',
    path: '/api/v1/stalls/:stallId/outstanding',
    tag: 'collection',
    access: MARKET_SCOPE,
    summary:
      "What a stall owes, principal and penalty in the order a payment settles them (the region's allocationOrder), and its credit",
    ok: {
      200: {
        description:
          "{ stallId, open: [{ kind: 'principal'|'penalty', assessmentId, businessDate, monthNo?, amount, paid, due }], principal, penalty, total, credit }",
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/payments/card',
    tag: 'payments',
    access: TERMINAL,
    summary: "A card payment read by the terminal, for a stall of the terminal's market",
    description:
      'Idempotent by clientTxnId: the same request again answers 200 with the first body. Only a masked PAN may be sent.',
    body: { schema: cardPaymentSchema, name: 'CardPayment' },
    ok: {
      201: {
        description:
          "recorded: { paymentId, receipt: { serial, code, verifyUrl }, allocations: [{ kind: 'principal'|'penalty', assessmentId, businessDate, monthNo?, amount }], principal, penalty, credit }",
      },
      200: { description: 'a repeat of a recorded payment: the first answer' },
    },
    errors: {
      409: 'idempotency-conflict or duplicate-payment (the RRN is recorded)',
      422: 'not approved, a full PAN, or a stall nobody occupies',
    },
  },
  {
    method: 'post',
    path: '/api/v1/payments/batch',
    tag: 'payments',
    access: TERMINAL,
    summary: 'Card payments taken offline, uploaded in the order they were taken',
    body: { schema: batchSchema, name: 'CardPaymentBatch' },
    ok: { 200: { description: '{ results: [...] }: one status and body (or error) per payment, in order' } },
  },
  {
    method: 'post',
    path: '/api/v1/payments/:paymentId/void',
    tag: 'payments',
    access: TERMINAL,
    summary: 'Void a card payment the same business day, at the terminal that took it',
    body: { schema: voidSchema, name: 'VoidPayment' },
    ok: { 201: { description: 'voided' }, 200: { description: 'voided before: the first answer' } },
    errors: {
      409: "the payment's credit was already used",
      422: 'not a card payment, or not its business day any more',
    },
  },
  {
    method: 'post',
    path: '/api/v1/qris',
    tag: 'qris',
    access: TERMINAL,
    summary: 'A dynamic QRIS code for what a stall owes (or a given amount)',
    body: { schema: createIntentSchema, name: 'QrisIntent' },
    ok: { 201: { description: '{ intentId, payload, reference, amount, expiresAt, image }' } },
  },
  {
    method: 'get',
    path: '/api/v1/qris/:intentId',
    tag: 'qris',
    access: MARKET_SCOPE,
    summary: 'Whether a QRIS code was paid',
    ok: { 200: { description: '{ status: pending | paid | expired | superseded, paymentId?, receipt? }' } },
  },
  {
    method: 'post',
    path: '/api/v1/assessments',
    tag: 'assessments',
    access: STAFF_WRITE,
    summary: "Run (or re-run) a region's daily assessment for a business date",
    body: { schema: runAssessmentSchema, name: 'RunAssessment' },
    ok: { 200: { description: 'how many stalls were assessed, and for how much' } },
  },
];
