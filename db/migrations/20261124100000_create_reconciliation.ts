import type { Knex } from 'knex';

// Reconciliation: the banks' files as they were received (evidence, append-only), what they say
// line by line, and what the daily job concluded from them: matches, settlement postings,
// exceptions, and the officers' decisions on them. Every table is keyed by region first, like
// the ledger, so a region's rows live together.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- How an acquirer settles: its window in business days after the transaction (D+1, H+2),
    -- and how to read its file when it has no parser of its own.
    alter table acquirers
      add column settlement_days int not null default 1 check (settlement_days between 0 and 10),
      add column settlement_format text check (settlement_format in ('bni','mandiri','bri','linkaja','mapped')),
      add column settlement_mapping jsonb,
      add check (settlement_format is distinct from 'mapped' or settlement_mapping is not null);

    -- A file as received: its bytes are kept; a refused file leaves no row here.
    create table bank_files (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('settlement','statement')),
      acquirer_id uuid,
      format text not null,
      name text,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes int not null,
      content bytea not null,
      line_count int not null,
      totals jsonb not null,
      -- The last settlement date the file covers (settlement files): payments due by then and
      -- absent from every file are no longer "awaiting settlement".
      settlement_date date,
      source text not null check (source in ('upload','inbox')),
      imported_by text,
      imported_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, sha256),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      check ((kind = 'settlement') = (acquirer_id is not null))
    );
    create index bank_files_acquirer on bank_files (region_id, acquirer_id, settlement_date);

    -- A file the inbox job could not import: what and why, never its content.
    create table bank_file_refusals (
      region_id uuid not null references regions(id),
      id bigint generated always as identity,
      path text not null,
      sha256 text not null,
      line int not null,
      reason text not null,
      refused_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, path, sha256)
    );

    create table settlement_lines (
      region_id uuid not null,
      id bigint generated always as identity,
      file_id uuid not null,
      acquirer_id uuid not null,
      line_number int not null,
      rrn text,
      reference text,
      tid text,
      mid text,
      stan text,
      approval_code text,
      masked_pan text,
      transacted_at timestamptz,
      transaction_date date not null,
      settlement_date date,
      batch text,
      terminal_batch text,
      -- As the bank wrote them: MDR may carry fractions of a sen.
      gross numeric not null,
      mdr numeric not null,
      other_fees numeric not null default 0,
      net numeric not null,
      mdr_rate numeric,
      mdr_allocated boolean not null default false,
      status text,
      primary key (region_id, id),
      unique (region_id, file_id, line_number),
      foreign key (region_id, file_id) references bank_files(region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id)
    );
    create index settlement_lines_rrn on settlement_lines (region_id, acquirer_id, rrn);
    create index settlement_lines_date on settlement_lines (region_id, transaction_date);
    create index settlement_lines_batch on settlement_lines (region_id, acquirer_id, batch);

    create table bank_statements (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      file_id uuid not null,
      format text not null,
      statement_id text not null,
      sequence text,
      line_number int not null,
      account text not null,
      currency text not null,
      opening_balance numeric,
      opening_date date,
      closing_balance numeric,
      closing_date date,
      -- The closing balance of the account's statement before this one, when it differs from
      -- this opening balance (a missing statement, or a bank's correction).
      previous_closing numeric,
      opening_mismatch boolean not null default false,
      primary key (region_id, id),
      unique (region_id, account, statement_id),
      foreign key (region_id, file_id) references bank_files(region_id, id)
    );

    create table statement_entries (
      region_id uuid not null,
      id bigint generated always as identity,
      statement_id uuid not null,
      line_number int not null,
      value_date date not null,
      booking_date date,
      amount numeric not null check (amount >= 0),
      direction text not null check (direction in ('credit','debit')),
      reversal boolean not null default false,
      reference text not null default '',
      bank_reference text,
      transaction_code text,
      description text not null default '',
      charges numeric,
      batch_count int,
      details jsonb not null default '{}',
      primary key (region_id, id),
      foreign key (region_id, statement_id) references bank_statements(region_id, id)
    );
    create index statement_entries_date on statement_entries (region_id, value_date);

    -- A ledger payment traced to the bank's settlement line. Only ever added: the job adds what
    -- it can prove, an officer adds a link by hand. No foreign keys: each would lock the
    -- referenced payment and line (FOR KEY SHARE), a write per row that tripled the time of a
    -- million-line day; both are immutable and never deleted (their triggers refuse it), and
    -- every writer takes the ids from those tables in the same transaction.
    create table settlement_matches (
      region_id uuid not null,
      payment_id uuid not null,
      settlement_line_id bigint not null,
      method text not null check (method in ('rrn','reference','tid-stan','amount-time','manual')),
      business_date date not null,
      matched_at timestamptz not null default now(),
      primary key (region_id, payment_id),
      unique (region_id, settlement_line_id)
    );

    -- A settlement batch traced to the statement credit that paid it, and the journal entry that
    -- moved its money: clearing at gross -> treasury bank at what arrived + MDR expense (+ suspense
    -- for any difference). One per acquirer batch, whoever runs the job and however often.
    create table settlement_postings (
      region_id uuid not null,
      acquirer_id uuid not null,
      batch text not null,
      settlement_date date,
      statement_entry_id bigint not null,
      method text not null check (method in ('reference','date-amount','subset-sum','manual')),
      gross numeric(18,2) not null,
      mdr numeric not null,
      net numeric not null,
      credited numeric not null,
      journal_entry_id uuid not null,
      posted_at timestamptz not null default now(),
      primary key (region_id, acquirer_id, batch),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      foreign key (region_id, statement_entry_id) references statement_entries(region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries(region_id, id)
    );
    create index settlement_postings_entry on settlement_postings (region_id, statement_entry_id);

    -- What the job found wrong, one row per (date, kind, subject). The job opens and clears rows
    -- as the facts change; an officer resolves them. Nothing is deleted.
    create table reconciliation_exceptions (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      business_date date not null,
      kind text not null check (kind in ('in-ledger-not-settled','settled-not-in-ledger','amount-mismatch',
        'duplicate-settlement-line','batch-statement-mismatch','settled-late','fee-mismatch')),
      subject text not null,
      acquirer_id uuid,
      channel text,
      payment_id uuid,
      settlement_line_id bigint,
      batch text,
      statement_entry_id bigint,
      ledger_amount numeric,
      bank_amount numeric,
      difference numeric,
      details jsonb not null default '{}',
      status text not null default 'open' check (status in ('open','resolved','cleared')),
      opened_at timestamptz not null default now(),
      cleared_at timestamptz,
      resolution text check (resolution in ('accept-bank','reversed','write-off','link')),
      resolved_by text,
      resolved_at timestamptz,
      resolution_note text,
      primary key (region_id, id),
      unique (region_id, business_date, kind, subject),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      check ((status = 'resolved') = (resolution is not null and resolved_by is not null and resolved_at is not null))
    );
    create index reconciliation_exceptions_status on reconciliation_exceptions (region_id, status, business_date);
    create index reconciliation_exceptions_id on reconciliation_exceptions (id);

    -- Every decision on an exception: who, when, why, and what it did. Append-only.
    create table reconciliation_decisions (
      region_id uuid not null,
      id bigint generated always as identity,
      exception_id uuid not null,
      resolution text not null check (resolution in ('accept-bank','reversed','write-off','link')),
      note text not null check (length(note) between 3 and 2000),
      decided_by text not null,
      decided_at timestamptz not null default now(),
      payment_id uuid,
      settlement_line_id bigint,
      details jsonb not null default '{}',
      primary key (region_id, id),
      foreign key (region_id, exception_id) references reconciliation_exceptions(region_id, id)
    );
    create trigger reconciliation_decisions_immutable before update or delete on reconciliation_decisions
      for each row execute function ledger_refuse_change();
    create trigger settlement_matches_immutable before update or delete on settlement_matches
      for each row execute function ledger_refuse_change();
    create trigger settlement_postings_immutable before update or delete on settlement_postings
      for each row execute function ledger_refuse_change();
    create trigger bank_files_immutable before update or delete on bank_files
      for each row execute function ledger_refuse_change();
    create trigger settlement_lines_immutable before update or delete on settlement_lines
      for each row execute function ledger_refuse_change();
    create trigger statement_entries_immutable before update or delete on statement_entries
      for each row execute function ledger_refuse_change();

    -- The last result of reconciling a region's business date.
    create table reconciliation_runs (
      region_id uuid not null references regions(id),
      business_date date not null,
      runs int not null default 1,
      first_run_at timestamptz not null default now(),
      last_run_at timestamptz not null default now(),
      summary jsonb not null,
      primary key (region_id, business_date)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists reconciliation_runs, reconciliation_decisions, reconciliation_exceptions, settlement_postings,
      settlement_matches, statement_entries, bank_statements, settlement_lines, bank_file_refusals, bank_files cascade;
    alter table acquirers drop column if exists settlement_days, drop column if exists settlement_format,
      drop column if exists settlement_mapping;
  `);
}
