import type { Knex } from 'knex';

// An issued document is kept as it was handed out: its bytes beside its register row, so that
// asking for a document number again (the reports page lists each day's, the schedule's among
// them) gives the same file, same number and same SHA-256, and never takes a new number. The
// database checks the bytes are the registered ones (size and SHA-256). Documents issued before
// this migration keep no bytes (null). An index finds a region's documents of a day.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table documents add column content bytea;
    alter table documents add constraint documents_content_check
      check (content is null or (octet_length(content) = size_bytes and encode(sha256(content), 'hex') = sha256));
    comment on column documents.content is 'the document''s bytes as issued (null: issued before they were kept)';
    create index documents_region_made_at on documents (region_id, made_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index documents_region_made_at;
    alter table documents drop constraint documents_content_check;
    alter table documents drop column content;
  `);
}
