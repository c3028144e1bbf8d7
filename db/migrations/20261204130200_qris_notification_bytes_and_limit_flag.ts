import type { Knex } from 'knex';
import { POST_QRIS_PAYMENT as POST_QRIS_PAYMENT_BEFORE } from './20261123110000_create_qris_and_voids';

// 1. A QRIS notification is archived exactly as received, whatever its bytes. raw_body (text)
//    cannot hold a NUL byte, nor bytes that are not UTF-8 (a UTF-16 body has both), and such a
//    body used to fail the archive itself: a 500 and no evidence. Those bodies now go to
//    raw_bytes (bytea); every other body stays readable text in raw_body, as before. Exactly one
//    of the two holds the body: coalesce(raw_bytes, convert_to(raw_body, 'UTF8')) is what arrived.
// 2. Money above Bank Indonesia's Rp 10.000.000 per-transaction QRIS limit is still recorded
//    (money received is never dropped) and flagged 'over-qris-limit' for the manager.
const KINDS_BEFORE = ['amount-mismatch', 'intent-expired', 'intent-superseded', 'intent-already-paid', 'double-payment'];
const KINDS = [...KINDS_BEFORE, 'over-qris-limit'];

const BEFORE_INTENT_CHECKS = '  if i.paid_payment_id is not null then\n';
const OVER_LIMIT = `  -- Bank Indonesia's per-transaction QRIS limit (an intent never asks for more).
  if v_amount > 10000000 then
    v_flags := v_flags || jsonb_build_object('kind', 'over-qris-limit', 'details',
      jsonb_build_object('paidAmount', v_amount::text, 'limit', '10000000.00'));
  end if;
`;

function postQrisPayment(): string {
  if (!POST_QRIS_PAYMENT_BEFORE.includes(BEFORE_INTENT_CHECKS)) throw new Error('ledger_post_qris_payment: anchor for the limit check not found');
  return POST_QRIS_PAYMENT_BEFORE.replace('create function', 'create or replace function').replace(BEFORE_INTENT_CHECKS, OVER_LIMIT + BEFORE_INTENT_CHECKS);
}

const kindCheck = (kinds: string[]) => `check (kind in (${kinds.map((k) => `'${k}'`).join(',')}))`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table qris_notifications
      alter column raw_body drop not null,
      add column raw_bytes bytea,
      add constraint qris_notifications_body_once check ((raw_body is null) <> (raw_bytes is null));
    comment on column qris_notifications.raw_bytes is 'the body as received when it is not UTF-8 text PostgreSQL can hold (a NUL byte, UTF-16, Latin-1); raw_body otherwise';
    alter table payment_flags drop constraint payment_flags_kind_check;
    alter table payment_flags add constraint payment_flags_kind_check ${kindCheck(KINDS)};
  `);
  await knex.raw(postQrisPayment());
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(POST_QRIS_PAYMENT_BEFORE.replace('create function', 'create or replace function'));
  await knex.raw(`
    alter table payment_flags drop constraint payment_flags_kind_check;
    alter table payment_flags add constraint payment_flags_kind_check ${kindCheck(KINDS_BEFORE)};
    alter table qris_notifications drop constraint qris_notifications_body_once, drop column raw_bytes, alter column raw_body set not null;
  `);
}
