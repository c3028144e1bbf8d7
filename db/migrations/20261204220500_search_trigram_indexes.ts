import type { Knex } from 'knex';

// The pages' search (GET /cari) finds a stall by part of its code, a trader by part of their
// name and a letter by part of its number: ILIKE '%...%', which a btree cannot answer. Trigram
// indexes (pg_trgm, shipped with PostgreSQL's contrib) can, so a region of 50,000 stalls and
// traders is searched through the index rather than read whole.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create extension if not exists pg_trgm;
    create index traders_name_trgm on traders using gin (name gin_trgm_ops);
    create index stalls_code_trgm on stalls using gin (code gin_trgm_ops);
    create index letters_number_trgm on letters using gin (number gin_trgm_ops);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists letters_number_trgm;
    drop index if exists stalls_code_trgm;
    drop index if exists traders_name_trgm;
  `);
}
