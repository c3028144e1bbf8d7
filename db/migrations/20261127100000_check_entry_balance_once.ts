import type { Knex } from 'knex';

// The balanced-entry check ran once per line, each time summing all of the entry's lines: an
// entry of n lines cost n² row reads at commit. A penalty run posts one entry per market with a
// line per trader and stall, so a market of 5,000 debtors took 7 s to commit and a region of
// 50,000 stalls minutes. Now only the entry's last line inserted by this transaction does the
// check, over all of the entry's lines, found through (region_id, entry_id, id): every line's
// trigger still fires at commit, and the last one's check covers the lines before it. A later
// line of another transaction does not excuse a line of ours, so appending to an entry posted
// elsewhere is still checked whole. Lines inserted under a savepoint carry a subtransaction id
// and are always checked in full: slower, never weaker.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index journal_lines_entry_line on journal_lines (region_id, entry_id, id);
    drop index journal_lines_entry;

    create or replace function ledger_check_entry_balanced() returns trigger language plpgsql as $$
    declare d numeric; c numeric; n int;
    begin
      if exists (select 1 from journal_lines
                  where region_id = new.region_id and entry_id = new.entry_id and id > new.id
                    and xmin = pg_current_xact_id()::xid) then
        return null;
      end if;
      select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
        from journal_lines where region_id = new.region_id and entry_id = new.entry_id;
      if n < 2 or d <> c then
        raise exception 'journal entry % is unbalanced (debit %, credit %, % lines)', new.entry_id, d, c, n
          using errcode = '23514', constraint = 'journal_entry_balanced';
      end if;
      return null;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function ledger_check_entry_balanced() returns trigger language plpgsql as $$
    declare d numeric; c numeric; n int;
    begin
      select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
        from journal_lines where region_id = new.region_id and entry_id = new.entry_id;
      if n < 2 or d <> c then
        raise exception 'journal entry % is unbalanced (debit %, credit %, % lines)', new.entry_id, d, c, n
          using errcode = '23514', constraint = 'journal_entry_balanced';
      end if;
      return null;
    end $$;
    create index journal_lines_entry on journal_lines (region_id, entry_id);
    drop index journal_lines_entry_line;
  `);
}
