// What an acquirer's settlement file says, once read: pure data, no database. The parsers in
// settlement-parse.ts return these; the importer stores them and reconciliation matches them.
//
// Money is a normalised decimal string, as in statement-types.ts: two decimals at least, more only
// when the bank wrote significant ones ("200000.00", "349.50", "8.125"; never "200000.000", never
// an exponent), because the banks write one amount as 200000, 200000.000 or 200,000.00 and the
// matcher must compare strings it can trust. Rates are fractions without trailing zeros ("0.0015").
import { AppError } from '../../core/errors';

export type SettlementFormat = 'bni' | 'mandiri' | 'bri' | 'linkaja' | 'mapped';

export interface ParsedSettlementLine {
  /** 1-based physical line of the file this transaction was read from */
  lineNumber: number;
  rrn?: string;
  /** A QR or merchant reference (BRI's MERCHANT_REF_NUMBER, LinkAja's invoice id) */
  reference?: string;
  tid?: string;
  mid?: string;
  stan?: string;
  /** Text: card approval codes may start with a letter (R23334, T28458) */
  approvalCode?: string;
  /** First 6 and last 4 digits, masked with * whatever the bank's mask character */
  maskedPan?: string;
  /** The card cell as the bank wrote it, when it showed more of the card number than a masked
   * PAN may (a full PAN, or more than the first 6 and last 4 digits): maskedPan is then masked
   * here. Never stored: the importer masks these in the copy of the file it keeps. */
  revealedPan?: RevealedPan;
  /** Local date-time as written, YYYY-MM-DDTHH:mm:ss without zone: the importer applies the region's */
  transactedAt?: string;
  /** YYYY-MM-DD, local */
  transactionDate: string;
  gross: string;
  mdr: string;
  /** Fees besides the MDR that the bank took from this line (BNI's installment SS AMOUNT) */
  otherFees?: string;
  /** gross - mdr - otherFees, as the bank wrote it (checked) */
  net: string;
  /** The MDR rate as a fraction ("0.0015" for BNI's RATE 0.15), when the bank states one */
  mdrRate?: string;
  /** True when the bank charged the MDR per group (Mandiri: MID x network) and this line's mdr
   * is its share of the group fee, spread by gross; compare fees per group, not per line. */
  mdrAllocated?: boolean;
  settlementDate?: string;
  /** The acquirer's settlement (payment) batch: what the statement credits one sum for */
  batch?: string;
  /** The EDC's own batch (BNI's OB, Mandiri's TIDBATCH) */
  terminalBatch?: string;
  /** The card network as the bank writes it (BNI's TYPE V/M/J/P, Mandiri's summary DESCRIPTION,
   * BRI's CARDTYPE): what an acquirer's MDR rates are keyed by */
  network?: string;
  /** The bank's own key of this line, unique in its files (BNI: MID/OB/GB/SEQ; Mandiri:
   * TID/TIDBATCH/BATCHSEQ; LinkAja: Transaction ID): a line re-sent in a later file is known by it */
  lineKey?: string;
  /** The group whose fee the bank fixed as one figure (Mandiri's SUMMARY GROUP row), when mdrAllocated */
  feeGroup?: string;
  status?: string;
  /** Every cell of the row as written, by header name; absent when parsed with keepRaw: false
   * (the importer stores the file's bytes, not this) */
  raw?: Record<string, string>;
}

/** A total the file states about itself, already checked against the sum of its lines. */
export interface StatedTotals {
  lineNumber: number;
  count?: number;
  gross?: string;
  mdr?: string;
  net?: string;
}

/** Mandiri fixes the MDR per MID x network x payment batch, in its SUMMARY GROUP section. */
export interface SettlementFeeGroup {
  lineNumber: number;
  mid: string;
  network: string;
  description: string;
  batch: string;
  gross: string;
  mdr: string;
  net: string;
  /** lineNumber of each detail line in this group */
  lines: number[];
}

export interface ParsedSettlementFile {
  format: SettlementFormat;
  merchantId?: string;
  settlementDate?: string;
  lines: ParsedSettlementLine[];
  /** Sums over lines */
  totals: { count: number; gross: string; mdr: string; otherFees: string; net: string };
  /** What the file's own totals rows say; each equals the sum of lines, or the file was refused */
  stated: StatedTotals[];
  feeGroups?: SettlementFeeGroup[];
}

/** A file's parse without its lines, which a streamed parse hands over in chunks. */
export type SettlementFileSummary = Omit<ParsedSettlementFile, 'lines'>;

export type MappedField =
  | 'rrn'
  | 'reference'
  | 'tid'
  | 'mid'
  | 'stan'
  | 'approvalCode'
  | 'maskedPan'
  | 'transactedAt'
  | 'transactionDate'
  | 'gross'
  | 'mdr'
  | 'net'
  | 'settlementDate'
  | 'batch';

/** How to read an acquirer's CSV that has no parser of its own. */
export interface ColumnMapping {
  /** Default "," */
  delimiter?: string;
  /** 1-based physical line of the header; default the first non-empty line */
  headerLine?: number;
  /** Our field -> the file's header text (matched trimmed, case-insensitive) */
  columns: Partial<Record<MappedField, string>>;
  /** Tokens YYYY MM DD (e.g. "DD/MM/YYYY", "YYYYMMDD"), or "excel" for day serials. transactedAt
   * is the date in this format, then a space or T, then HH:mm[:ss]. Default "YYYY-MM-DD". */
  dateFormat?: string;
  /** Default "." ; with "," the thousands separator is "." (1.539.000,50) */
  decimalSeparator?: '.' | ',';
}

export interface ParseSettlementOptions {
  format?: SettlementFormat;
  mapping?: ColumnMapping;
  /** Keep every line's cells as written (raw); default true. A million-line import does without. */
  keepRaw?: boolean;
}

/** The file is refused as a whole: nothing of it may be kept. line is 1-based (0: not about a line). */
export class SettlementImportError extends AppError {
  constructor(
    readonly line: number,
    readonly reason: string,
    /** The column the reason is about (reason then starts "<column>: "), for a workbook's cell */
    readonly column?: string,
  ) {
    super(422, 'settlement-file-refused', line > 0 ? `line ${line}: ${reason}` : reason, { line, reason });
    this.name = 'SettlementImportError';
  }
}

/** A card cell that showed too much, and the column it was in. */
export interface RevealedPan {
  column: string;
  written: string;
}
