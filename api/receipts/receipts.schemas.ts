// The receipt check's one input: the code in the path, as printed on the e-karcis or typed from it.
import { z } from 'zod';
import { isReceiptCode, normalizeReceiptCode } from './receipt-code';

export const receiptCodeParams = z
  .object({
    code: z
      .string()
      .max(64)
      .transform(normalizeReceiptCode)
      .refine(isReceiptCode, 'must be the 16-character code printed on the e-karcis'),
  })
  .strict();
