// The OpenAPI document cannot drift from the app: every route Express serves is in it and it
// lists nothing else; it is valid OpenAPI 3.1; what it says needs a token does; the schemas it
// copies from route files are still the routes' own. And /docs shows the same operations.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { openApiPath } from '../../api/openapi/document';
import { routesOf } from '../../api/http/route-inventory';
import * as mirrored from '../../api/openapi/mirrored.schemas';
import { OPERATIONS } from '../../api/openapi/paths';
import type { ReportDefinition } from '../../reports/definition';
import { registerReport } from '../../reports/registry';
import { freshDb, type TestDb } from '../support/db';
import { testApp, tokenFor } from '../support/app';
import * as make from '../support/make';
import { PAGE_ROUTES } from '../../api/pages/pages.routes';

let t: TestDb;
let app: Express;
let served: string[];
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };

beforeAll(async () => {
  t = await freshDb();
  ({ app } = testApp(t.knex));
  served = routesOf(app);
  doc = (await request(app).get('/openapi.json')).body;
});
afterAll(() => t.drop());

test('every route the app serves is in the document, and the document lists no route the app does not serve', () => {
  const documented = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`),
  );
  // The server-rendered pages (api/pages) are HTML for people, not API: test/api/pages.test.ts covers them.
  const api = served.filter((r) => !(PAGE_ROUTES as readonly string[]).includes(r));
  expect(documented.sort()).toEqual(
    api.map((r) => r.replace(/ (.*)$/, (_m, p: string) => ` ${openApiPath(p)}`)).sort(),
  );
  expect(served.length).toBeGreaterThan(60);
});

/** Runs the validator, an ES module, in a plain node (jest's module system does not load it). */
function validate(documents: unknown[]): { valid: boolean; errors?: unknown }[] {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const out = [];
    for (const d of JSON.parse(input)) out.push(await new Validator().validate(d));
    process.stdout.write(JSON.stringify(out));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    input: JSON.stringify(documents),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('the document validates as OpenAPI 3.1, and a broken copy of it does not', () => {
  expect(doc.openapi).toBe('3.1.0');
  const dangling = structuredClone(doc) as unknown as { components: { schemas: Record<string, unknown> } };
  delete dangling.components.schemas.CardPayment; // still referenced by POST /payments/card
  const [ours, broken] = validate([doc, dangling]);
  expect(ours).toEqual({ valid: true });
  expect(broken.valid).toBe(false);
});

test('the request schemas are the zod schemas the routes parse with', async () => {
  const card = doc.paths['/api/v1/payments/card'].post as unknown as {
    requestBody: { content: Record<string, { schema: { $ref: string } }> };
  };
  expect(card.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CardPayment' });
  const schemas = (
    doc as unknown as {
      components: {
        schemas: Record<
          string,
          { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean }
        >;
      };
    }
  ).components.schemas;
  expect(schemas.CardPayment.required).toEqual(['clientTxnId', 'stallId', 'amount', 'paidAt', 'card']);
  expect(schemas.CardPayment.additionalProperties).toBe(false); // .strict(): unknown fields are refused
  expect(schemas.CreateUser.properties.role).toEqual({
    type: 'string',
    enum: ['admin', 'officer', 'manager', 'collector', 'auditor', 'feed'],
  });
});

/** A value for each path parameter that gets a request past parsing to the auth check. */
const SAMPLE: Record<string, string> = {
  code: 'ABCDEFGH12345678',
  documentNumber: 'X-0001',
  kind: 'daily-collection',
  terminalId: 'T-NONE',
  year: '2026',
  businessDate: '2026-01-01',
};
const urlOf = (p: string) => p.replace(/:(\w+)/g, (_m, name: string) => SAMPLE[name] ?? randomUUID());

test('what the document says needs a token answers 401 without one, and what it says is public does not', async () => {
  // A bank's notification is checked for its signature once its acquirer is known.
  SAMPLE.acquirer = (
    await make.acquirer(t.knex, (await make.region(t.knex)).id, { channel: 'qris', secret: 'bank-secret' })
  ).code;
  const wrong: string[] = [];
  for (const op of OPERATIONS) {
    const res = await request(app)[op.method](urlOf(op.path)).set('Accept', 'application/json');
    const needsToken = op.access !== 'public';
    if ((res.status === 401) !== needsToken) wrong.push(`${op.method.toUpperCase()} ${op.path}: ${res.status}`);
  }
  expect(wrong).toEqual([]);
});

test('each field of the schemas copied from route files is one its route still knows', async () => {
  registerReport({ kind: 'openapi-probe' } as ReportDefinition); // the query is parsed once the kind is known
  const admin = `Bearer ${tokenFor({ role: 'admin', sub: 'admin' })}`;
  const bad = 'not-valid';
  const cases: [string, (field: string) => request.Test][] = [
    [
      'runReconciliationSchema',
      (f) =>
        request(app)
          .post('/api/v1/reconciliations')
          .send({ [f]: bad }),
    ],
    [
      'exceptionsQuery',
      (f) =>
        request(app)
          .get('/api/v1/reconciliation-exceptions')
          .query({ [f]: bad }),
    ],
    [
      'reconciliationParams',
      (f) =>
        request(app).get(
          f === 'regionId'
            ? `/api/v1/reconciliations/${bad}/2026-01-01`
            : `/api/v1/reconciliations/${randomUUID()}/${bad}`,
        ),
    ],
    [
      'reportQuery',
      (f) =>
        request(app)
          .get('/api/v1/reports/openapi-probe')
          .query({ [f]: bad }),
    ],
    [
      'traderImportQuery',
      (f) =>
        request(app)
          .post(`/api/v1/regions/${randomUUID()}/traders/import`)
          .query({ [f]: bad })
          .set('Content-Type', 'text/csv')
          .send('name\nA\n'),
    ],
  ];
  const unknown: string[] = [];
  for (const [name, send] of cases) {
    const schema = (mirrored as unknown as Record<string, { shape: Record<string, unknown> }>)[name];
    for (const field of Object.keys(schema.shape)) {
      const res = await send(field).set('Authorization', admin);
      const named = (res.body.error?.details ?? []).find((d: { field: string }) => d.field === field);
      if (res.status !== 400 || !named || named.message === 'unknown field')
        unknown.push(`${name}.${field}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  expect(unknown).toEqual([]);
  expect(Object.keys(mirrored).sort()).toEqual(cases.map(([name]) => name).sort());
});

test('/docs lists every operation of the document on one page that loads nothing from elsewhere', async () => {
  const res = await request(app).get('/docs');
  expect(res.status).toBe(200);
  expect(res.type).toBe('text/html');
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      expect(res.text).toContain(`id="${op.operationId}"`);
      expect(res.text).toContain(`${method.toUpperCase()}</span> <code>${p}</code>`);
    }
  }
  expect(res.text).not.toMatch(/<script|<link|src=|@import|url\(/i);
});
