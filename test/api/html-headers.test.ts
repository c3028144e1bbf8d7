// Issue 13, item 6: every HTML answer carries the pages' security headers (no framing, no type
// sniffing, a Content-Security-Policy that allows only what the page itself carries), from one
// helper: the receipt and document verification pages, /docs, error pages, the pages themselves.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { freshDb, type TestDb } from '../support/db';
import { testApp } from '../support/app';
import { cardScenario } from '../support/scenario';
import { pay } from '../support/pay';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (html: string, tag: 'style' | 'script') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);

function expectPageHeaders(res: request.Response) {
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('same-origin');
  expect(res.headers['cache-control']).toBeDefined();
  // What the page carries inline is allowed by its hash, and nothing else runs.
  for (const style of inline(res.text, 'style')) expect(csp).toContain(sha(style));
  const scripts = inline(res.text, 'script');
  for (const script of scripts) expect(csp).toContain(sha(script));
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
  if (scriptSrc !== undefined)
    expect(scriptSrc.split(' ').every((src) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(src))).toBe(true);
  return csp;
}

test("the receipt page, the document verification page and /docs send the pages' security headers", async () => {
  const s = await cardScenario(t.knex);
  const { app } = testApp(t.knex);
  const paid = await pay(app, s);

  const receipt = await request(app).get(`/receipts/${paid.receipt.code}`);
  expect(receipt.status).toBe(200);
  expectPageHeaders(receipt);
  expect(receipt.headers['cache-control']).toBe('no-store');

  const verify = await request(app).get('/verify/KMG-DTG-2026-000001');
  expect(verify.status).toBe(404);
  expectPageHeaders(verify);

  const docs = await request(app).get('/docs');
  expect(docs.status).toBe(200);
  expectPageHeaders(docs);
});

test('the verification page of an issued document allows its own script, and its upload back to this origin only', async () => {
  const s = await cardScenario(t.knex);
  const { app } = testApp(t.knex);
  const number = `${s.region.code}-DTG-2026-000001`;
  await t.knex('documents').insert({
    region_id: s.region.id,
    number,
    kind: 'arrears',
    title: 'Daftar Tunggakan',
    covers: {},
    sha256: 'a'.repeat(64),
    size_bytes: 10,
    pages: 1,
    made_at: new Date(),
  });
  const res = await request(app).get(`/verify/${number}`);
  expect(res.status).toBe(200);
  const csp = expectPageHeaders(res);
  expect(inline(res.text, 'script')).toHaveLength(1);
  expect(csp).toContain("connect-src 'self'");
});

test('an HTML answer no route set headers for (a redirect, a page error) gets them too, and every answer is nosniff', async () => {
  const { app } = testApp(t.knex);
  const page = await request(app).get('/los/0000000000000000');
  expectPageHeaders(page);
  // Express's own HTML: the redirect from / to the login page, set up by no page router.
  const redirect = await request(app).get('/').set('Accept', 'text/html');
  expect(redirect.status).toBe(303);
  expectPageHeaders(redirect);
  const json = await request(app).get('/openapi.json');
  expect(json.headers['x-content-type-options']).toBe('nosniff');
});
