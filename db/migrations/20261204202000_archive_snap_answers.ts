import type { Knex } from 'knex';

// Every answer a SNAP acquirer gives to our qr-mpm-generate and qr-mpm-query calls is archived as
// it came, before the product acts on it: a code refused for a bad CRC, another amount or another
// merchant leaves its evidence although nothing else is saved, and a payment recovered by a query
// can be traced to the answer that reported it. Immutable like the notifications archive.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table snap_answers (
      region_id uuid not null,
      id bigint generated always as identity,
      acquirer_id uuid not null,
      service text not null constraint snap_answers_service_check check (service ~ '^[0-9]{2}$'),
      external_id text not null,
      http_status integer not null,
      response_code text,
      raw_body bytea not null,
      received_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, acquirer_id) references acquirers (region_id, id)
    );
    comment on table snap_answers is 'what a SNAP acquirer answered to our generate (47) and query (51) calls, byte for byte';
    create trigger snap_answers_immutable before update or delete on snap_answers
      for each row execute function ledger_refuse_change();
    create trigger snap_answers_no_truncate before truncate on snap_answers
      for each statement execute function ledger_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table snap_answers');
}
