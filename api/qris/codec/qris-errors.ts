// Errors of the QRIS codec. They carry a machine code and where the problem is, so that the
// service layer can map them to its own AppError (this folder stays free of express) and a
// payload scanned from a trader's sticker can be explained, not just refused.

export type QrisDecodeErrorCode =
  | 'not-a-string' // the input is not a string at all (untyped JSON reaching the decoder)
  | 'bad-tag' // an ID is not two decimal digits
  | 'bad-length' // a length is not two decimal digits, or the value runs past the end
  | 'duplicate-tag' // the same ID twice in one template: parsers would disagree on which counts
  | 'missing-tag' // tag 00 is not first, or there is no tag 63
  | 'crc-not-last' // tag 63 is present but something follows it
  | 'bad-crc' // tag 63 is not 4 hex digits, or does not match the payload
  | 'bad-format'; // a value breaks its tag's format (00 must be "01", 01 must be 11 or 12)

export class QrisDecodeError extends Error {
  override readonly name = 'QrisDecodeError';

  constructor(
    readonly code: QrisDecodeErrorCode,
    message: string,
    /** Character offset in the payload where the offending data object (or value) starts. */
    readonly offset?: number,
    /** The ID of the data object, with its template for sub-tags: "26", "62.05". */
    readonly tag?: string,
  ) {
    super(message);
  }
}

export interface QrisFieldIssue {
  /** The input field, as named in EncodeDynamicQrisInput: "merchantName", "merchantAccount.globalId". */
  field: string;
  message: string;
}

/** Every problem with an encoder input at once, so a misconfigured region is fixed in one pass. */
export class QrisEncodeError extends Error {
  override readonly name = 'QrisEncodeError';
  readonly code = 'invalid-qris-input';

  constructor(readonly issues: QrisFieldIssue[]) {
    super(`cannot encode QRIS: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  }
}
