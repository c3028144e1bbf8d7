// The HTTP edge: routers per area, one error handler last.
import express from 'express';
import type { Deps } from './core/deps';
import { errorHandler, prefersPage } from './http/error-handler';
import { refuseHostileUrl } from './http/hostile-url';
import { authRoutes } from './auth/auth.routes';
import { masterDataRoutes } from './master-data/master-data.routes';
import { paymentRoutes } from './payments/payments.routes';
import { collectionRoutes } from './collection/collection.routes';
import { receiptRoutes } from './receipts/receipts.routes';
import { bankRoutes } from './banks/banks.routes';
import { snapRoutes } from './snap/snap.routes';
import { bankFileRoutes } from './reconcile/bank-files.routes';
import { qrisRoutes } from './qris/qris.routes';
import { assessmentRoutes } from './assessments/assessments.routes';
import { reconciliationRoutes } from './reconcile/reconcile.routes';
import { reportRoutes } from './reports/reports.routes';
import { arrearsRoutes } from './arrears/arrears.routes';
import { letterRoutes } from './letters/letters.routes';
import { targetRoutes } from './targets/targets.routes';
import { terminalAssignmentRoutes } from './terminal-assignments/terminal-assignments.routes';
import { verifyRoutes } from './verify/verify.routes';
import { feedRoutes } from './feed/feed.routes';
import { openapiRoutes } from './openapi/openapi.routes';
import { pageRoutes } from './pages/pages.routes';
import { unknownAddressPage } from './pages/page-errors.middleware';
import { htmlSecurityHeaders } from './http/html-headers';
import { health } from './http/health.service';

export function createApp(deps: Deps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // nosniff on every answer; on every HTML answer the pages' CSP, framing and referrer headers.
  app.use(htmlSecurityHeaders());
  app.set('trust proxy', deps.config.TRUST_PROXY);
  // One line per request: method, path, status and time. Never bodies (card data) or query strings.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  });
  // A NUL or other control character in a path segment or query parameter: 400, for every route.
  app.use(refuseHostileUrl());
  // Bank notifications are verified over their raw bytes and bank files are raw bodies, so both
  // come before the JSON parser.
  app.use('/api/v1', bankRoutes(deps));
  app.use('/api/v1', bankFileRoutes(deps));
  // SNAP as banks call it (/snap/{acquirer}/v1.0/...): signed over the raw bytes too.
  app.use(snapRoutes(deps));
  // The public document check reads its own body, and only after the number is known.
  app.use(verifyRoutes(deps));
  app.use(express.json({ limit: '2mb' }));

  app.get('/health', async (_req, res) => {
    res.json(await health(deps));
  });

  const v1 = express.Router();
  v1.use(authRoutes(deps));
  v1.use(masterDataRoutes(deps));
  v1.use(paymentRoutes(deps));
  v1.use(collectionRoutes(deps));
  v1.use(qrisRoutes(deps));
  v1.use(assessmentRoutes(deps));
  v1.use(reconciliationRoutes(deps));
  v1.use(arrearsRoutes(deps));
  v1.use(letterRoutes(deps));
  v1.use(targetRoutes(deps));
  v1.use(terminalAssignmentRoutes(deps));
  v1.use(reportRoutes(deps));
  v1.use(feedRoutes(deps));
  app.use('/api/v1', v1);
  app.use(receiptRoutes(deps));
  app.use(openapiRoutes(deps));
  // Server-rendered pages (session cookie + CSRF; url-encoded forms parsed inside the router only).
  app.use(pageRoutes(deps));

  // No route: a browser gets an Indonesian 404 page; /api, /snap and a client asking JSON the JSON 404.
  app.use((req, res) => {
    if (prefersPage(req))
      return void res.status(404).type('html').setHeader('Cache-Control', 'no-store').send(unknownAddressPage());
    res.status(404).json({ error: { code: 'not-found', message: `no route ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
