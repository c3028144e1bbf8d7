// GET /los/:publicCode: the public stall page a trader (or anyone) opens by scanning the sticker
// on the stall (what it shows: stall-public.service.ts). Found by the sticker's random code, never
// by the stall's id or code; a code that cannot be one is the same 404 as an unknown code.
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { publicCodeParams } from './pages.schemas';
import { errorPage, parsedOrUndefined } from './page-errors.middleware';
import { publicStall } from './stall-public.service';
import { publicStallPage } from './stall-public.views';

export function publicStallRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/los/:publicCode', async (req, res) => {
    const code = parsedOrUndefined(publicCodeParams, req.params)?.publicCode;
    const v = code ? await publicStall(deps, code) : undefined;
    // What is owed changes with every payment: never from a cache; and not for search engines.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    if (!v) return void res.status(404).type('html').send(errorPage(404, 'Kode los pada stiker ini tidak dikenal.'));
    res.type('html').send(publicStallPage(v));
  });
  return r;
}
