import type { Knex } from 'knex';

// Streamed settlement imports (issue 12, items 3 and 7). A file's lines are COPYed in chunks as
// they are parsed, and its bank_files row, which carries the totals and line count known only at
// the end, is written last: the lines' foreign key to their file is checked at commit. A line
// re-sent from an earlier file is found by the bank's row key within its batch (the batch index);
// the layouts whose lines have a key but no batch (LinkAja) get a small partial index of their own.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    do $$
    declare c text;
    begin
      select conname into c from pg_constraint
       where conrelid = 'settlement_lines'::regclass and confrelid = 'bank_files'::regclass and contype = 'f';
      execute format('alter table settlement_lines alter constraint %I deferrable initially deferred', c);
    end $$;
    create index settlement_lines_key_unbatched on settlement_lines (region_id, acquirer_id, line_key)
      where batch is null and line_key is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists settlement_lines_key_unbatched;
    do $$
    declare c text;
    begin
      select conname into c from pg_constraint
       where conrelid = 'settlement_lines'::regclass and confrelid = 'bank_files'::regclass and contype = 'f';
      execute format('alter table settlement_lines alter constraint %I not deferrable', c);
    end $$;
  `);
}
