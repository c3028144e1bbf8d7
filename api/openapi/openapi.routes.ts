// GET /openapi.json and GET /docs: the API's own description, public, built once per process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { buildDocument } from './document';
import { DOCS_CSP, docsPage } from './docs-page';
import { setPageHeaders } from '../http/html-headers';

/** The document's version is the package's: read from package.json once, as data, not as a module. */
const version = (): string =>
  (JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

export function openapiRoutes(deps: Deps): Router {
  const r = Router();
  let doc: Record<string, unknown> | undefined;
  let page: string | undefined;
  const document = () => (doc ??= buildDocument({ serverUrl: deps.config.PUBLIC_BASE_URL, version: version() }));

  r.get('/openapi.json', (_req, res) => {
    res.json(document());
  });
  r.get('/docs', (_req, res) => {
    setPageHeaders(res, { csp: DOCS_CSP, cache: 'private' });
    res.type('html').send((page ??= docsPage(document())));
  });
  return r;
}
