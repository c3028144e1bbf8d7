// Public: the page a document's QR opens. It says whether the number is one we issued and what
// that document covers; a file sent to it is compared byte for byte (by SHA-256) with what we
// handed out, so an altered copy shows as altered.
import express, { Router } from 'express';
import { createHash } from 'node:crypto';
import type { Deps } from '../deps';
import { parseDocumentNumber } from '../../reports/document';
import { waktuLokal } from '../../reports/format';
import { verifyPage, type DocumentView } from './verify-page';

async function findDocument(deps: Deps, number: string): Promise<DocumentView | undefined> {
  const parsed = parseDocumentNumber(number);
  if (!parsed) return undefined;
  const row = await deps.knex('documents as d')
    .join('regions as r', 'r.id', 'd.region_id')
    .where({ 'r.code': parsed.regionCode, 'd.number': number })
    .first('d.number', 'd.kind', 'd.title', 'd.covers', 'd.sha256', 'd.size_bytes', 'd.pages', 'd.made_at', 'r.name as region_name', 'r.time_zone');
  if (!row) return undefined;
  return {
    number: row.number,
    kind: row.kind,
    title: row.title,
    region: row.region_name,
    covers: row.covers,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    pages: row.pages,
    madeAt: new Date(row.made_at).toISOString(),
    madeAtLocal: waktuLokal(new Date(row.made_at), row.time_zone),
  };
}

const wantsJson = (req: express.Request) => req.accepts(['html', 'json']) === 'json';

export function verifyRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/verify/:documentNumber', async (req, res) => {
    const doc = await findDocument(deps, req.params.documentNumber);
    if (!doc) {
      res.status(404);
      if (wantsJson(req)) res.json({ status: 'unknown', documentNumber: req.params.documentNumber });
      else res.type('html').send(verifyPage({ status: 'unknown', number: req.params.documentNumber }));
      return;
    }
    if (wantsJson(req)) res.json({ status: 'genuine', document: doc });
    else res.type('html').send(verifyPage({ status: 'genuine', number: doc.number, doc }));
  });

  // The file is the raw request body (any content type): the page's form sends it with fetch.
  r.post('/verify/:documentNumber', express.raw({ type: () => true, limit: '200mb' }), async (req, res) => {
    const doc = await findDocument(deps, req.params.documentNumber);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!doc) {
      res.status(404).json({ status: 'unknown', documentNumber: req.params.documentNumber });
      return;
    }
    if (body.length === 0) {
      res.status(400).json({ error: { code: 'file-required', message: 'send the document file as the request body' } });
      return;
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    const status = sha256 === doc.sha256 ? 'genuine' : 'altered';
    res.json({ status, documentNumber: doc.number, received: { sha256, sizeBytes: body.length }, issued: { sha256: doc.sha256, sizeBytes: doc.sizeBytes }, document: doc });
  });
  return r;
}
