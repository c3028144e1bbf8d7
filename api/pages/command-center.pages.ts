// The command center's wall screen, /pusat-komando, and its payment stream,
// /pusat-komando/aliran: the feed's own Server-Sent Events (the same PaymentStream, the same
// scope), opened with the page's session cookie, so a browser can read it with fetch; the API's
// /api/v1/feed/payments keeps to bearer tokens (a cookie never opens /api/v1). For the feed role
// and whoever the feed lets watch today (admin, officers and auditors of their region).
// The script and the stylesheet are files of this origin: the page's policy allows them
// ('self'), its fetches back here (connect-src 'self') and nothing inline.
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { contentSecurityPolicy, setPageHeaders } from '../http/html-headers';
import { paymentStreamOf } from '../feed/payment-stream';
import { streamPayments } from '../feed/sse';
import { commandCenter, commandCenterQuery, commandCenterScope } from './command-center.service';
import { COMMAND_CENTER_CSS, commandCenterPage, SCRIPT_PATH, STYLE_PATH } from './command-center.views';
import { COMMAND_CENTER_SCRIPT } from './command-center.script';
import { sessionOf } from './session.middleware';

const CSP = contentSecurityPolicy({ selfScripts: true, connect: true });

export function commandCenterPages(deps: Deps, o: { heartbeatMs?: number } = {}): Router {
  const r = Router();

  r.get(SCRIPT_PATH, (_req, res) => {
    res.type('text/javascript; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(COMMAND_CENTER_SCRIPT);
  });
  r.get(STYLE_PATH, (_req, res) => {
    res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(COMMAND_CENTER_CSS);
  });

  r.get('/pusat-komando', async (req, res) => {
    const q = parseInput(commandCenterQuery, req.query);
    const s = sessionOf(req);
    const v = await commandCenter(deps, s.principal, q.regionId);
    setPageHeaders(res, { csp: CSP });
    res.type('html').send(commandCenterPage(v, { role: s.principal.role, csrf: s.csrf }));
  });

  r.get('/pusat-komando/aliran', async (req, res) => {
    const q = parseInput(commandCenterQuery, req.query);
    const { regionId } = commandCenterScope(sessionOf(req).principal, q.regionId);
    await streamPayments(paymentStreamOf(deps), regionId, res, o.heartbeatMs);
  });
  return r;
}
