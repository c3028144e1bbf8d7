// A card payment taken by mistake is voided at the terminal that took it, the same business day,
// once the acquirer has reversed it: a reversal entry, the days reopen, the receipt shows voided.
import type { Deps } from '../core/deps';
import { fromDatabaseError } from '../core/db-errors';
import { AppError } from '../core/errors';
import type { Principal } from '../auth/principal';
import { postVoid } from '../ledger/post';
import type { VoidInput } from './payments.schemas';
import type { PaymentResult } from './payments.service';

export async function voidCardPayment(
  deps: Deps,
  principal: Principal,
  paymentId: string,
  input: VoidInput,
): Promise<PaymentResult> {
  if (principal.role !== 'terminal' || !principal.terminalId)
    throw new AppError(403, 'forbidden', 'payments are voided by the terminal that took them');
  try {
    const r = await postVoid(deps.knex, {
      regionId: principal.regionId,
      terminalId: principal.terminalId,
      paymentId,
      ...input,
    });
    return { status: r.replayed ? 200 : 201, body: r.response };
  } catch (err) {
    throw fromDatabaseError(err) ?? err;
  }
}
