// Who may send and read the banks' files, and where an upload belongs. An officer imports into
// their own region only; the admin names the region, or the acquirer does. Reading is for
// officers, auditors and the admin, each within their scope; a file's bytes are never served.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { badRequest, forbidden, notFound, unprocessable } from '../core/errors';
import { assertReadRegion, visibleRegions } from '../master-data/access';
import * as repo from './bank-files.repository';
import { acquirerRegionByCode } from './import.repository';
import { describeFile } from './bank-file-result';
import { importBankFile, type ImportResult } from './import.service';
import type { ListQuery, UploadQuery } from './bank-files.schemas';

export async function uploadBankFile(deps: Deps, p: Principal, q: UploadQuery, content: Buffer): Promise<ImportResult> {
  const regionId = await uploadRegion(deps, p, q);
  return importBankFile(deps, {
    regionId,
    kind: q.kind,
    acquirerCode: q.acquirer,
    content,
    name: q.name,
    source: 'upload',
    importedBy: p.sub,
  });
}

async function uploadRegion(deps: Deps, p: Principal, q: UploadQuery): Promise<string> {
  const acquirer = q.acquirer ? await acquirerRegionByCode(deps.knex, q.acquirer) : undefined;
  if (p.role === 'officer') {
    if (!p.regionId || (q.regionId && q.regionId !== p.regionId)) throw forbidden('this region is outside your scope');
    if (acquirer && acquirer.region_id !== p.regionId) throw forbidden("this acquirer is not one of your region's");
    return p.regionId;
  }
  const regionId = q.regionId ?? acquirer?.region_id;
  if (!regionId && q.acquirer) {
    throw unprocessable('unknown-acquirer', `no acquirer ${JSON.stringify(q.acquirer)}`, {
      field: 'acquirer',
      acquirer: q.acquirer,
    });
  }
  if (!regionId)
    throw badRequest('invalid-input', 'say which region the file is for: ?regionId=', [
      { field: 'regionId', message: 'required for a statement' },
    ]);
  return regionId;
}

export interface BankFileView {
  fileId: string;
  regionId: string;
  kind: 'settlement' | 'statement';
  format: string;
  acquirerCode?: string;
  name?: string;
  sha256: string;
  sizeBytes: number;
  lines: number;
  totals: unknown;
  settlementDate?: string;
  source: 'upload' | 'inbox';
  importedBy?: string;
  importedAt: string;
}

function viewOf(r: repo.BankFileRow): BankFileView {
  return {
    fileId: r.id,
    regionId: r.region_id,
    kind: r.kind,
    format: r.format,
    acquirerCode: r.acquirer_code ?? undefined,
    name: r.name ?? undefined,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    lines: r.line_count,
    totals: r.totals,
    settlementDate: r.settlement_date ?? undefined,
    source: r.source,
    importedBy: r.imported_by ?? undefined,
    importedAt: r.imported_at.toISOString(),
  };
}

export async function listBankFiles(deps: Deps, p: Principal, q: ListQuery): Promise<{ items: BankFileView[] }> {
  let regionId = q.regionId;
  if (regionId) assertReadRegion(p, regionId);
  else {
    const visible = visibleRegions(p);
    if (!visible.all) {
      if (!visible.regionId) return { items: [] };
      regionId = visible.regionId;
    }
  }
  const rows = await repo.listFiles(deps.knex, {
    regionId,
    kind: q.kind,
    acquirerCode: q.acquirer,
    date: q.date,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: rows.map(viewOf) };
}

export async function getBankFile(
  deps: Deps,
  p: Principal,
  fileId: string,
): Promise<BankFileView & Pick<ImportResult, 'statements' | 'transactionDates'>> {
  const row = await repo.findFileAnyRegion(deps.knex, fileId);
  if (!row) throw notFound('bank file', { fileId });
  assertReadRegion(p, row.region_id);
  const described = await describeFile(deps.knex, row, false);
  return { ...viewOf(row), statements: described.statements, transactionDates: described.transactionDates };
}
