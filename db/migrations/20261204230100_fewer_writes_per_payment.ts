import type { Knex } from 'knex';

// Fewer writes per payment (issue 18). Measured with bench/payment-writes.ts (pg_walinspect over
// the WAL of 4,000 card payments): a payment wrote ~29 index entries, and five of its indexes
// either repeat another index of the same table or serve no query:
//   - journal_lines: its primary key (region_id, id) and journal_lines_entry_line
//     (region_id, entry_id, id, which the balance check reads) are merged: the primary key is
//     (region_id, entry_id, id). Still unique (id is generated always), still keyed by region;
//   - journal_lines_account (region_id, account_id): no query reads lines by account alone (a
//     balance is read by stall and trader, through journal_lines_stall);
//   - receipts: one per payment, so (region_id, payment_id), already unique, is the primary key
//     and the separate (region_id, id) key goes (nothing refers to a receipt by its id);
//   - allocations and penalty_allocations: their primary keys (region_id, id) become
//     (region_id, assessment_id, id) and (region_id, penalty_charge_id, id), taking the place of
//     allocations_assessment and penalty_allocations_charge (nothing refers to an allocation).
// Two index entries fewer per journal line, one per receipt and one per allocation; every guard
// stays: the immutability triggers, the balance check, the unique keys (idempotency, RRN,
// receipt serial and code, one receipt per payment).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table journal_lines drop constraint journal_lines_pkey,
      add constraint journal_lines_pkey primary key (region_id, entry_id, id);
    drop index journal_lines_entry_line;
    drop index journal_lines_account;

    alter table receipts drop constraint receipts_pkey,
      drop constraint receipts_region_id_payment_id_key,
      add constraint receipts_pkey primary key (region_id, payment_id);

    alter table allocations drop constraint allocations_pkey,
      add constraint allocations_pkey primary key (region_id, assessment_id, id);
    drop index allocations_assessment;

    alter table penalty_allocations drop constraint penalty_allocations_pkey,
      add constraint penalty_allocations_pkey primary key (region_id, penalty_charge_id, id);
    drop index penalty_allocations_charge;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create index penalty_allocations_charge on penalty_allocations (region_id, penalty_charge_id);
    alter table penalty_allocations drop constraint penalty_allocations_pkey,
      add constraint penalty_allocations_pkey primary key (region_id, id);
    create index allocations_assessment on allocations (region_id, assessment_id);
    alter table allocations drop constraint allocations_pkey, add constraint allocations_pkey primary key (region_id, id);
    alter table receipts drop constraint receipts_pkey,
      add constraint receipts_region_id_payment_id_key unique (region_id, payment_id),
      add constraint receipts_pkey primary key (region_id, id);
    create index journal_lines_account on journal_lines (region_id, account_id);
    create index journal_lines_entry_line on journal_lines (region_id, entry_id, id);
    alter table journal_lines drop constraint journal_lines_pkey,
      add constraint journal_lines_pkey primary key (region_id, id);
  `);
}
