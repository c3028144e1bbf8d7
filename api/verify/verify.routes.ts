// Public: the page a document's QR opens. It says whether the number is one we issued and what
// that document covers; a file sent to it is compared byte for byte (by SHA-256) with what we
// handed out, so an altered copy shows as altered.
import type express from 'express';
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { VERIFY_CSP, verifyPage, type DocumentView } from './verify-page';
import { compareFile, findDocument } from './verify.service';
import { setPageHeaders } from '../http/html-headers';

/**
 * The request body, or undefined as soon as it grows past limit bytes: the reading stops there
 * (unlike express.raw, which reads a refused body to its end before answering).
 */
function readUpTo(req: express.Request, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      req.pause();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        stop();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const onAborted = () =>
      onError(Object.assign(new Error('the upload was aborted'), { status: 400, type: 'request.aborted' }));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

const wantsJson = (req: express.Request) => req.accepts(['html', 'json']) === 'json';

export function verifyRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/verify/:documentNumber', async (req, res) => {
    setPageHeaders(res, { csp: VERIFY_CSP });
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
  // Public and unauthenticated, so the number is looked up before a byte of the body is read: an
  // unknown number is refused at once, and a body is read only up to the size of the document it
  // claims to be (a larger file cannot be that document). A refusal closes the connection, so
  // the rest of the upload is never received.
  r.post('/verify/:documentNumber', async (req, res, next) => {
    const doc = await findDocument(deps, req.params.documentNumber);
    if (!doc) {
      res.set('Connection', 'close').status(404).json({ status: 'unknown', documentNumber: req.params.documentNumber });
      return;
    }
    const tooLarge = () =>
      res
        .set('Connection', 'close')
        .status(413)
        .json({
          status: 'altered',
          documentNumber: doc.number,
          error: {
            code: 'payload-too-large',
            message: `the file is larger than document ${doc.number} as issued (${doc.sizeBytes} bytes): it cannot be that document`,
            details: { field: '(body)', maxBytes: doc.sizeBytes },
          },
          issued: { sha256: doc.sha256, sizeBytes: doc.sizeBytes },
        });
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > doc.sizeBytes) return void tooLarge();
    const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      res
        .set('Connection', 'close')
        .status(415)
        .json({
          error: {
            code: 'unsupported-media-type',
            message: 'send the file as it is, without Content-Encoding',
            details: { field: 'content-encoding' },
          },
        });
      return;
    }
    let body: Buffer | undefined;
    try {
      body = await readUpTo(req, doc.sizeBytes);
    } catch (err) {
      return void next(err);
    }
    if (!body) return void tooLarge();
    answer(doc, body, res);
  });

  function answer(doc: DocumentView, body: Buffer, res: express.Response) {
    if (body.length === 0) {
      res.status(400).json({ error: { code: 'file-required', message: 'send the document file as the request body' } });
      return;
    }
    res.json(compareFile(doc, body));
  }
  return r;
}
