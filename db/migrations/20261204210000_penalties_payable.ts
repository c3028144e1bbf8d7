import type { Knex } from 'knex';

// Penalties are payable (issue 16). What a trader owes on a stall is one ordered list of items,
// principal (assessments) and penalty (penalty_charges, now with an open amount), in the order the
// region sets as data (regions.allocation_order):
//   - 'oldest-month' (default): the oldest month's principal, then that month's penalty (the
//     interest charged on that month's assessments), then the next month;
//   - 'penalty-first': every open penalty first (oldest first), then principal oldest first, as a
//     Perda may require.
// ledger_open_items() is that list, and everything reads it: a payment allocates along it, credit
// is applied along it, and the outstanding endpoint, the terminal's stall list, the QRIS amount
// and the public stall page show it. Money settling a penalty is kept in penalty_allocations (the
// principal's allocations stay principal only: arrears, penalties and letters compute unpaid
// principal as of a date from them) and posts Cr penalty receivable of the stall's market.
//
// A trader can also pay from the sticker's public page: such a QRIS intent has no terminal
// (origin 'public'), and its receipt is numbered by the market's own public serial.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table regions add column allocation_order text not null default 'oldest-month'
      constraint regions_allocation_order_check check (allocation_order in ('oldest-month', 'penalty-first'));
    comment on column regions.allocation_order is
      'the order a payment settles what is owed: oldest-month (a month''s principal, then its penalty) or penalty-first';

    drop trigger penalty_charges_immutable on penalty_charges;
    alter table penalty_charges add column open_amount numeric(18,2);
    update penalty_charges set open_amount = amount;
    alter table penalty_charges alter column open_amount set not null,
      add constraint penalty_charges_open_amount_check check (open_amount >= 0 and open_amount <= amount);
    create index penalty_charges_open on penalty_charges (region_id, stall_id, trader_id) where open_amount > 0;

    create function ledger_penalty_charge_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'DELETE on penalty_charges is not allowed' using errcode = '42501';
      end if;
      if (new.region_id, new.id, new.assessment_id, new.month_no, new.accrues_from, new.market_id, new.stall_id,
          new.trader_id, new.rule_id, new.monthly_rate, new.principal, new.amount, new.charged_on,
          new.journal_entry_id, new.created_at)
         is distinct from
         (old.region_id, old.id, old.assessment_id, old.month_no, old.accrues_from, old.market_id, old.stall_id,
          old.trader_id, old.rule_id, old.monthly_rate, old.principal, old.amount, old.charged_on,
          old.journal_entry_id, old.created_at) then
        raise exception 'a penalty charge is posted: only its open amount follows its allocations' using errcode = '42501';
      end if;
      return new;
    end $$;
    create trigger penalty_charges_guard before update or delete on penalty_charges
      for each row execute function ledger_penalty_charge_guard();

    create table penalty_allocations (
      region_id uuid not null,
      id bigint generated always as identity,
      penalty_charge_id bigint not null,
      assessment_id uuid not null,
      payment_id uuid,
      journal_entry_id uuid not null,
      amount numeric(18,2) not null constraint penalty_allocations_amount_check check (amount <> 0),
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, penalty_charge_id) references penalty_charges (region_id, id),
      foreign key (region_id, assessment_id) references assessments (region_id, id),
      foreign key (region_id, payment_id) references payments (region_id, id),
      foreign key (region_id, journal_entry_id) references journal_entries (region_id, id)
    );
    comment on table penalty_allocations is
      'money settling a penalty charge (negative when a void reopens it); principal stays in allocations';
    create index penalty_allocations_charge on penalty_allocations (region_id, penalty_charge_id);
    create index penalty_allocations_payment on penalty_allocations (region_id, payment_id) where payment_id is not null;
    create index penalty_allocations_entry on penalty_allocations (region_id, journal_entry_id);
    create trigger penalty_allocations_immutable before update or delete on penalty_allocations
      for each row execute function ledger_refuse_change();
    create trigger penalty_allocations_no_truncate before truncate on penalty_allocations
      for each statement execute function ledger_refuse_change();

    alter table payments add column penalty_amount numeric(18,2) not null default 0
      constraint payments_penalty_amount_check check (penalty_amount >= 0 and penalty_amount <= allocated_amount);
    comment on column payments.penalty_amount is 'the part of allocated_amount that settled penalty (sanksi)';

    alter table qris_intents alter column terminal_id drop not null,
      add column origin text not null default 'terminal'
        constraint qris_intents_origin_check check (origin in ('terminal', 'public')),
      add constraint qris_intents_origin_terminal check ((origin = 'terminal') = (terminal_id is not null)),
      add column client_ip text;
    comment on column qris_intents.origin is 'terminal: made by a collector; public: made by the trader on the stall''s page';
    comment on column qris_intents.client_ip is 'the address a public-page code was asked from (its rate limit)';
    create index qris_intents_public_ip on qris_intents (region_id, client_ip, created_at) where origin = 'public';

    alter table markets add column last_public_receipt_serial bigint not null default 0;
    comment on column markets.last_public_receipt_serial is 'serial of receipts of payments made from the public stall page';

    create or replace function qris_intent_terminal_active() returns trigger language plpgsql as $$
    begin
      if new.terminal_id is not null
         and not exists (select 1 from terminals where region_id = new.region_id and id = new.terminal_id and active) then
        perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', new.terminal_id));
      end if;
      return new;
    end $$;

    -- What a trader owes on a stall, in the order a payment settles it (seq 1 first).
    create function ledger_open_items(p_region uuid, p_stall uuid, p_trader uuid)
    returns table (seq bigint, kind text, assessment_id uuid, penalty_charge_id bigint, business_date date,
                   month_no smallint, amount numeric(18,2), open_amount numeric(18,2))
    language sql stable as $$
      with items as (
        select 'principal'::text as kind, a.id as assessment_id, null::bigint as penalty_charge_id, a.business_date,
               null::smallint as month_no, a.amount, a.open_amount
          from assessments a
         where a.region_id = p_region and a.stall_id = p_stall and a.trader_id = p_trader and a.open_amount > 0
        union all
        select 'penalty', pc.assessment_id, pc.id, a.business_date, pc.month_no, pc.amount, pc.open_amount
          from penalty_charges pc
          join assessments a on a.region_id = pc.region_id and a.id = pc.assessment_id
         where pc.region_id = p_region and pc.stall_id = p_stall and pc.trader_id = p_trader and pc.open_amount > 0
      )
      select row_number() over (order by
               case when r.allocation_order = 'penalty-first' then (i.kind = 'principal')::int else 0 end,
               case when r.allocation_order = 'penalty-first' then null else date_trunc('month', i.business_date) end,
               case when r.allocation_order = 'penalty-first' then 0 else (i.kind = 'penalty')::int end,
               i.business_date, i.month_no nulls first, i.assessment_id),
             i.kind, i.assessment_id, i.penalty_charge_id, i.business_date, i.month_no, i.amount, i.open_amount
        from items i cross join regions r
       where r.id = p_region
    $$;
  `);
  await knex.raw(RECORD_PAYMENT);
  await knex.raw(VOID_PAYMENT);
}

const RECORD_PAYMENT = `
create or replace function ledger_record_payment(p jsonb) returns jsonb language plpgsql as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  v_stall uuid := (p->>'stallId')::uuid;
  v_trader uuid := (p->>'traderId')::uuid;
  v_market uuid := (p->>'marketId')::uuid;
  v_amount numeric(18,2) := (p->>'amount')::numeric;
  v_date date := (p->>'businessDate')::date;
  v_channel text := p->>'channel';
  v_payment uuid := gen_random_uuid(); v_entry uuid := gen_random_uuid();
  v_recorded timestamptz := clock_timestamp();
  a record; v_take numeric(18,2); v_remaining numeric(18,2) := v_amount;
  v_principal numeric(18,2) := 0; v_penalty numeric(18,2) := 0;
  v_allocs jsonb := '[]'; v_ids uuid[] := '{}'; v_amounts numeric[] := '{}';
  v_charges bigint[] := '{}'; v_charge_days uuid[] := '{}'; v_charge_amounts numeric[] := '{}';
  v_serial bigint; v_credit_balance numeric(18,2); v_flags jsonb := coalesce(p->'flags', '[]'); v_response jsonb;
begin
  insert into journal_entries (region_id, id, kind, business_date, memo)
  values (v_region, v_entry, 'payment', v_date, v_channel || ' payment ' || coalesce(p->>'rrn', ''));

  -- What this occupant owes on this stall, in the region's order (ledger_open_items); the rest is credit.
  for a in select * from ledger_open_items(v_region, v_stall, v_trader) order by seq loop
    exit when v_remaining <= 0;
    v_take := least(v_remaining, a.open_amount);
    if a.kind = 'principal' then
      update assessments set open_amount = open_amount - v_take where region_id = v_region and id = a.assessment_id;
      v_ids := v_ids || a.assessment_id;
      v_amounts := v_amounts || v_take;
      v_principal := v_principal + v_take;
      v_allocs := v_allocs || jsonb_build_object('kind', 'principal', 'assessmentId', a.assessment_id,
        'businessDate', a.business_date, 'amount', v_take::text);
    else
      update penalty_charges set open_amount = open_amount - v_take where region_id = v_region and id = a.penalty_charge_id;
      v_charges := v_charges || a.penalty_charge_id;
      v_charge_days := v_charge_days || a.assessment_id;
      v_charge_amounts := v_charge_amounts || v_take;
      v_penalty := v_penalty + v_take;
      v_allocs := v_allocs || jsonb_build_object('kind', 'penalty', 'assessmentId', a.assessment_id,
        'businessDate', a.business_date, 'monthNo', a.month_no, 'amount', v_take::text);
    end if;
    v_remaining := v_remaining - v_take;
  end loop;

  insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
  select v_region, v_entry, x.account, x.debit, x.credit, v_trader, v_stall
    from (values
      (ledger_account(v_region, 'acquirer_clearing', null, (p->>'acquirerId')::uuid), v_amount, 0::numeric),
      (ledger_account(v_region, 'stall_receivable', v_market), 0, v_principal),
      (case when v_penalty > 0 then ledger_account(v_region, 'penalty_receivable', v_market) end, 0, v_penalty),
      (ledger_account(v_region, 'trader_credit'), 0, v_remaining)
    ) as x(account, debit, credit)
   where x.debit > 0 or x.credit > 0;

  -- Cross-channel double pay: money that became credit while another channel paid this stall
  -- the same business day is flagged for the manager (it is kept as credit, never lost).
  if v_remaining > 0 and exists (
       select 1 from payments q where q.region_id = v_region and q.stall_id = v_stall and q.trader_id = v_trader
          and q.business_date = v_date and q.channel <> v_channel
          and not exists (select 1 from payment_voids pv where pv.region_id = q.region_id and pv.payment_id = q.id))
     and not v_flags @> '[{"kind":"double-payment"}]' then
    v_flags := v_flags || jsonb_build_object('kind', 'double-payment', 'details', jsonb_build_object('credit', v_remaining::text));
  end if;

  -- A terminal numbers its receipts; a payment from the public stall page has the market's serial.
  if p->>'terminalId' is not null then
    update terminals set last_receipt_serial = last_receipt_serial + 1
     where region_id = v_region and id = p->>'terminalId'
    returning last_receipt_serial into v_serial;
  else
    update markets set last_public_receipt_serial = last_public_receipt_serial + 1
     where region_id = v_region and id = v_market
    returning last_public_receipt_serial into v_serial;
  end if;

  select coalesce(sum(jl.credit - jl.debit), 0) into v_credit_balance from journal_lines jl
   where jl.region_id = v_region and jl.stall_id = v_stall and jl.trader_id = v_trader
     and jl.account_id = ledger_account(v_region, 'trader_credit');

  v_response := jsonb_build_object(
    'paymentId', v_payment, 'stallId', v_stall, 'traderId', v_trader, 'channel', v_channel,
    'amount', v_amount::text, 'paidAt', ledger_iso((p->>'paidAt')::timestamptz), 'recordedAt', ledger_iso(v_recorded),
    'businessDate', v_date,
    'receipt', jsonb_build_object('serial', v_serial, 'code', p->>'receiptCode',
                                  'verifyUrl', (p->>'verifyBaseUrl') || '/receipts/' || (p->>'receiptCode')),
    'allocations', v_allocs, 'principal', v_principal::text, 'penalty', v_penalty::text,
    'credit', v_remaining::text, 'creditBalance', v_credit_balance::text,
    'flags', coalesce((select jsonb_agg(f->>'kind') from jsonb_array_elements(v_flags) f), '[]'));

  insert into payments (region_id, id, market_id, stall_id, trader_id, terminal_id, acquirer_id, channel,
    amount, paid_at, recorded_at, business_date, client_txn_id, request_hash, tid, mid, stan, rrn,
    approval_code, masked_pan, allocated_amount, penalty_amount, credit_amount, journal_entry_id, response,
    intent_id, notification_id, issuer, terminal_batch, invoice)
  values (v_region, v_payment, v_market, v_stall, v_trader, p->>'terminalId',
    (p->>'acquirerId')::uuid, v_channel, v_amount, (p->>'paidAt')::timestamptz, v_recorded, v_date,
    p->>'clientTxnId', p->>'requestHash', p->>'tid', p->>'mid', p->>'stan', p->>'rrn', p->>'approvalCode',
    p->>'maskedPan', v_principal + v_penalty, v_penalty, v_remaining, v_entry, v_response,
    (p->>'intentId')::uuid, (p->>'notificationId')::bigint, p->>'issuer', p->>'terminalBatch', p->>'invoice');

  insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
  select v_region, x.id, v_payment, v_entry, x.amount from unnest(v_ids, v_amounts) as x(id, amount);

  insert into penalty_allocations (region_id, penalty_charge_id, assessment_id, payment_id, journal_entry_id, amount)
  select v_region, x.charge, x.day, v_payment, v_entry, x.amount
    from unnest(v_charges, v_charge_days, v_charge_amounts) as x(charge, day, amount);

  insert into receipts (region_id, payment_id, terminal_id, serial, code, issued_at)
  values (v_region, v_payment, p->>'terminalId', v_serial, p->>'receiptCode', v_recorded);

  insert into payment_flags (region_id, payment_id, kind, details)
  select v_region, v_payment, f->>'kind', coalesce(f->'details', '{}') from jsonb_array_elements(v_flags) f;

  return v_response;
end $$`;

const VOID_PAYMENT = `
create or replace function ledger_void_payment(p jsonb) returns jsonb language plpgsql as $$
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
  -- The days reopen, and the penalty the payment settled.
  insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
  select region_id, assessment_id, payment_id, v_entry, -amount
    from allocations where region_id = v_region and payment_id = q.id and amount > 0;
  update assessments a set open_amount = a.open_amount + al.amount
    from allocations al
   where al.region_id = v_region and al.payment_id = q.id and al.amount > 0
     and a.region_id = al.region_id and a.id = al.assessment_id;
  insert into penalty_allocations (region_id, penalty_charge_id, assessment_id, payment_id, journal_entry_id, amount)
  select region_id, penalty_charge_id, assessment_id, payment_id, v_entry, -amount
    from penalty_allocations where region_id = v_region and payment_id = q.id and amount > 0;
  update penalty_charges c set open_amount = c.open_amount + pa.amount
    from penalty_allocations pa
   where pa.region_id = v_region and pa.payment_id = q.id and pa.amount > 0
     and c.region_id = pa.region_id and c.id = pa.penalty_charge_id;

  v_response := jsonb_build_object('paymentId', q.id, 'status', 'voided', 'voidReference', p->>'voidReference',
    'reversalEntryId', v_entry, 'businessDate', v_today, 'reopened',
    coalesce((select jsonb_agg(jsonb_build_object('assessmentId', assessment_id, 'amount', amount::text) order by id)
                from allocations where region_id = v_region and payment_id = q.id and amount > 0), '[]'),
    'reopenedPenalty',
    coalesce((select jsonb_agg(jsonb_build_object('assessmentId', assessment_id, 'amount', amount::text) order by id)
                from penalty_allocations where region_id = v_region and payment_id = q.id and amount > 0), '[]'));
  insert into payment_voids (region_id, payment_id, terminal_id, void_reference, reason, reversal_entry_id, response)
  values (v_region, q.id, p->>'terminalId', p->>'voidReference', p->>'reason', v_entry, v_response);
  return jsonb_build_object('replayed', false, 'response', v_response);
end $$`;

export async function down(): Promise<void> {
  throw new Error('penalties payable: no way down once penalties have been paid');
}
