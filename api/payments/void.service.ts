// A card payment taken by mistake is voided at the terminal that took it, the same business day,
// once the acquirer has reversed it: a reversal entry, the days reopen, the receipt shows voided.
import type { Deps } from '../core/deps';
import { fromDatabaseError } from '../core/db-errors';
import { AppError } from '../core/errors';
import type { Principal } from '../auth/principal';
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
    const { rows } = await deps.knex.raw('select ledger_void_payment(?::jsonb) as r', [
      JSON.stringify({ regionId: principal.regionId, terminalId: principal.terminalId, paymentId, ...input }),
    ]);
    const r = rows[0].r as { replayed: boolean; response: Record<string, unknown> };
    return { status: r.replayed ? 200 : 201, body: r.response };
  } catch (err) {
    throw fromDatabaseError(err) ?? err;
  }
}
