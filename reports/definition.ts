// What a report is: its parameters, what it covers, how it draws and how it reads as CSV.
// The kit (letterhead, number, QR, page numbers) and the register of issued documents are
// shared; a definition only loads its data and lays it out.
import type { Deps } from '../api/core/deps';
import type { ReportPdf } from './pdf/report-pdf';

export interface ReportRequest {
  regionId: string;
  marketId?: string;
  date?: string;
  month?: string;
  asOf?: string;
}

export type ReportParam = 'date' | 'month' | 'asOf' | 'marketId';

/**
 * What a CSV column holds, so a spreadsheet gets typed cells (reports/xlsx.ts): money (a decimal
 * string, two places), integer (a count), date (YYYY-MM-DD), percent (12.34 meaning 12.34%), or
 * text. Codes (TID, MID, approval codes, NIK, stall and market codes) are text: a leading zero
 * is part of the code. A cell that does not read as its column's type (TOTAL in a date column,
 * '—' for no percentage, an empty cell) is written as the text it is.
 */
export type ColumnType = 'text' | 'money' | 'integer' | 'date' | 'percent';

export interface ReportDefinition {
  kind: string;
  /** In the document number: MGL-<code>-2026-000012. */
  code: string;
  /** Indonesian, upper case, as printed. */
  title: string;
  layout: 'portrait' | 'landscape';
  /** 'market': a manager may ask for their own market; 'region': officers, auditors, admin only. */
  scope: 'region' | 'market';
  needs: ReportParam[];
  /** Big reports are streamed page by page ("Halaman N" without the total); the rest are built
   * whole first, so a failure is a clean error and pages read "Halaman N dari M". */
  streamed?: boolean;
  /** Runs before any byte is written: a 4xx thrown here (nothing to report) is a clean answer. */
  subtitle(deps: Deps, req: ReportRequest): Promise<string[]>;
  covers(deps: Deps, req: ReportRequest): Promise<Record<string, unknown>>;
  pdf(deps: Deps, req: ReportRequest, pdf: ReportPdf): Promise<void>;
  csv(deps: Deps, req: ReportRequest, write: (cells: string[]) => Promise<void>): Promise<void>;
  /** The type of each CSV column, by its header; a header not named here is text. Columns that
   * come and go with the data (a channel's) are all named. */
  columns?: Record<string, ColumnType>;
}
