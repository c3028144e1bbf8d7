// What the simulated banks keep in their own books, and what they write at the end of the day.
// Built from the banks' side only (what a card acquirer authorised, what a QRIS acquirer paid,
// what reached the treasury account), never from the API's database. Money is a decimal string.

export type Channel = 'card' | 'qris';

/** One transaction in an acquirer's own log. */
export interface AcquirerTxn {
  acquirerCode: string;
  channel: Channel;
  /** Terminal id at the acquirer (card: the EDC's TID; QRIS: the terminal label of the code) */
  tid: string;
  mid: string;
  rrn: string;
  stan?: string;
  approvalCode?: string;
  maskedPan?: string;
  /** QRIS: the issuer app (DANA, OVO, ...) */
  issuer?: string;
  /** QRIS: the reference label (tag 62/05) */
  reference?: string;
  /** Card: the EDC's own batch number (BNI's OB, Mandiri's TIDBATCH), as the terminal sent it */
  terminalBatch?: string;
  /** Card: the EDC's invoice (trace) number within its batch, as the terminal sent it */
  invoice?: string;
  /** When the acquirer authorised it (UTC) */
  transactedAt: Date;
  /** The region's local business date of transactedAt, YYYY-MM-DD */
  transactionDate: string;
  gross: string;
}

/** One line of a settlement file: a transaction with the acquirer's fee and what it pays out. */
export interface SettlementLine extends AcquirerTxn {
  /** MDR rate as a fraction, as the contract states it ("0.0015") */
  mdrRate: string;
  /** MDR amount. A bank that charges per line (BNI) has rounded it as it does, to the rupiah; a
   * bank that charges per group (Mandiri) leaves it exact here and rounds the group's total. */
  mdr: string;
  net: string;
  /** YYYY-MM-DD */
  settlementDate: string;
  /** The acquirer's settlement batch id; the statement credits one sum per batch */
  batch: string;
}

export interface SettlementFileMeta {
  acquirerCode: string;
  acquirerName: string;
  merchantName: string;
  mid: string;
  /** The day the file covers (the settlement date) */
  settlementDate: string;
  /** When the file was produced (UTC) */
  generatedAt: Date;
  /** The account the acquirer pays the net into (BNI's MERCHANT ACCOUNT, Mandiri's Bank Mandiri ACC) */
  merchantAccount?: string;
  /** The acquirer's file carries an RRN column after the real ones. No real card layout does
   * (BNI, Mandiri): off by default; on for an acquirer whose files carry one. */
  settlementRrn?: boolean;
}

/** One credit (or debit) on the treasury account statement. */
export interface StatementEntry {
  /** YYYY-MM-DD */
  valueDate: string;
  /** YYYY-MM-DD (booking date; usually the value date) */
  bookingDate: string;
  amount: string;
  direction: 'credit' | 'debit';
  /** The acquirer's settlement batch id or transfer reference */
  reference: string;
  /** Free text as the bank writes it (e.g. "STL BNI EDC 20261124 B0001") */
  description: string;
}

export interface Statement {
  bankName: string;
  /** BIC of the account-holding bank, e.g. "PDJTIDJ1" */
  bic: string;
  accountNumber: string;
  accountName: string;
  currency: 'IDR';
  /** Statement sequence number */
  statementNumber: number;
  /** The bank's id of this statement (MT940 :20:, camt Stmt/Id); when absent the writers build
   * one from the date and the time it was made */
  statementId?: string;
  /** The day the statement covers, YYYY-MM-DD */
  date: string;
  openingBalance: string;
  entries: StatementEntry[];
  /** opening + credits - debits */
  closingBalance: string;
  generatedAt: Date;
}
