// GET /api/v1/reports/:kind?format=pdf|csv|xlsx — the documents a revenue agency files. Who may
// ask: officers (their region), auditors and the admin (read), and a market manager for the
// reports of their own market. A PDF is issued: numbered, registered with its SHA-256 and its
// bytes, verifiable; ?number= hands an issued one out again as it was. CSV and XLSX are its rows.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../core/deps';
import { principalOf, requireAuth } from '../auth/auth.middleware';
import { parseInput } from '../core/schemas';
import { issuePdf, issuePdfBuffer, writeCsv } from '../../reports/document';
import { writeXlsx, XLSX_CONTENT_TYPE } from '../../reports/xlsx';
import { reportQuery } from './reports.schemas';
import { fileStem, issuedDocument, reportKind, reportRequest } from './reports.service';

export function reportRoutes(deps: Deps): Router {
  const r = Router();
  r.get(
    '/reports/:kind',
    requireAuth(deps, 'admin', 'officer', 'manager', 'auditor'),
    async (req: Request, res: Response) => {
      const def = reportKind(req.params.kind as string);
      const q = parseInput(reportQuery, req.query);
      const p = principalOf(req);
      if (q.number) {
        const doc = await issuedDocument(deps, p, def, q);
        res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${doc.number}.pdf"`);
        res.setHeader('X-Document-Number', doc.number);
        res.send(doc.bytes);
        return;
      }
      const rr = await reportRequest(deps, p, def, q);
      if (q.format === 'csv') {
        res.type('text/csv; charset=utf-8').attachment(`${fileStem(def, rr)}.csv`);
        await writeCsv(deps, def, rr, res);
        return;
      }
      if (q.format === 'xlsx') {
        const { bytes } = await writeXlsx(deps, def, rr);
        res.type(XLSX_CONTENT_TYPE).attachment(`${fileStem(def, rr)}.xlsx`);
        res.send(bytes);
        return;
      }
      if (def.streamed) {
        await issuePdf(deps, def, rr, res, p.sub, (number) => {
          res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${number}.pdf"`);
          res.setHeader('X-Document-Number', number);
        });
        return;
      }
      const { doc, bytes } = await issuePdfBuffer(deps, def, rr, p.sub);
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${doc.number}.pdf"`);
      res.setHeader('X-Document-Number', doc.number);
      res.send(bytes);
    },
  );
  return r;
}
