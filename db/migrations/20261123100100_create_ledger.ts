import type { Knex } from 'knex';

// The ledger. Balances are never stored: an account's balance is the sum of its journal lines,
// so concurrent payments in one market append rows and never queue on a shared balance row.
// The database itself refuses an unbalanced entry and any UPDATE or DELETE of posted rows;
// a correction is a new entry that names the entry it reverses.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table accounts (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      code text not null,
      name text not null,
      type text not null check (type in ('asset','liability','revenue','expense')),
      purpose text not null check (purpose in (
        'stall_receivable','trader_credit','market_revenue','acquirer_clearing',
        'treasury_bank','mdr_expense','suspense')),
      market_id uuid,
      acquirer_id uuid,
      primary key (region_id, id),
      unique (region_id, code),
      foreign key (region_id, market_id) references markets(region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      -- Receivable and revenue are kept per market, clearing per acquirer (and so per channel).
      check ((purpose in ('stall_receivable','market_revenue')) = (market_id is not null)),
      check ((purpose = 'acquirer_clearing') = (acquirer_id is not null))
    );
    create unique index accounts_one_per_purpose on accounts (
      region_id, purpose, coalesce(market_id, '00000000-0000-0000-0000-000000000000'),
      coalesce(acquirer_id, '00000000-0000-0000-0000-000000000000'));

    create table journal_entries (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('assessment','payment','credit_applied','reversal','settlement','adjustment')),
      business_date date not null,
      posted_at timestamptz not null default now(),
      memo text,
      reverses_entry_id uuid,
      primary key (region_id, id),
      foreign key (region_id, reverses_entry_id) references journal_entries(region_id, id),
      check ((kind = 'reversal') = (reverses_entry_id is not null))
    );
    -- An entry is reversed at most once.
    create unique index journal_entries_reversed_once on journal_entries (region_id, reverses_entry_id) where reverses_entry_id is not null;

    create table journal_lines (
      region_id uuid not null,
      id bigint generated always as identity,
      entry_id uuid not null,
      account_id uuid not null,
      debit numeric(18,2) not null default 0,
      credit numeric(18,2) not null default 0,
      -- Sub-ledger keys: whose receivable or credit this line moves.
      trader_id uuid,
      stall_id uuid,
      primary key (region_id, id),
      foreign key (region_id, entry_id) references journal_entries(region_id, id),
      foreign key (region_id, account_id) references accounts(region_id, id),
      -- Exactly one side, never negative: a reversal swaps sides instead of negating.
      check (debit >= 0 and credit >= 0 and (debit > 0) <> (credit > 0))
    );
    create index journal_lines_entry on journal_lines (region_id, entry_id);
    create index journal_lines_account on journal_lines (region_id, account_id);
    create index journal_lines_stall on journal_lines (region_id, stall_id, account_id) where stall_id is not null;

    -- Checked at commit, once all of an entry's lines are in: debits equal credits, two lines at least.
    create function ledger_check_entry_balanced() returns trigger language plpgsql as $$
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
    create constraint trigger journal_lines_balanced after insert on journal_lines
      deferrable initially deferred for each row execute function ledger_check_entry_balanced();

    create function ledger_check_entry_has_lines() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from journal_lines where region_id = new.region_id and entry_id = new.id) then
        raise exception 'journal entry % has no lines', new.id using errcode = '23514', constraint = 'journal_entry_balanced';
      end if;
      return null;
    end $$;
    create constraint trigger journal_entries_have_lines after insert on journal_entries
      deferrable initially deferred for each row execute function ledger_check_entry_has_lines();

    -- Posted rows are evidence: refuse UPDATE, DELETE and TRUNCATE on them.
    create function ledger_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% on % is not allowed: posted rows are immutable, post a reversal instead', tg_op, tg_table_name
        using errcode = '42501';
    end $$;

    -- What a stall owes for one business day (the karcis/SKRD). open_amount is the unpaid part, a
    -- projection of the append-only allocations kept under the stall's lock; nothing else changes.
    create table assessments (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      market_id uuid not null,
      stall_id uuid not null,
      trader_id uuid not null,
      tenancy_id uuid not null,
      tariff_id uuid not null,
      business_date date not null,
      -- Assessments are whole rupiah (area x rate, rounded).
      amount numeric(18,2) not null check (amount > 0 and amount = round(amount)),
      open_amount numeric(18,2) not null check (open_amount >= 0 and open_amount <= amount),
      journal_entry_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      -- One assessment per stall per business day, whoever runs the job and however often.
      unique (region_id, stall_id, business_date),
      foreign key (region_id, stall_id) references stalls(region_id, id),
      foreign key (region_id, market_id) references markets(region_id, id),
      foreign key (region_id, trader_id) references traders(region_id, id),
      foreign key (region_id, tenancy_id) references tenancies(region_id, id),
      foreign key (region_id, tariff_id) references tariffs(region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries(region_id, id)
    );
    create index assessments_open on assessments (region_id, stall_id, trader_id, business_date) where open_amount > 0;
    create index assessments_market_date on assessments (region_id, market_id, business_date);
    create index assessments_id on assessments (id);

    create function ledger_assessment_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'DELETE on assessments is not allowed' using errcode = '42501';
      end if;
      if (new.region_id, new.id, new.market_id, new.stall_id, new.trader_id, new.tenancy_id, new.tariff_id,
          new.business_date, new.amount, new.journal_entry_id, new.created_at)
         is distinct from
         (old.region_id, old.id, old.market_id, old.stall_id, old.trader_id, old.tenancy_id, old.tariff_id,
          old.business_date, old.amount, old.journal_entry_id, old.created_at) then
        raise exception 'an assessment is posted: only its open amount follows its allocations' using errcode = '42501';
      end if;
      return new;
    end $$;
    create trigger assessments_guard before update or delete on assessments
      for each row execute function ledger_assessment_guard();

    create table payments (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      market_id uuid not null,
      stall_id uuid not null,
      trader_id uuid not null,
      terminal_id text,
      acquirer_id uuid not null,
      channel text not null check (channel in ('card','qris','cash')),
      amount numeric(18,2) not null check (amount > 0),
      -- paid_at: when the card was read (terminal clock); recorded_at: when we received it.
      paid_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      business_date date not null,
      client_txn_id text,
      request_hash text,
      tid text, mid text, stan text, rrn text, approval_code text,
      -- Only ever a masked PAN (first 6 / last 4 at most); the API refuses anything else.
      masked_pan text check (masked_pan is null or masked_pan ~ '^[0-9]{0,6}[*Xx]{4,}[0-9]{0,4}$'),
      allocated_amount numeric(18,2) not null check (allocated_amount >= 0),
      credit_amount numeric(18,2) not null check (credit_amount >= 0),
      journal_entry_id uuid not null,
      -- The first response, returned again to an idempotent retry.
      response jsonb not null,
      primary key (region_id, id),
      check (allocated_amount + credit_amount = amount),
      foreign key (region_id, stall_id) references stalls(region_id, id),
      foreign key (region_id, trader_id) references traders(region_id, id),
      foreign key (region_id, terminal_id) references terminals(region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries(region_id, id)
    );
    create unique index payments_idempotency on payments (region_id, terminal_id, client_txn_id) where client_txn_id is not null;
    -- An RRN identifies one transaction per acquirer and day.
    create unique index payments_rrn on payments (region_id, acquirer_id, business_date, rrn) where rrn is not null;
    create index payments_id on payments (id);
    create index payments_market_date on payments (region_id, market_id, business_date);
    create index payments_stall on payments (region_id, stall_id);

    -- How money settled assessments: append-only; a reversal adds a negative allocation.
    create table allocations (
      region_id uuid not null,
      id bigint generated always as identity,
      assessment_id uuid not null,
      payment_id uuid,
      journal_entry_id uuid not null,
      amount numeric(18,2) not null check (amount <> 0),
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, assessment_id) references assessments(region_id, id),
      foreign key (region_id, payment_id) references payments(region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries(region_id, id)
    );
    create index allocations_assessment on allocations (region_id, assessment_id);
    create index allocations_payment on allocations (region_id, payment_id) where payment_id is not null;

    create table receipts (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      payment_id uuid not null,
      terminal_id text,
      serial bigint not null check (serial > 0),
      -- Printed on the karcis and in its QR; random, so receipts cannot be enumerated.
      code text not null unique,
      issued_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, terminal_id, serial),
      unique (region_id, payment_id),
      foreign key (region_id, payment_id) references payments(region_id, id)
    );

    create trigger journal_entries_immutable before update or delete on journal_entries for each row execute function ledger_refuse_change();
    create trigger journal_lines_immutable before update or delete on journal_lines for each row execute function ledger_refuse_change();
    create trigger payments_immutable before update or delete on payments for each row execute function ledger_refuse_change();
    create trigger allocations_immutable before update or delete on allocations for each row execute function ledger_refuse_change();
    create trigger receipts_immutable before update or delete on receipts for each row execute function ledger_refuse_change();
    create trigger journal_entries_no_truncate before truncate on journal_entries for each statement execute function ledger_refuse_change();
    create trigger journal_lines_no_truncate before truncate on journal_lines for each statement execute function ledger_refuse_change();
    create trigger payments_no_truncate before truncate on payments for each statement execute function ledger_refuse_change();
    create trigger allocations_no_truncate before truncate on allocations for each statement execute function ledger_refuse_change();
    create trigger assessments_no_truncate before truncate on assessments for each statement execute function ledger_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists receipts, allocations, payments, assessments, journal_lines, journal_entries, accounts cascade;
    drop function if exists ledger_check_entry_balanced, ledger_check_entry_has_lines, ledger_refuse_change, ledger_assessment_guard;
  `);
}
