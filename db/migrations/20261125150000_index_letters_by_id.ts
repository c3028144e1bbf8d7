import type { Knex } from 'knex';

// GET /api/v1/letters/:letterId finds a letter by its id alone (the region comes from the row,
// then scope is checked), like assessments_id and payments_id do for their tables.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index letters_id on letters (id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index if exists letters_id`);
}
