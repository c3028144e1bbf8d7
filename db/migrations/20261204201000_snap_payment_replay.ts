import type { Knex } from 'knex';

// A SNAP acquirer reports one payment twice by design: its notification, and its answer to our
// qr-mpm-query when the notification was late or lost (the recovery job). The two bodies differ
// and may carry different RRN fields (or none), so the RRN alone does not make the second one a
// replay. The bank's referenceNo does: the caller passes acquirerReference, and a request hash
// over the intent's reference, the amount and that referenceNo. An intent already paid by this
// acquirer under the same hash is the same payment: its first answer again, no second payment.
// The function is today's definition (read from the catalog) with that check added where the
// intent is locked, before the RRN check.
const ANCHOR = '  -- The same acquirer and RRN is the same transaction';
const SNAP_REPLAY = `  -- SNAP: the same intent paid by this acquirer under the same referenceNo (notification and
  -- query answer alike) is the same payment, whatever RRN each body carried.
  if p->>'acquirerReference' is not null and i.paid_payment_id is not null then
    select id, response into prior from payments
     where region_id = v_region and id = i.paid_payment_id
       and acquirer_id = (p->>'acquirerId')::uuid and request_hash = p->>'requestHash';
    if found then
      return jsonb_build_object('replayed', true, 'response', prior.response);
    end if;
  end if;
`;

async function currentDefinition(knex: Knex): Promise<string> {
  const { rows } = await knex.raw(`select pg_get_functiondef('ledger_post_qris_payment(jsonb)'::regprocedure) as def`);
  return rows[0].def as string;
}

export async function up(knex: Knex): Promise<void> {
  const def = await currentDefinition(knex);
  if (!def.includes(ANCHOR)) throw new Error('ledger_post_qris_payment: anchor for the SNAP replay not found');
  await knex.raw(def.replace(ANCHOR, SNAP_REPLAY + ANCHOR));
}

export async function down(knex: Knex): Promise<void> {
  const def = await currentDefinition(knex);
  await knex.raw(def.replace(SNAP_REPLAY, ''));
}
