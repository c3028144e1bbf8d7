// The server-rendered pages (Indonesian, no build step, no scripts but the public stall page's
// one, allowed by its hash): login, the market manager's
// and the revenue officer's pages (auditors read them without forms), report downloads, and the
// public stall page behind the QR sticker. Mounted at the root, after the API and the public
// verification pages. Staff pages use the session cookie; the API keeps to bearer tokens.
import express, { Router, type RequestHandler } from 'express';
import type { Deps } from '../core/deps';
import { requireSession } from './session.middleware';
import { STYLESHEET } from './style';
import { loginPages } from './login.pages';
import { marketPages } from './market.pages';
import { searchPages } from './search.pages';
import { reconcilePages } from './reconcile.pages';
import { reportPages } from './reports.pages';
import { targetPages } from './targets.pages';
import { accountPages } from './account.pages';
import { staffPages } from './staff.pages';
import { commandCenterPages } from './command-center.pages';
import { publicStallRoutes } from './stall-public.pages';
import { pageErrorHandler } from './page-errors.middleware';
import { pageHeaders, type PageCache } from '../http/html-headers';

/** Every route the pages add to the app, as "METHOD /path" (test/api/pages.test.ts holds this to
 * the router, so the API's route lists can leave exactly these out). */
export const PAGE_ROUTES = [
  'GET /aset/halaman.css',
  'GET /los/:publicCode',
  'POST /los/:publicCode/qris',
  'GET /los/:publicCode/qris/:intentId',
  'GET /',
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /kelola',
  'GET /kelola/pasar',
  'GET /kelola/tunggakan',
  'GET /kelola/los/:stallId',
  'GET /kelola/surat',
  'POST /kelola/surat/terbitkan',
  'GET /kelola/stiker',
  'GET /kelola/surat/:letterId/cetak',
  'GET /cari',
  'GET /rekonsiliasi',
  'GET /rekonsiliasi/:date',
  'POST /rekonsiliasi/pengecualian/:id/selesaikan',
  'GET /rekonsiliasi/keputusan',
  'GET /rekonsiliasi/keputusan/unduh',
  'POST /rekonsiliasi/berkas',
  'POST /rekonsiliasi/:date/jalankan',
  'GET /laporan',
  'GET /laporan/unduh/:kind',
  'GET /target',
  'POST /target',
  'GET /akun',
  'POST /akun/kata-sandi',
  'GET /pengguna',
  'GET /pengguna/baru',
  'POST /pengguna/baru',
  'GET /pengguna/:id',
  'POST /pengguna/:id/kata-sandi',
  'POST /pengguna/:id/status',
  'GET /aset/pusat-komando.js',
  'GET /aset/pusat-komando.css',
  'GET /pusat-komando',
  'GET /pusat-komando/aliran',
] as const;

/** The paths that need a staff session. */
const STAFF = ['/kelola', '/rekonsiliasi', '/laporan', '/target', '/akun', '/pengguna', '/pusat-komando', '/cari'];

// No script runs on these pages and nothing may frame them; styles come only from our file
// (api/shared/html-headers.ts: the same headers as every other HTML answer).
const headers = (cache: PageCache): RequestHandler => pageHeaders({ cache });

export function pageRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/aset/halaman.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(STYLESHEET);
  });
  r.use('/los', headers('no-store'));
  r.use(publicStallRoutes(deps));

  // Forms post url-encoded bodies: parsed here only, the API stays JSON.
  const forms = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  r.use(['/login', '/logout', ...STAFF], forms, headers('no-store'));
  r.use(loginPages(deps));

  r.use(STAFF, requireSession(deps));
  r.use(marketPages(deps));
  r.use(searchPages(deps));
  r.use(reconcilePages(deps));
  r.use(reportPages(deps));
  r.use(targetPages(deps));
  r.use(accountPages(deps));
  r.use(staffPages(deps));
  r.use(commandCenterPages(deps));

  r.use(pageErrorHandler(deps.logger));
  return r;
}
