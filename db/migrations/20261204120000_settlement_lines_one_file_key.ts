import type { Knex } from 'knex';

// A settlement line had two foreign keys, to its file and to its acquirer, each checked row by
// row: on a million-line day about 8 s of the import, most of what PostgreSQL spent. One key,
// (region, file, acquirer) -> the file, checks both at once and says more: a line's acquirer is
// its file's acquirer (the file's own key already holds the acquirer to acquirers). Still
// checked at commit, since a streamed import writes its file row after its lines.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table bank_files add constraint bank_files_id_acquirer unique (region_id, id, acquirer_id);
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint where conrelid = 'settlement_lines'::regclass and contype = 'f' loop
        execute format('alter table settlement_lines drop constraint %I', c.conname);
      end loop;
    end $$;
    alter table settlement_lines add constraint settlement_lines_file
      foreign key (region_id, file_id, acquirer_id) references bank_files (region_id, id, acquirer_id)
      deferrable initially deferred;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table settlement_lines drop constraint settlement_lines_file;
    alter table settlement_lines
      add foreign key (region_id, file_id) references bank_files (region_id, id) deferrable initially deferred,
      add foreign key (region_id, acquirer_id) references acquirers (region_id, id);
    alter table bank_files drop constraint bank_files_id_acquirer;
  `);
}
