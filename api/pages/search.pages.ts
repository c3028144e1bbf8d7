// GET /cari?q=: the header's search box lands here (every staff page has it).
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { parseInput } from '../core/schemas';
import { staffPage } from './layout';
import { sessionOf } from './session.middleware';
import { viewerOf } from './scope';
import { searchQuery } from './search.schemas';
import { search } from './search.service';
import { searchBody } from './search.views';

export function searchPages(deps: Deps): Router {
  const r = Router();
  r.get('/cari', async (req, res) => {
    const q = parseInput(searchQuery, req.query);
    const s = sessionOf(req);
    const result = await search(deps, s.principal, q);
    const viewer = await viewerOf(deps, s.principal, s.csrf);
    const title = result.q && !result.tooShort ? `Cari “${result.q}”` : 'Cari';
    res.type('html').send(staffPage(viewer, { title, path: req.path, body: searchBody(result), query: result.q }));
  });
  return r;
}
