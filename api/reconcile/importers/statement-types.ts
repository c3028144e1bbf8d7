// What a bank account statement says, once read: pure data, no database. parseMt940 (mt940.ts)
// and parseCamt (camt.ts) return these; the importer stores them and reconciliation matches
// settlement batches against their entries.
//
// Money is a normalised decimal string with at least two decimals ("1234.50", "0.00"), and more
// only when the bank wrote significant ones ("1.23456"): never rounded, never an exponent.
// Entry amounts are positive; the direction carries the sign. Balances are signed.
import { AppError } from '../../core/errors';

export type StatementFormat = 'mt940' | 'camt.053' | 'camt.054';

export interface Balance {
  /** Signed: negative for a debit (overdrawn) balance */
  amount: string;
  /** YYYY-MM-DD */
  date: string;
  /** Only when the bank wrote a currency other than the statement's */
  currency?: string;
  /** MT940 :60M:/:62M:, an ISO ITBD: a page boundary inside one statement, not the day's end */
  intermediate?: boolean;
}

/** Any balance the bank stated, by ISO 20022 code (MT940: 60F OPBD, 60M/62M ITBD, 62F CLBD,
 * 64 CLAV, 65 FWAV), in the order written. */
export interface TypedBalance extends Balance {
  type: string;
}

export interface StatementTransaction {
  amount: string;
  /** Only when it differs from the entry's (a batch of foreign payments) */
  currency?: string;
  /** The creditor's structured reference (RmtInf/Strd/CdtrRefInf/Ref), else the bank's */
  reference?: string;
  endToEndId?: string;
  description?: string;
  /** Further references and parties, by ISO element path (Refs/InstrId, RltdPties/Dbtr/Nm) */
  details?: Record<string, string>;
}

export interface StatementLine {
  /** 1-based line of the file where the entry starts (:61:, <Ntry>) */
  lineNumber: number;
  /** YYYY-MM-DD */
  valueDate: string;
  bookingDate?: string;
  /** Positive; direction carries the sign */
  amount: string;
  /** Only when it differs from the statement's */
  currency?: string;
  /** The effective direction: an MT940 RC (reversal of a credit) is a debit, RD a credit; an ISO
   * entry with RvslInd keeps its CdtDbtInd, which already is the effective direction. */
  direction: 'credit' | 'debit';
  reversal: boolean;
  /** MT940 customer reference; ISO EndToEndId (single transaction), batch PmtInfId, NtryRef or
   * AcctSvcrRef. '' when the bank says there is none (MT940 NONREF, ISO NOTPROVIDED). */
  reference: string;
  /** MT940 the part after //; ISO Ntry/AcctSvcrRef */
  bankReference?: string;
  /** MT940 N/F/S + 3 (NTRF, S   ); ISO Domn-Fmly-SubFmly (PMNT-RCDT-ESCT) else Prtry/Cd */
  transactionCode?: string;
  /** :86: or RmtInf/Ustrd (else AddtlTxInf, AddtlNtryInf), whitespace-normalised */
  description: string;
  /** MT940: structured :86: subfields by number ("20", "32") plus SEPA keys (EREF, SVWZ) and
   * the :61: extras (fundsCode, supplementary); ISO: references by element path. */
  details: Record<string, string>;
  /** ISO Chrgs: what the bank took from this entry (TtlChrgsAndTaxAmt, else the records' sum) */
  charges?: string;
  /** ISO Btch/NbOfTxs: how many payments the bank says this entry holds */
  batchCount?: number;
  /** ISO TxDtls, one per payment in the entry; absent when a batch gives no amounts */
  transactions?: StatementTransaction[];
}

export interface ParsedStatement {
  format: StatementFormat;
  /** MT940 ":20:/:28C:" (":20:" alone is not unique: ASN Bank writes 0000000000 on every daily
   * statement); ISO Stmt/Id or Ntfctn/Id. */
  statementId: string;
  /** MT940 :28C: (statement/page number) as written; ISO ElctrncSeqNb, else LglSeqNb */
  sequence?: string;
  /** 1-based line where the statement starts (:20:, <Stmt>, <Ntfctn>) */
  lineNumber: number;
  account: string;
  currency: string;
  /** MT940 :60F:/:60M:; ISO OPBD, else PRCD (the previous closing, which some banks send instead) */
  openingBalance?: Balance;
  /** MT940 :62F:/:62M:; ISO CLBD */
  closingBalance?: Balance;
  balances: TypedBalance[];
  entries: StatementLine[];
  /** Statement-level free text: an :86: after the closing balance (ING), AddtlStmtInf */
  information?: string;
}

export interface ParseStatementOptions {
  /** Refuse a statement whose opening + credits - debits is not its closing balance, or whose
   * stated totals (camt TxsSummry) are not its entries'. Default true: an importer keeps nothing
   * of such a file. false only to inspect a broken file. */
  checkBalances?: boolean;
}

/** The file is refused as a whole: nothing of it may be kept. line is 1-based. */
export class StatementImportError extends AppError {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(422, 'statement-file-refused', `line ${line}: ${reason}`, { line, reason });
    this.name = 'StatementImportError';
  }
}
