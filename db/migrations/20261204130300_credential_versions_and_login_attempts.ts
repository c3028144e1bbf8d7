import type { Knex } from 'knex';

// Revocation. A token stays valid until it expires (8 h for staff, 12 h for terminals), so each
// user and terminal gets a credential version that its tokens carry (claim "cv"): the auth
// middleware reads the row by primary key on every request and refuses a token whose principal is
// inactive or whose version moved on. A trigger bumps the version when the password or secret
// changes and when the account is switched off, whatever path updates the row (API, seed, psql);
// switching it back on keeps the new version, so tokens from before stay dead.
//
// Login attempts: failed logins counted per (kind, key) in a fixed window, in PostgreSQL because
// every API instance behind the load balancer must see the same counts. One row per username,
// terminal id or client address: no single hot row.
//
// Defence in depth for terminals: voiding and QRIS intents refuse an inactive terminal in the
// database too (card payments already did).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table users add column credential_version integer not null default 1;
    alter table terminals add column credential_version integer not null default 1;

    create function bump_credential_version() returns trigger language plpgsql as $$
    begin
      new.credential_version := old.credential_version + 1;
      return new;
    end $$;
    create trigger users_credential_version before update on users for each row
      when (new.password_hash is distinct from old.password_hash or (old.active and not new.active))
      execute function bump_credential_version();
    create trigger terminals_credential_version before update on terminals for each row
      when (new.secret_hash is distinct from old.secret_hash or (old.active and not new.active))
      execute function bump_credential_version();

    create table login_attempts (
      kind text not null check (kind in ('user', 'terminal', 'address')),
      key text not null check (length(key) between 1 and 200),
      window_start timestamptz not null,
      attempts integer not null check (attempts >= 0),
      primary key (kind, key)
    );
    create index login_attempts_window on login_attempts (window_start);

    create function qris_intent_terminal_active() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from terminals where region_id = new.region_id and id = new.terminal_id and active) then
        perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', new.terminal_id));
      end if;
      return new;
    end $$;
    create trigger qris_intents_terminal_active before insert on qris_intents for each row
      execute function qris_intent_terminal_active();
  `);
  await knex.raw(VOID_PAYMENT);
}

const ACTIVE_CHECK = String.raw`  -- A terminal switched off after it logged in keeps its token until the API refuses it; the
  -- ledger refuses it too, whatever calls this function.
  if not exists (select 1 from terminals where region_id = v_region and id = p->>'terminalId' and active) then
    perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', p->>'terminalId'));
  end if;
`;

// 20261123110000's ledger_void_payment with the terminal's active check first.
const VOID_PAYMENT = String.raw`
create or replace function ledger_void_payment(p jsonb) returns jsonb language plpgsql volatile as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  q record; prior record; v_today date; v_entry uuid := gen_random_uuid(); v_credit numeric(18,2); v_response jsonb;
begin
  -- A terminal switched off after it logged in keeps its token until the API refuses it; the
  -- ledger refuses it too, whatever calls this function.
  if not exists (select 1 from terminals where region_id = v_region and id = p->>'terminalId' and active) then
    perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', p->>'terminalId'));
  end if;
  select pm.*, r.time_zone into q from payments pm join regions r on r.id = pm.region_id
   where pm.region_id = v_region and pm.id = (p->>'paymentId')::uuid;
  if not found then
    perform ledger_fail('payment-not-found', jsonb_build_object('field', 'paymentId'));
  end if;
  if q.terminal_id is distinct from p->>'terminalId' then
    perform ledger_fail('not-your-payment', jsonb_build_object('field', 'paymentId'));
  end if;
  perform 1 from stalls where region_id = v_region and id = q.stall_id for no key update;

  select response into prior from payment_voids where region_id = v_region and payment_id = q.id;
  if found then
    return jsonb_build_object('replayed', true, 'response', prior.response);
  end if;
  if q.channel <> 'card' then
    perform ledger_fail('void-card-only', jsonb_build_object('field', 'paymentId'));
  end if;
  v_today := (clock_timestamp() at time zone q.time_zone)::date;
  if q.business_date <> v_today then
    perform ledger_fail('void-window-closed', jsonb_build_object('businessDate', q.business_date, 'today', v_today));
  end if;
  select coalesce(sum(credit - debit), 0) into v_credit from journal_lines
   where region_id = v_region and stall_id = q.stall_id and trader_id = q.trader_id
     and account_id = ledger_account(v_region, 'trader_credit');
  if v_credit < q.credit_amount then
    perform ledger_fail('credit-already-used', jsonb_build_object('credit', v_credit::text));
  end if;

  insert into journal_entries (region_id, id, kind, business_date, memo, reverses_entry_id)
  values (v_region, v_entry, 'reversal', v_today, 'void ' || (p->>'voidReference'), q.journal_entry_id);
  insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
  select region_id, v_entry, account_id, credit, debit, trader_id, stall_id
    from journal_lines where region_id = v_region and entry_id = q.journal_entry_id;
  -- The days reopen.
  insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
  select region_id, assessment_id, payment_id, v_entry, -amount
    from allocations where region_id = v_region and payment_id = q.id and amount > 0;
  update assessments a set open_amount = a.open_amount + al.amount
    from allocations al
   where al.region_id = v_region and al.payment_id = q.id and al.amount > 0
     and a.region_id = al.region_id and a.id = al.assessment_id;

  v_response := jsonb_build_object('paymentId', q.id, 'status', 'voided', 'voidReference', p->>'voidReference',
    'reversalEntryId', v_entry, 'businessDate', v_today, 'reopened',
    coalesce((select jsonb_agg(jsonb_build_object('assessmentId', assessment_id, 'amount', amount::text) order by id)
                from allocations where region_id = v_region and payment_id = q.id and amount > 0), '[]'));
  insert into payment_voids (region_id, payment_id, terminal_id, void_reference, reason, reversal_entry_id, response)
  values (v_region, q.id, p->>'terminalId', p->>'voidReference', p->>'reason', v_entry, v_response);
  return jsonb_build_object('replayed', false, 'response', v_response);
end $$;`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw(VOID_PAYMENT.replace(ACTIVE_CHECK, ''));
  await knex.raw(`
    drop trigger if exists qris_intents_terminal_active on qris_intents;
    drop function if exists qris_intent_terminal_active();
    drop table if exists login_attempts;
    drop trigger if exists users_credential_version on users;
    drop trigger if exists terminals_credential_version on terminals;
    drop function if exists bump_credential_version();
    alter table users drop column if exists credential_version;
    alter table terminals drop column if exists credential_version;
  `);
}
