// The public stall page a trader (or anyone) opens by scanning the sticker on the stall (what it
// shows: stall-public.service.ts), and paying from it without logging in:
//   GET  /los/:publicCode                    the page (?qris=<id>: with that code's panel)
//   POST /los/:publicCode/qris               a QRIS code for this stall: { bagian: semua | hari-ini }
//                                            (JSON from the page's script: 201 with the panel;
//                                            a form without script: 303 to the page with the code)
//   GET  /los/:publicCode/qris/:intentId     the code's status, amount and, once paid, its receipt
//                                            (JSON for the script; a browser is sent to the page)
// Found by the sticker's random code, never by the stall's id or code; a code that cannot be one
// is the same 404 as an unknown code. The stall is always the sticker's: a body naming anything
// else is refused. Refusals are in Indonesian.
import express, { Router, type Request, type Response } from 'express';
import type { Deps } from '../core/deps';
import { AppError } from '../core/errors';
import { messageOf } from '../core/glossary';
import { parseInput } from '../core/schemas';
import { setPageHeaders } from '../http/html-headers';
import { publicIntentForm, publicIntentParams, publicStallQuery } from '../qris/public-intent.schemas';
import { publicCodeParams } from './pages.schemas';
import { errorPage, inputProblem, parsedOrUndefined } from './page-errors.middleware';
import { payFromStall, publicCodeStatus, publicStall } from './stall-public.service';
import { codePanel, PUBLIC_STALL_CSP, publicRefusalPage, publicStallPage, refusalPanel } from './stall-public.views';

const UNKNOWN_STICKER = 'Kode los pada stiker ini tidak dikenal.';
const UNKNOWN_CODE = 'Kode QRIS ini tidak dikenal untuk los ini.';

export function publicStallRoutes(deps: Deps): Router {
  const r = Router();
  // The form posted without script: a tiny url-encoded body, parsed here only.
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });

  r.get('/los/:publicCode', async (req, res) => {
    const code = parsedOrUndefined(publicCodeParams, req.params)?.publicCode;
    // A stray query (a QR reader's own parameters) is ignored, not a 400 on the sticker's page.
    const shown = parsedOrUndefined(publicStallQuery, req.query)?.qris;
    const v = code ? await publicStall(deps, code, shown) : undefined;
    noStore(res);
    if (!v) return void res.status(404).type('html').send(errorPage(404, UNKNOWN_STICKER));
    setPageHeaders(res, { csp: PUBLIC_STALL_CSP });
    res.type('html').send(publicStallPage(v));
  });

  r.post('/los/:publicCode/qris', form, async (req, res, next) => {
    noStore(res);
    const json = wantsJson(req);
    try {
      const code = parsedOrUndefined(publicCodeParams, { publicCode: req.params.publicCode })?.publicCode;
      const input = parseInput(publicIntentForm, req.body ?? {});
      const c = code ? await payFromStall(deps, code, input.bagian, req.ip ?? 'unknown') : undefined;
      if (!c) return void refuse(res, json, 404, 'not-found', UNKNOWN_STICKER);
      if (!json) return void res.redirect(303, `/los/${code}?qris=${c.intentId}`);
      res.status(201).json({
        intentId: c.intentId,
        status: c.status,
        amount: c.amount,
        statusUrl: c.statusUrl,
        image: c.image,
        html: codePanel(c).text,
      });
    } catch (err) {
      if (!answerRefusal(res, json, err, req.params.publicCode)) next(err);
    }
  });

  r.get('/los/:publicCode/qris/:intentId', async (req, res) => {
    noStore(res);
    const code = parsedOrUndefined(publicCodeParams, { publicCode: req.params.publicCode })?.publicCode;
    const intentId = parsedOrUndefined(publicIntentParams, { intentId: req.params.intentId })?.intentId;
    const c = code && intentId ? await publicCodeStatus(deps, code, intentId) : undefined;
    // A person who opens the status address itself gets the stall's page with that code, not JSON.
    const json = wantsJson(req);
    if (!c) return void refuse(res, json, 404, 'not-found', UNKNOWN_CODE);
    if (!json) return void res.redirect(303, `/los/${code}?qris=${intentId}`);
    // Only this code's status and amount, and once paid its receipt: nothing of the stall or trader.
    res.json({
      status: c.status,
      amount: c.amount,
      ...(c.receipt
        ? {
            receipt: {
              serial: c.receipt.serial,
              code: c.receipt.code,
              url: c.receipt.url,
              amount: c.receipt.amount,
              lines: c.receipt.lines,
            },
          }
        : {}),
      ...(c.status === 'pending' ? {} : { html: codePanel(c).text }),
    });
  });
  return r;
}

function noStore(res: Response): void {
  // What is owed changes with every payment: never from a cache; and not for search engines.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex');
}

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

function refuse(res: Response, json: boolean, status: number, code: string, message: string, publicCode?: string) {
  if (json) return res.status(status).json({ error: { code, message }, html: refusalPanel(message).text });
  res
    .status(status)
    .type('html')
    .send(status === 404 ? errorPage(404, message) : publicRefusalPage(status, message, publicCode));
}

/** A refusal the trader can act on, answered in Indonesian; false for anything else (a 500). */
function answerRefusal(res: Response, json: boolean, err: unknown, publicCode: string): boolean {
  if (inputProblem(err)) {
    refuse(res, json, 400, 'invalid-input', 'Permintaan tidak sah: pilih "semua" atau "hari ini saja".', publicCode);
    return true;
  }
  if (!(err instanceof AppError) || (err.status >= 500 && (err.status < 502 || err.status > 504))) return false;
  const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (err.status === 429 && retry) res.setHeader('Retry-After', String(retry));
  refuse(res, json, err.status, err.code, messageOf(err) ?? err.message, publicCode);
  return true;
}
