import type { Knex } from 'knex';

// QRIS through Bank Indonesia's SNAP (../shared/conformance/SNAP_QRIS.md).
// 1. An acquirer's protocol is data: 'simple-hmac' (HMAC-SHA256 over "timestamp.body", as before)
//    or 'snap'. SNAP settings that are not secret live in acquirers.snap (client id, partner id,
//    channel id, base URL and path prefix, signature encoding, the notification scheme the bank
//    uses, the bank's public key and ours). The two secrets, the client secret (HMAC-SHA512 key)
//    and our RSA private key, have columns of their own that the API never returns.
// 2. snap_requests: every SNAP call an acquirer makes to us, by its X-EXTERNAL-ID, unique per
//    acquirer and day as SNAP requires. A true retry (same body) gets the first answer; the same
//    id with another body is 409xx00.
// 3. qris_intents remember what the acquirer said when it generated the code (its referenceNo,
//    our X-EXTERNAL-ID) and when the recovery job last asked about it.
// 4. qris_notifications.source: a payment learnt from the bank's answer to qr-mpm-query is
//    archived like a notification (the body the bank sent), marked 'query'.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table acquirers
      add column protocol text not null default 'simple-hmac'
        constraint acquirers_protocol_check check (protocol in ('simple-hmac', 'snap')),
      add column snap jsonb,
      add column snap_client_secret text,
      add column snap_private_key text,
      add constraint acquirers_snap_settings check (protocol <> 'snap' or (snap is not null and channel = 'qris'));
    comment on column acquirers.snap_client_secret is 'SNAP client secret (HMAC-SHA512 key); never returned by the API';
    comment on column acquirers.snap_private_key is 'our RSA private key (PEM) for this acquirer; never returned by the API';

    create table snap_requests (
      region_id uuid not null,
      acquirer_id uuid not null,
      service text not null,
      day date not null,
      external_id text not null,
      request_hash text not null,
      notification_id bigint,
      http_status integer,
      response jsonb,
      received_at timestamptz not null default now(),
      primary key (region_id, acquirer_id, day, external_id),
      foreign key (region_id, acquirer_id) references acquirers (region_id, id),
      foreign key (region_id, notification_id) references qris_notifications (region_id, id),
      constraint snap_requests_service_check check (service ~ '^[0-9]{2}$'),
      constraint snap_requests_external_id_check check (length(external_id) between 1 and 36)
    );
    comment on table snap_requests is 'SNAP calls received, by X-EXTERNAL-ID (unique per acquirer and day): a retry is answered with the first answer';

    alter table qris_intents
      add column acquirer_reference text,
      add column generate_external_id text,
      add column last_queried_at timestamptz,
      add column query_count integer not null default 0;
    create index qris_intents_pending_snap on qris_intents (region_id, created_at)
      where paid_payment_id is null and superseded_at is null and acquirer_reference is not null;

    alter table qris_notifications
      add column source text not null default 'notification'
        constraint qris_notifications_source_check check (source in ('notification', 'query'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table qris_notifications drop column source;
    drop index qris_intents_pending_snap;
    alter table qris_intents drop column acquirer_reference, drop column generate_external_id,
      drop column last_queried_at, drop column query_count;
    drop table snap_requests;
    alter table acquirers drop constraint acquirers_snap_settings, drop column snap_private_key,
      drop column snap_client_secret, drop column snap, drop column protocol;
  `);
}
