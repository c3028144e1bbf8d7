// The revenue office: reconciliation against the banks' files, exceptions and their resolution,
// arrears and penalty rules, demand letters, and the reports it files.
import { z } from 'zod';
import { arrearsQuerySchema, createPenaltyRuleSchema } from '../../arrears/arrears.schemas';
import {
  issueBodySchema,
  letterDetailSchema,
  letterListSchema,
  listQuerySchema as lettersQuery,
} from '../../letters/letters.schemas';
import { fileParams, listQuery as bankFilesQuery, uploadQuery } from '../../reconcile/bank-files.schemas';
import { resolveSchema } from '../../reconcile/reconcile.schemas';
import { exceptionsQuery, reconciliationParams, reportQuery, runReconciliationSchema } from '../mirrored.schemas';
import { REGION_READ, STAFF_READ, STAFF_WRITE, type Operation } from '../operation';

export const backOfficePaths: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/reconciliations',
    tag: 'reconciliation',
    access: STAFF_WRITE,
    summary: "Reconcile (again) a region's business date against the banks' files",
    body: { schema: runReconciliationSchema, name: 'RunReconciliation' },
    ok: { 200: { description: 'the summary: counts and sums matched, awaiting settlement, each exception kind' } },
  },
  {
    method: 'get',
    path: '/api/v1/reconciliations/:regionId/:businessDate',
    tag: 'reconciliation',
    access: REGION_READ,
    params: reconciliationParams,
    summary: 'The summary of the last reconciliation of a region and date',
    ok: { 200: { description: 'the summary, with runs, firstRunAt and lastRunAt' } },
  },
  {
    method: 'get',
    path: '/api/v1/reconciliation-exceptions',
    tag: 'reconciliation',
    access: REGION_READ,
    query: exceptionsQuery,
    summary: 'Reconciliation exceptions, by region, date, kind and status',
    ok: { 200: { description: '{ exceptions, limit, offset }' } },
  },
  {
    method: 'get',
    path: '/api/v1/reconciliation-exceptions/:id',
    tag: 'reconciliation',
    access: REGION_READ,
    summary: 'An exception with its findings and the decisions taken on it',
    ok: { 200: { description: 'the exception' } },
  },
  {
    method: 'post',
    path: '/api/v1/reconciliation-exceptions/:id/resolve',
    tag: 'reconciliation',
    access: STAFF_WRITE,
    summary: "An officer's decision on an open exception (who and when are recorded); the date is reconciled again",
    body: { schema: resolveSchema, name: 'ResolveException' },
    ok: { 200: { description: '{ exception, reconciliation }' } },
    errors: { 409: 'the exception is not open' },
  },
  {
    method: 'post',
    path: '/api/v1/settlement-files',
    tag: 'reconciliation',
    access: STAFF_WRITE,
    query: uploadQuery,
    summary: "A bank's settlement file or account statement, sent as the raw body",
    body: { raw: 'application/octet-stream', description: 'the file as the bank sent it (CSV, MT940, camt.053 ...)' },
    ok: {
      201: { description: '{ fileId, format, lines, totals }' },
      200: { description: 'the same file again: the first answer, duplicate: true' },
    },
  },
  {
    method: 'get',
    path: '/api/v1/settlement-files',
    tag: 'reconciliation',
    access: REGION_READ,
    query: bankFilesQuery,
    summary: 'The bank files received',
    ok: { 200: { description: 'the files, newest first' } },
  },
  {
    method: 'get',
    path: '/api/v1/settlement-files/:fileId',
    tag: 'reconciliation',
    access: REGION_READ,
    params: fileParams,
    summary: 'A bank file: its format, totals and what became of it',
    ok: { 200: { description: 'the file' } },
  },
  {
    method: 'get',
    path: '/api/v1/arrears',
    tag: 'arrears',
    access: STAFF_READ,
    query: arrearsQuerySchema,
    summary: 'Arrears as of a date, per stall: principal, penalty, ageing bucket',
    ok: { 200: { description: 'the arrears of the market or region' } },
  },
  {
    method: 'get',
    path: '/api/v1/regions/:regionId/penalty-rules',
    tag: 'arrears',
    access: REGION_READ,
    summary: "A region's penalty rules (rate per month, months capped), by the date they apply from",
    ok: { 200: { description: '{ items }' } },
  },
  {
    method: 'post',
    path: '/api/v1/regions/:regionId/penalty-rules',
    tag: 'arrears',
    access: STAFF_WRITE,
    summary: 'A penalty rule from a date, with its legal basis',
    body: { schema: createPenaltyRuleSchema, name: 'CreatePenaltyRule' },
    ok: { 201: { description: 'the rule' } },
  },
  {
    method: 'post',
    path: '/api/v1/markets/:marketId/letters',
    tag: 'letters',
    access: ['admin', 'officer', 'manager'],
    summary: 'Issue every warning letter and STRD due in a market as of a date',
    body: { schema: issueBodySchema, name: 'IssueLetters', optional: true },
    ok: { 201: { description: 'the letters issued' }, 200: { description: 'nothing new was due' } },
  },
  {
    method: 'get',
    path: '/api/v1/letters',
    tag: 'letters',
    access: STAFF_READ,
    query: lettersQuery,
    summary: 'Letters issued, by market, kind, date and trader, each with its status (open, partly-paid, paid)',
    ok: { 200: { description: '{ letters, limit, offset }', schema: letterListSchema, name: 'LetterList' } },
  },
  {
    method: 'get',
    path: '/api/v1/letters/:letterId',
    tag: 'letters',
    access: STAFF_READ,
    summary: 'A letter with what it demands, what of it is paid, and its status',
    ok: { 200: { description: 'the letter', schema: letterDetailSchema, name: 'LetterDetail' } },
  },
  {
    method: 'get',
    path: '/api/v1/reports/:kind',
    tag: 'reports',
    access: STAFF_READ,
    query: reportQuery,
    params: z.object({
      kind: z
        .string()
        .describe(
          'daily-reconciliation, daily-collection, monthly-realisation, arrears, strd, and the other registered kinds',
        ),
    }),
    summary: 'A report as an issued PDF (numbered, registered, verifiable), CSV or XLSX; or an issued PDF again',
    ok: {
      200: {
        description:
          'the PDF, its number in X-Document-Number (CSV with format=csv, an Excel workbook with format=xlsx; with number=, the PDF as it was issued)',
        type: 'application/pdf',
      },
    },
  },
];
