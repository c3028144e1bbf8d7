// The market pages: today, arrears, a stall's history, letters, and the sticker sheet. A manager
// sees their own market; officers, auditors and the admin name one with ?marketId=.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../core/deps';
import { forbidden } from '../core/errors';
import { parseInput } from '../core/schemas';
import type { Principal } from '../auth/principal';
import { issueLetters, mayIssueLetters } from '../letters/letters.service';
import { html, qs } from './html';
import { staffPage } from './layout';
import { requireCsrf, sessionOf } from './session.middleware';
import { marketChoices, marketFor, regionChoices, regionFor, regionName, viewerOf, type MarketScope } from './scope';
import {
  arrearsQuery,
  issueForm,
  letterParams,
  lettersQuery,
  marketQuery,
  regionQuery,
  stickerQuery,
  todayQuery,
} from './pages.schemas';
import {
  letterPdf,
  marketArrears,
  marketBlocks,
  marketLetters,
  marketStickers,
  marketToday,
  stallHistory,
} from './market.service';
import { arrearsBody, marketPicker, regionPicker, todayBody } from './market.views';
import { lettersBody, stallBody } from './stall-letters.views';

async function send(
  deps: Deps,
  req: Request,
  res: Response,
  title: string,
  body: ReturnType<typeof html>,
): Promise<void> {
  const s = sessionOf(req);
  res.type('html').send(staffPage(await viewerOf(deps, s.principal, s.csrf), { title, path: req.path, body }));
}

/** The market asked for, or (for region viewers who named none) the list to pick from. */
async function marketOrPicker(
  deps: Deps,
  req: Request,
  res: Response,
  marketId: string | undefined,
): Promise<MarketScope | undefined> {
  const p = sessionOf(req).principal;
  const m = await marketFor(deps, p, marketId);
  if (m) return m;
  if (p.regionId) {
    const name = await regionName(deps, p.regionId);
    await send(deps, req, res, 'Pilih pasar', marketPicker(await marketChoices(deps, p.regionId), name));
  } else {
    await send(deps, req, res, 'Pilih wilayah', regionPicker(await regionChoices(deps), '/kelola/pasar'));
  }
  return undefined;
}

/** Letters go out for a market: its manager, an officer of its region, or the admin (as the API). */
function assertIssue(p: Principal, m: MarketScope): void {
  if (!mayIssueLetters(p, m.regionId, m.id)) throw forbidden('Anda tidak dapat menerbitkan surat untuk pasar ini');
}

export function marketPages(deps: Deps): Router {
  const r = Router();

  r.get('/kelola', async (req, res) => {
    const q = parseInput(todayQuery, req.query);
    const m = await marketOrPicker(deps, req, res, q.marketId);
    if (!m) return;
    const p = sessionOf(req).principal;
    const [v, blocks] = await Promise.all([marketToday(deps, p, m, q), marketBlocks(deps, m)]);
    await send(deps, req, res, `Hari ini — ${m.name}`, todayBody(p.role, m, v, q, blocks));
  });

  // For an admin or an auditor of every region: the markets of the region they picked.
  r.get('/kelola/pasar', async (req, res) => {
    const q = parseInput(regionQuery, req.query);
    const region = await regionFor(deps, sessionOf(req).principal, q.regionId);
    if (!region) return void res.redirect(303, '/kelola');
    await send(deps, req, res, 'Pilih pasar', marketPicker(await marketChoices(deps, region.id), region.name));
  });

  r.get('/kelola/tunggakan', async (req, res) => {
    const q = parseInput(arrearsQuery, req.query);
    const m = await marketOrPicker(deps, req, res, q.marketId);
    if (!m) return;
    const [v, blocks] = await Promise.all([marketArrears(deps, m, q), marketBlocks(deps, m)]);
    await send(deps, req, res, `Tunggakan — ${m.name}`, arrearsBody(sessionOf(req).principal.role, m, v, q, blocks));
  });

  r.get('/kelola/los/:stallId', async (req, res) => {
    parseInput(marketQuery, req.query);
    const p = sessionOf(req).principal;
    const v = await stallHistory(deps, p, req.params.stallId as string);
    await send(deps, req, res, `Los ${v.stall.code}`, stallBody(p.role, v));
  });

  r.get('/kelola/surat', async (req, res) => {
    const q = parseInput(lettersQuery, req.query);
    const m = await marketOrPicker(deps, req, res, q.marketId);
    if (!m) return;
    const s = sessionOf(req);
    const issued = q.warning !== undefined || q.strd !== undefined;
    const notice = !issued
      ? undefined
      : (q.warning ?? 0) + (q.strd ?? 0) === 0
        ? html`<p class="note info" role="status">Tidak ada surat baru yang jatuh tempo hari ini.</p>`
        : html`<p class="note ok" role="status">Diterbitkan: ${q.strd ?? 0} STRD dan ${q.warning ?? 0} surat teguran.</p>`;
    const canIssue = mayIssueLetters(s.principal, m.regionId, m.id);
    const body = lettersBody(s.principal.role, m, await marketLetters(deps, m), { csrf: s.csrf, canIssue, notice });
    await send(deps, req, res, `Surat — ${m.name}`, body);
  });

  r.post('/kelola/surat/terbitkan', requireCsrf, async (req, res) => {
    const f = parseInput(issueForm, req.body);
    const p = sessionOf(req).principal;
    const m = await marketFor(deps, p, f.marketId);
    if (!m) throw forbidden('pilih pasar terlebih dahulu');
    assertIssue(p, m);
    const result = await issueLetters(deps, { regionId: m.regionId, marketId: m.id, asOf: m.today, issuedBy: p.sub });
    const back = p.role === 'manager' ? {} : { marketId: m.id };
    res.redirect(303, `/kelola/surat${qs({ ...back, strd: result.issued.strd, warning: result.issued.warning })}`);
  });

  // One trader's letter alone, as its own issued document: "Cetak" beside a letter.
  r.get('/kelola/surat/:letterId/cetak', async (req, res) => {
    const { letterId } = parseInput(letterParams, req.params);
    parseInput(marketQuery, req.query);
    const doc = await letterPdf(deps, sessionOf(req).principal, letterId);
    res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${doc.fileName}"`);
    res.setHeader('X-Document-Number', doc.number);
    res.send(doc.bytes);
  });

  // The sticker sheet: one QR sticker per stall (of the market, one block, or one stall), to
  // print on A4 label paper.
  r.get('/kelola/stiker', async (req, res) => {
    const q = parseInput(stickerQuery, req.query);
    const m = await marketOrPicker(deps, req, res, q.marketId);
    if (!m) return;
    const sheet = await marketStickers(deps, m, { block: q.block, code: q.code });
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${sheet.name}"`);
    res.send(sheet.pdf);
  });
  return r;
}
