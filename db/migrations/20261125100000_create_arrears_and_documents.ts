import type { Knex } from 'knex';

// Arrears, penalties, letters, reports and the register of issued documents (issue 6).
// Every table is keyed by region like the rest, so a region's rows stay together when the
// database is distributed; numbering counters are per region, kind and year (no global hot row).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Penalties are their own receivable and revenue, per market, so the principal stays what
    -- the stalls were assessed and the interest is reported apart from it.
    alter table accounts drop constraint accounts_purpose_check;
    alter table accounts add constraint accounts_purpose_check check (purpose in (
      'stall_receivable','trader_credit','market_revenue','acquirer_clearing',
      'treasury_bank','mdr_expense','suspense','penalty_receivable','penalty_revenue'));
    do $$
    declare c text;
    begin
      select conname into c from pg_constraint
       where conrelid = 'accounts'::regclass and contype = 'c'
         and pg_get_constraintdef(oid) like '%stall_receivable%market_revenue%market_id IS NOT NULL%';
      execute format('alter table accounts drop constraint %I', c);
    end $$;
    alter table accounts add constraint accounts_market_scoped check (
      (purpose in ('stall_receivable','market_revenue','penalty_receivable','penalty_revenue')) = (market_id is not null));

    insert into accounts (region_id, code, name, type, purpose, market_id)
    select m.region_id, x.prefix || '-' || m.code, x.label || ' ' || m.code, x.type, x.purpose, m.id
      from markets m
     cross join (values ('1310', 'Piutang Sanksi Bunga', 'asset', 'penalty_receivable'),
                        ('4110', 'Pendapatan Sanksi Bunga', 'revenue', 'penalty_revenue')) as x(prefix, label, type, purpose)
    on conflict (region_id, code) do nothing;

    alter table journal_entries drop constraint journal_entries_kind_check;
    alter table journal_entries add constraint journal_entries_kind_check check (kind in (
      'assessment','payment','credit_applied','reversal','settlement','adjustment','penalty'));
    create index journal_entries_date on journal_entries (region_id, business_date);

    -- When demand letters go out, per region: a warning (surat teguran) once an assessment is
    -- this many days past due, the days it gives to pay, and how long an STRD gives.
    alter table regions
      add column warning_after_days int not null default 7 check (warning_after_days between 1 and 365),
      add column warning_grace_days int not null default 7 check (warning_grace_days between 1 and 365),
      add column strd_due_days int not null default 30 check (strd_due_days between 1 and 365);

    -- The penalty rule of a region from a date on (the Perda in force): interest per month on
    -- unpaid principal, at most cap_months months. The rule in force on a day is the one with the
    -- latest effective_from on or before it.
    create table penalty_rules (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      effective_from date not null,
      monthly_rate numeric(6,4) not null check (monthly_rate > 0 and monthly_rate < 1),
      cap_months int not null check (cap_months between 1 and 120),
      legal_basis text,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, effective_from)
    );

    -- One row per assessment and month of lateness, charged once: month n runs from the day after
    -- due date + (n-1) months; any part of it elapsed counts as a whole month.
    create table penalty_charges (
      region_id uuid not null,
      id bigint generated always as identity,
      assessment_id uuid not null,
      month_no smallint not null check (month_no >= 1),
      accrues_from date not null,
      market_id uuid not null,
      stall_id uuid not null,
      trader_id uuid not null,
      rule_id uuid not null,
      monthly_rate numeric(6,4) not null,
      principal numeric(18,2) not null check (principal > 0),
      amount numeric(18,2) not null check (amount >= 0 and amount = round(amount)),
      charged_on date not null,
      journal_entry_id uuid,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, assessment_id, month_no),
      foreign key (region_id, assessment_id) references assessments(region_id, id),
      foreign key (region_id, rule_id) references penalty_rules(region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries(region_id, id)
    );
    create index penalty_charges_trader on penalty_charges (region_id, trader_id, stall_id);
    create index penalty_charges_market on penalty_charges (region_id, market_id, charged_on);

    -- Gapless numbers per region, kind and year: taken in the transaction that uses them, so a
    -- rolled-back letter gives its number back.
    create table document_sequences (
      region_id uuid not null references regions(id),
      kind text not null,
      year int not null,
      last_number int not null default 0 check (last_number >= 0),
      primary key (region_id, kind, year)
    );

    -- Demand letters: a warning (surat teguran), then an STRD, per trader and market.
    create table letters (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('warning','strd')),
      year int not null,
      seq int not null check (seq > 0),
      number text not null,
      market_id uuid not null,
      trader_id uuid not null,
      issued_on date not null,
      issued_at timestamptz not null default now(),
      due_on date not null,
      principal numeric(18,2) not null check (principal >= 0),
      penalty numeric(18,2) not null check (penalty >= 0),
      total numeric(18,2) not null check (total = principal + penalty),
      follows_letter_id uuid,
      issued_by text,
      primary key (region_id, id),
      unique (region_id, kind, year, seq),
      unique (region_id, number),
      foreign key (region_id, market_id) references markets(region_id, id),
      foreign key (region_id, trader_id) references traders(region_id, id),
      foreign key (region_id, follows_letter_id) references letters(region_id, id),
      check ((kind = 'strd') = (follows_letter_id is not null))
    );
    create index letters_market on letters (region_id, market_id, kind, issued_on);

    -- What a letter demands: each assessment appears in at most one warning and one STRD.
    create table letter_items (
      region_id uuid not null,
      letter_id uuid not null,
      kind text not null check (kind in ('warning','strd')),
      assessment_id uuid not null,
      stall_id uuid not null,
      business_date date not null,
      principal numeric(18,2) not null check (principal > 0),
      penalty numeric(18,2) not null default 0 check (penalty >= 0),
      primary key (region_id, letter_id, assessment_id),
      unique (region_id, kind, assessment_id),
      foreign key (region_id, letter_id) references letters(region_id, id),
      foreign key (region_id, assessment_id) references assessments(region_id, id)
    );

    -- A market's collection target for a year (Laporan Realisasi), set by an officer.
    create table market_targets (
      region_id uuid not null,
      market_id uuid not null,
      year int not null check (year between 2000 and 2200),
      amount numeric(18,2) not null check (amount >= 0),
      set_by text,
      set_at timestamptz not null default now(),
      primary key (region_id, market_id, year),
      foreign key (region_id, market_id) references markets(region_id, id)
    );

    -- Which collector carried which terminal from when to when (Laporan Penerimaan per Petugas).
    create table terminal_assignments (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      terminal_id text not null,
      collector_id uuid not null references users(id),
      effective_from date not null,
      effective_to date,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, terminal_id) references terminals(region_id, id),
      check (effective_to is null or effective_to >= effective_from),
      constraint terminal_assignments_one_collector exclude using gist (
        region_id with =, terminal_id with =, daterange(effective_from, effective_to, '[]') with &&
      )
    );

    -- Every PDF we issue: its number (printed with a QR to /verify/<number>), what it covers and
    -- the SHA-256 of the exact bytes handed out.
    create table documents (
      region_id uuid not null references regions(id),
      number text not null,
      kind text not null,
      title text not null,
      covers jsonb not null,
      format text not null default 'pdf',
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes bigint not null check (size_bytes > 0),
      pages int,
      made_at timestamptz not null,
      made_by text,
      primary key (region_id, number)
    );

    create trigger penalty_charges_immutable before update or delete on penalty_charges for each row execute function ledger_refuse_change();
    create trigger letters_immutable before update or delete on letters for each row execute function ledger_refuse_change();
    create trigger letter_items_immutable before update or delete on letter_items for each row execute function ledger_refuse_change();
    create trigger documents_immutable before update or delete on documents for each row execute function ledger_refuse_change();
    create trigger penalty_charges_no_truncate before truncate on penalty_charges for each statement execute function ledger_refuse_change();
    create trigger letters_no_truncate before truncate on letters for each statement execute function ledger_refuse_change();
    create trigger documents_no_truncate before truncate on documents for each statement execute function ledger_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists documents, terminal_assignments, market_targets, letter_items, letters,
      document_sequences, penalty_charges, penalty_rules cascade;
    alter table regions drop column warning_after_days, drop column warning_grace_days, drop column strd_due_days;
    drop index if exists journal_entries_date;
  `);
}
