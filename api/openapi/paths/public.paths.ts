// What needs no token: health, the two logins, the receipt and document checks printed on paper,
// the banks' signed notifications, and this documentation.
import { z } from 'zod';
import { loginSchema, terminalLoginSchema } from '../../auth/auth.schemas';
import { notificationSchema } from '../../qris/qris.schemas';
import { snapNotifySchema, snapTokenRequestSchema } from '../../snap/snap.schemas';
import { healthSchema, staffTokenSchema, terminalTokenSchema } from '../answers';
import type { Operation } from '../operation';

const receiptParams = z.object({ code: z.string().describe('the receipt code printed on the e-karcis') });
const documentParams = z.object({
  documentNumber: z.string().describe("the document's number, as printed under its QR"),
});

export const publicPaths: Operation[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'public',
    access: 'public',
    summary: 'The API is up and its database answers',
    ok: { 200: { description: 'up', schema: healthSchema, name: 'Health' } },
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'auth',
    access: 'public',
    summary: 'Staff log in with username and password',
    body: { schema: loginSchema, name: 'Login' },
    ok: {
      200: { description: 'a token carrying the role and its scope', schema: staffTokenSchema, name: 'StaffToken' },
    },
    errors: { 401: 'wrong username or password, or the account is inactive' },
  },
  {
    method: 'post',
    path: '/api/v1/auth/terminal',
    tag: 'auth',
    access: 'public',
    summary: 'A collector terminal logs in with its id and secret',
    body: { schema: terminalLoginSchema, name: 'TerminalLogin' },
    ok: {
      200: {
        description: "a token scoped to the terminal's market",
        schema: terminalTokenSchema,
        name: 'TerminalToken',
      },
    },
    errors: { 401: 'wrong terminal id or secret, or the terminal is inactive' },
  },
  {
    method: 'get',
    path: '/receipts/:code',
    tag: 'public',
    access: 'public',
    params: receiptParams,
    summary: 'Proof that a receipt (e-karcis) is genuine',
    description: 'HTML for a person who scanned the receipt; JSON with Accept: application/json.',
    ok: {
      200: {
        description:
          'the receipt as recorded, valid or voided (DIBATALKAN): amount, the days (retribusi) and penalty months (sanksi bunga) it settled, credit; JSON adds principal, penalty, penalties[], voidedAt',
        type: 'text/html',
      },
    },
    errors: {
      404: 'no receipt has this code (also a malformed code): an Indonesian "Bukti bayar tidak dikenal" page, or not-found in JSON',
    },
  },
  {
    method: 'get',
    path: '/verify/:documentNumber',
    tag: 'public',
    access: 'public',
    params: documentParams,
    summary: 'Whether a report or letter with this number was issued, and what it covers',
    description: 'HTML, or JSON with Accept: application/json.',
    ok: { 200: { description: 'genuine: the document as registered', type: 'text/html' } },
  },
  {
    method: 'post',
    path: '/verify/:documentNumber',
    tag: 'public',
    access: 'public',
    params: documentParams,
    summary: 'Compare a copy of a document, sent as the body, with the one issued (SHA-256)',
    body: { raw: 'application/octet-stream', description: 'the PDF (or CSV) file itself' },
    ok: { 200: { description: '{ status: genuine | altered, received, issued, document }' } },
    errors: {
      404: 'no document has this number (answered before the body is read)',
      413: 'the file is larger than the document as issued, so it cannot be it (status: altered; answered without reading on)',
    },
  },
  {
    method: 'post',
    path: '/api/v1/banks/:acquirer/qris-notifications',
    tag: 'banks',
    access: 'bank-signature',
    params: z.object({ acquirer: z.string().describe("the acquirer's code, e.g. bank-jateng-qris") }),
    summary: 'A bank tells us a QRIS code was paid',
    description:
      'Signed: X-Timestamp (unix seconds) and X-Signature = hex HMAC-SHA256 of `timestamp + "." + rawBody` under the acquirer\'s secret. ' +
      "The same notification again answers as the first time did. An amount above Rp 10.000.000 (Bank Indonesia's QRIS limit) is recorded and flagged over-qris-limit.",
    body: { schema: notificationSchema, name: 'QrisNotification' },
    ok: { 200: { description: 'recorded (or recorded before): the payment and its receipt' } },
    errors: {
      400: 'invalid-encoding (not UTF-8: a NUL byte, UTF-16) or invalid-input naming the field (e.g. amount "0"); every notification is archived exactly as received first',
      401: 'missing, stale or wrong signature',
    },
  },
  {
    method: 'post',
    path: '/snap/:acquirer/v1.0/access-token/b2b',
    tag: 'banks',
    access: 'bank-signature',
    params: z.object({ acquirer: z.string().describe("the SNAP acquirer's code") }),
    summary: 'SNAP: a bank fetches our B2B access token before notifying (notifyScheme symmetric-token)',
    description:
      'X-CLIENT-KEY (the acquirer\'s snap.clientId), X-TIMESTAMP (yyyy-MM-ddTHH:mm:ss+07:00, within 5 minutes) and X-SIGNATURE = SHA256withRSA over `clientId|X-TIMESTAMP` under the bank\'s private key, verified with snap.bankPublicKey. Answers SNAP codes: 2007300 with accessToken, tokenType Bearer, expiresIn "900".',
    body: { schema: snapTokenRequestSchema, name: 'SnapTokenRequest' },
    ok: { 200: { description: '2007300: the token' } },
    errors: {
      400: '4007300 (missing header or body) or 4007301 (bad or stale X-TIMESTAMP)',
      401: '4017300: unknown client, or the signature does not verify',
    },
  },
  {
    method: 'post',
    path: '/snap/:acquirer/v1.0/qr/qr-mpm-notify',
    tag: 'banks',
    access: 'bank-signature',
    params: z.object({ acquirer: z.string().describe("the SNAP acquirer's code") }),
    summary: 'SNAP (service 52): a bank tells us a QRIS code was paid',
    description:
      "Archived exactly as received first. Signed as the acquirer's snap.notifyScheme says: asymmetric (SHA256withRSA over `POST:path:sha256hex(minified body):X-TIMESTAMP`), symmetric-token (Authorization: Bearer <our B2B token>, HMAC-SHA512 under the client secret over `POST:path:token:digest:X-TIMESTAMP`) or client-timestamp (SHA256withRSA over `clientId|X-TIMESTAMP`). X-EXTERNAL-ID once per acquirer and day: a true retry gets the first answer, another body 409 4095200. Only latestTransactionStatus 00 posts a payment, once per intent and bank referenceNo.",
    body: { schema: snapNotifySchema, name: 'SnapQrisNotification' },
    ok: { 200: { description: '2005200: recorded, recorded before, or not a payment (status other than 00)' } },
    errors: {
      400: '4005200 (not JSON), 4005201 Invalid Field Format {field} (an unknown top-level field included), 4005202 Invalid Mandatory Field {field}',
      401: '4015200 (signature, stale X-TIMESTAMP, unknown client) or 4015201 (bearer token missing or expired)',
      404: '4045201: no intent has this reference',
      409: '4095200: the X-EXTERNAL-ID was used today for another body',
      500: '5005200: general error (nothing recorded: retry)',
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'public',
    access: 'public',
    summary: 'This document (OpenAPI 3.1)',
    ok: { 200: { description: 'the OpenAPI document' } },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'public',
    access: 'public',
    summary: 'The operations of this document as a page to read',
    ok: { 200: { description: 'HTML', type: 'text/html' } },
  },
];
