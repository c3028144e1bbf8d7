// POST /settlement-files takes the bank's file as the raw body, whatever its content type: it is
// mounted before the JSON parser, and the body is read only after the token is checked, so an
// anonymous caller cannot make the server buffer 200 MB. A new import answers 201, the same file
// again 200 with the first import's body and duplicate: true.
import { Router, raw } from 'express';
import type { Deps } from '../core/deps';
import { principalOf, requireAuth } from '../auth/auth.middleware';
import { parseInput } from '../core/schemas';
import { fileParams, listQuery, uploadQuery } from './bank-files.schemas';
import { getBankFile, listBankFiles, uploadBankFile } from './bank-files.service';

/** A day of a busy region's card settlement, a million lines, fits with room to spare. */
const MAX_FILE = '200mb';

export function bankFileRoutes(deps: Deps): Router {
  const r = Router();
  const upload = requireAuth(deps, 'admin', 'officer');
  const read = requireAuth(deps, 'admin', 'officer', 'auditor');

  r.post('/settlement-files', upload, raw({ type: () => true, limit: MAX_FILE }), async (req, res) => {
    const q = parseInput(uploadQuery, req.query);
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await uploadBankFile(deps, principalOf(req), q, content);
    res.status(result.duplicate ? 200 : 201).json(result);
  });

  r.get('/settlement-files', read, async (req, res) => {
    res.json(await listBankFiles(deps, principalOf(req), parseInput(listQuery, req.query)));
  });

  r.get('/settlement-files/:fileId', read, async (req, res) => {
    const { fileId } = parseInput(fileParams, req.params);
    res.json(await getBankFile(deps, principalOf(req), fileId));
  });
  return r;
}
