import type { Knex } from 'knex';

// QRIS intents and bank notifications, payment flags for the manager, and card voids.
// Posting is split: ledger_record_payment is the one place that allocates, posts the journal
// and issues the receipt (for every channel); the channel functions validate what is theirs
// (a terminal's idempotency key, a bank's intent and RRN) and call it under the stall's lock.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- What the QRIS payload needs beyond name, city and NMID (EMVCo tags 26, 52, 61).
    alter table acquirers
      add column qris_global_id text check (qris_global_id ~ '^[A-Za-z0-9.-]{1,32}$'),
      add column qris_merchant_pan text check (qris_merchant_pan ~ '^[0-9]{16,19}$'),
      -- 9399: Government Services (not elsewhere classified), the MCC for retribusi.
      add column mcc text not null default '9399' check (mcc ~ '^[0-9]{4}$'),
      add column postal_code text check (postal_code ~ '^[0-9]{5}$');

    create table qris_intents (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      -- Tag 62/05, echoed by the bank in its notification.
      reference text not null check (reference ~ '^[A-Z0-9]{8,25}$'),
      market_id uuid not null,
      stall_id uuid not null,
      trader_id uuid not null,
      terminal_id text not null,
      acquirer_id uuid not null,
      -- Bank Indonesia: at most Rp 10,000,000 per QRIS transaction.
      amount numeric(18,2) not null check (amount > 0 and amount <= 10000000),
      -- The open assessments the amount was computed from: if another channel pays them before
      -- the QR is paid, the QR money is a double payment.
      assessment_ids uuid[] not null default '{}',
      payload text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      superseded_at timestamptz,
      paid_payment_id uuid,
      primary key (region_id, id),
      unique (region_id, reference),
      foreign key (region_id, stall_id) references stalls(region_id, id),
      foreign key (region_id, trader_id) references traders(region_id, id),
      foreign key (region_id, terminal_id) references terminals(region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      check (expires_at > created_at)
    );
    create index qris_intents_open on qris_intents (region_id, stall_id) where superseded_at is null and paid_payment_id is null;
    create index qris_intents_id on qris_intents (id);

    -- Every notification as it arrived, before anything else looks at it: evidence for
    -- reconciliation and audit, including the ones refused.
    create table qris_notifications (
      region_id uuid not null,
      id bigint generated always as identity,
      acquirer_id uuid not null,
      received_at timestamptz not null default now(),
      x_timestamp text,
      x_signature text,
      raw_body text not null,
      remote_addr text,
      primary key (region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id)
    );

    -- What we answered to each notification (append-only, one per notification).
    create table qris_notification_outcomes (
      region_id uuid not null,
      notification_id bigint not null,
      decided_at timestamptz not null default now(),
      http_status int not null,
      code text not null,
      payment_id uuid,
      response jsonb not null,
      primary key (region_id, notification_id),
      foreign key (region_id, notification_id) references qris_notifications(region_id, id)
    );

    alter table payments
      add column intent_id uuid,
      add column notification_id bigint,
      add column issuer text,
      add foreign key (region_id, intent_id) references qris_intents(region_id, id);

    -- Payments a manager must look at: the money is recorded, the question is open.
    create table payment_flags (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      payment_id uuid not null,
      kind text not null check (kind in ('amount-mismatch','intent-expired','intent-superseded','intent-already-paid','double-payment')),
      details jsonb not null default '{}',
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid,
      resolution text,
      primary key (region_id, id),
      unique (region_id, payment_id, kind),
      foreign key (region_id, payment_id) references payments(region_id, id)
    );
    create index payment_flags_open on payment_flags (region_id, created_at) where resolved_at is null;

    create table payment_voids (
      region_id uuid not null,
      payment_id uuid not null,
      terminal_id text not null,
      -- The acquirer's reference for the void (its RRN or approval code for the reversal).
      void_reference text not null,
      reason text,
      voided_at timestamptz not null default now(),
      reversal_entry_id uuid not null,
      response jsonb not null,
      primary key (region_id, payment_id),
      foreign key (region_id, payment_id) references payments(region_id, id),
      foreign key (region_id, reversal_entry_id) references journal_entries(region_id, id)
    );

    create trigger qris_notifications_immutable before update or delete on qris_notifications for each row execute function ledger_refuse_change();
    create trigger qris_notification_outcomes_immutable before update or delete on qris_notification_outcomes for each row execute function ledger_refuse_change();
    create trigger payment_voids_immutable before update or delete on payment_voids for each row execute function ledger_refuse_change();
    create trigger qris_notifications_no_truncate before truncate on qris_notifications for each statement execute function ledger_refuse_change();
  `);
  await knex.raw(RECORD_PAYMENT);
  await knex.raw(POST_CARD_PAYMENT);
  await knex.raw(POST_QRIS_PAYMENT);
  await knex.raw(VOID_PAYMENT);
}

// Caller holds the stall's lock. p: { regionId, stallId, traderId, marketId, terminalId,
// acquirerId, channel, amount, paidAt, businessDate, receiptCode, verifyBaseUrl, flags[],
// and the channel's own fields }. Returns the response body it stored with the payment.
export const RECORD_PAYMENT = String.raw`
create function ledger_record_payment(p jsonb) returns jsonb language plpgsql volatile as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  v_stall uuid := (p->>'stallId')::uuid;
  v_trader uuid := (p->>'traderId')::uuid;
  v_amount numeric(18,2) := (p->>'amount')::numeric;
  v_date date := (p->>'businessDate')::date;
  v_channel text := p->>'channel';
  v_payment uuid := gen_random_uuid(); v_entry uuid := gen_random_uuid();
  v_recorded timestamptz := clock_timestamp();
  a record; v_take numeric(18,2); v_remaining numeric(18,2) := v_amount; v_allocated numeric(18,2) := 0;
  v_allocs jsonb := '[]'; v_ids uuid[] := '{}'; v_amounts numeric[] := '{}';
  v_serial bigint; v_credit_balance numeric(18,2); v_flags jsonb := coalesce(p->'flags', '[]'); v_response jsonb;
begin
  insert into journal_entries (region_id, id, kind, business_date, memo)
  values (v_region, v_entry, 'payment', v_date, v_channel || ' payment ' || coalesce(p->>'rrn', ''));

  -- Oldest open assessments of this occupant on this stall first; the rest is credit.
  for a in select id, business_date, open_amount from assessments
            where region_id = v_region and stall_id = v_stall and trader_id = v_trader and open_amount > 0
            order by business_date, id loop
    exit when v_remaining <= 0;
    v_take := least(v_remaining, a.open_amount);
    update assessments set open_amount = open_amount - v_take where region_id = v_region and id = a.id;
    v_ids := v_ids || a.id;
    v_amounts := v_amounts || v_take;
    v_allocs := v_allocs || jsonb_build_object('assessmentId', a.id, 'businessDate', a.business_date, 'amount', v_take::text);
    v_allocated := v_allocated + v_take;
    v_remaining := v_remaining - v_take;
  end loop;

  insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
  select v_region, v_entry, x.account, x.debit, x.credit, v_trader, v_stall
    from (values
      (ledger_account(v_region, 'acquirer_clearing', null, (p->>'acquirerId')::uuid), v_amount, 0::numeric),
      (ledger_account(v_region, 'stall_receivable', (p->>'marketId')::uuid), 0, v_allocated),
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

  update terminals set last_receipt_serial = last_receipt_serial + 1
   where region_id = v_region and id = p->>'terminalId'
  returning last_receipt_serial into v_serial;

  select coalesce(sum(jl.credit - jl.debit), 0) into v_credit_balance from journal_lines jl
   where jl.region_id = v_region and jl.stall_id = v_stall and jl.trader_id = v_trader
     and jl.account_id = ledger_account(v_region, 'trader_credit');

  v_response := jsonb_build_object(
    'paymentId', v_payment, 'stallId', v_stall, 'traderId', v_trader, 'channel', v_channel,
    'amount', v_amount::text, 'paidAt', ledger_iso((p->>'paidAt')::timestamptz), 'recordedAt', ledger_iso(v_recorded),
    'businessDate', v_date,
    'receipt', jsonb_build_object('serial', v_serial, 'code', p->>'receiptCode',
                                  'verifyUrl', (p->>'verifyBaseUrl') || '/receipts/' || (p->>'receiptCode')),
    'allocations', v_allocs, 'credit', v_remaining::text, 'creditBalance', v_credit_balance::text,
    'flags', coalesce((select jsonb_agg(f->>'kind') from jsonb_array_elements(v_flags) f), '[]'));

  insert into payments (region_id, id, market_id, stall_id, trader_id, terminal_id, acquirer_id, channel,
    amount, paid_at, recorded_at, business_date, client_txn_id, request_hash, tid, mid, stan, rrn,
    approval_code, masked_pan, allocated_amount, credit_amount, journal_entry_id, response,
    intent_id, notification_id, issuer)
  values (v_region, v_payment, (p->>'marketId')::uuid, v_stall, v_trader, p->>'terminalId',
    (p->>'acquirerId')::uuid, v_channel, v_amount, (p->>'paidAt')::timestamptz, v_recorded, v_date,
    p->>'clientTxnId', p->>'requestHash', p->>'tid', p->>'mid', p->>'stan', p->>'rrn', p->>'approvalCode',
    p->>'maskedPan', v_allocated, v_remaining, v_entry, v_response,
    (p->>'intentId')::uuid, (p->>'notificationId')::bigint, p->>'issuer');

  insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
  select v_region, x.id, v_payment, v_entry, x.amount from unnest(v_ids, v_amounts) as x(id, amount);

  insert into receipts (region_id, payment_id, terminal_id, serial, code, issued_at)
  values (v_region, v_payment, p->>'terminalId', v_serial, p->>'receiptCode', v_recorded);

  insert into payment_flags (region_id, payment_id, kind, details)
  select v_region, v_payment, f->>'kind', coalesce(f->'details', '{}') from jsonb_array_elements(v_flags) f;

  return v_response;
end $$;`;

// A terminal's card payment, in one round trip: the terminal's own checks (idempotency key, TID
// and MID, RRN per acquirer and day), then the shared posting under the stall's lock, so that
// concurrent payments for one stall serialise on that stall alone, never on a market-wide row.
const POST_CARD_PAYMENT = String.raw`
create function ledger_post_card_payment(p jsonb) returns jsonb language plpgsql volatile as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  v_paid_at timestamptz := (p->>'paidAt')::timestamptz;
  t record; s record; ten record; prior record; v_date date;
begin
  -- A retry of a request we already recorded: same body back, nothing posted.
  select request_hash, response into prior from payments
   where region_id = v_region and terminal_id = p->>'terminalId' and client_txn_id = p->>'clientTxnId';
  if found then
    if prior.request_hash <> p->>'requestHash' then
      perform ledger_fail('idempotency-conflict', jsonb_build_object('clientTxnId', p->>'clientTxnId'));
    end if;
    return jsonb_build_object('replayed', true, 'response', prior.response);
  end if;

  select tm.market_id, tm.acquirer_id, tm.tid, tm.mid, tm.active, r.time_zone into t
    from terminals tm join regions r on r.id = tm.region_id
   where tm.region_id = v_region and tm.id = p->>'terminalId';
  if not found then
    perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', p->>'terminalId'));
  end if;
  if not t.active then
    perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', p->>'terminalId'));
  end if;
  if t.tid <> p->>'tid' then
    perform ledger_fail('tid-mismatch', jsonb_build_object('field', 'card.tid', 'expected', t.tid));
  end if;
  if t.mid <> p->>'mid' then
    perform ledger_fail('mid-mismatch', jsonb_build_object('field', 'card.mid', 'expected', t.mid));
  end if;
  v_date := (v_paid_at at time zone t.time_zone)::date;

  -- The stall's lock serialises payments (and credit application) for this stall only.
  select market_id into s from stalls where region_id = v_region and id = (p->>'stallId')::uuid for no key update;
  if not found then
    perform ledger_fail('stall-not-found', jsonb_build_object('field', 'stallId'));
  end if;
  if s.market_id <> t.market_id then
    perform ledger_fail('stall-outside-scope', jsonb_build_object('field', 'stallId'));
  end if;

  -- Checked again under the lock: a concurrent twin may have committed while we waited.
  select request_hash, response into prior from payments
   where region_id = v_region and terminal_id = p->>'terminalId' and client_txn_id = p->>'clientTxnId';
  if found then
    if prior.request_hash <> p->>'requestHash' then
      perform ledger_fail('idempotency-conflict', jsonb_build_object('clientTxnId', p->>'clientTxnId'));
    end if;
    return jsonb_build_object('replayed', true, 'response', prior.response);
  end if;
  if exists (select 1 from payments where region_id = v_region and acquirer_id = t.acquirer_id
               and business_date = v_date and rrn = p->>'rrn') then
    perform ledger_fail('duplicate-payment', jsonb_build_object('field', 'card.rrn', 'rrn', p->>'rrn', 'businessDate', v_date));
  end if;

  select id, trader_id into ten from tenancies
   where region_id = v_region and stall_id = (p->>'stallId')::uuid and daterange(effective_from, effective_to, '[]') @> v_date;
  if not found then
    perform ledger_fail('stall-not-occupied', jsonb_build_object('field', 'stallId', 'businessDate', v_date));
  end if;

  return jsonb_build_object('replayed', false, 'response', ledger_record_payment(p || jsonb_build_object(
    'channel', 'card', 'traderId', ten.trader_id, 'marketId', t.market_id, 'acquirerId', t.acquirer_id,
    'businessDate', v_date, 'paidAt', v_paid_at)));
end $$;`;

// p: { regionId, acquirerId, reference, amount, rrn, issuer, paidAt, notificationId, requestHash,
// receiptCode, verifyBaseUrl }. A replay (same acquirer and RRN) returns the first payment and posts nothing.
// Money that does not match its intent is still recorded, with flags for the manager.
export const POST_QRIS_PAYMENT = String.raw`
create function ledger_post_qris_payment(p jsonb) returns jsonb language plpgsql volatile as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  v_paid_at timestamptz := (p->>'paidAt')::timestamptz;
  v_amount numeric(18,2) := (p->>'amount')::numeric;
  i record; prior record; v_tz text; v_date date; v_flags jsonb := '[]'; v_response jsonb;
begin
  select stall_id into i from qris_intents where region_id = v_region and reference = p->>'reference';
  if not found then
    perform ledger_fail('unknown-reference', jsonb_build_object('field', 'reference'));
  end if;
  -- Stall first, then the intent: the order intent creation takes them in, so no deadlock.
  perform 1 from stalls where region_id = v_region and id = i.stall_id for no key update;
  select * into i from qris_intents where region_id = v_region and reference = p->>'reference' for update;

  select time_zone into v_tz from regions where id = v_region;
  v_date := (v_paid_at at time zone v_tz)::date;

  -- The same acquirer and RRN is the same transaction: the first answer again, if it is the
  -- same notification; different content under a used RRN is refused, never silently merged.
  select id, response, request_hash into prior from payments
   where region_id = v_region and acquirer_id = (p->>'acquirerId')::uuid and rrn = p->>'rrn'
     and business_date between v_date - 1 and v_date + 1
   order by recorded_at limit 1;
  if found then
    if prior.request_hash is distinct from p->>'requestHash' then
      perform ledger_fail('idempotency-conflict', jsonb_build_object('field', 'rrn', 'rrn', p->>'rrn'));
    end if;
    return jsonb_build_object('replayed', true, 'response', prior.response);
  end if;
  if i.acquirer_id <> (p->>'acquirerId')::uuid then
    perform ledger_fail('unknown-reference', jsonb_build_object('field', 'reference'));
  end if;

  if v_amount <> i.amount then
    v_flags := v_flags || jsonb_build_object('kind', 'amount-mismatch', 'details',
      jsonb_build_object('intentAmount', i.amount::text, 'paidAmount', v_amount::text));
  end if;
  if i.paid_payment_id is not null then
    v_flags := v_flags || jsonb_build_object('kind', 'intent-already-paid', 'details', jsonb_build_object('firstPaymentId', i.paid_payment_id));
  elsif i.superseded_at is not null and i.superseded_at <= v_paid_at then
    v_flags := v_flags || jsonb_build_object('kind', 'intent-superseded', 'details', jsonb_build_object('supersededAt', ledger_iso(i.superseded_at)));
  elsif v_paid_at > i.expires_at then
    v_flags := v_flags || jsonb_build_object('kind', 'intent-expired', 'details', jsonb_build_object('expiresAt', ledger_iso(i.expires_at)));
  end if;
  -- The days this QR was for were paid meanwhile by another payment: a double payment.
  if exists (select 1 from allocations al join payments q on q.region_id = al.region_id and q.id = al.payment_id
              where al.region_id = v_region and al.assessment_id = any(i.assessment_ids) and al.amount > 0
                and q.recorded_at > i.created_at) then
    v_flags := v_flags || jsonb_build_object('kind', 'double-payment', 'details', jsonb_build_object('intentId', i.id));
  end if;

  v_response := ledger_record_payment(p || jsonb_build_object(
    'channel', 'qris', 'stallId', i.stall_id, 'traderId', i.trader_id, 'marketId', i.market_id,
    'terminalId', i.terminal_id, 'businessDate', v_date, 'paidAt', v_paid_at, 'intentId', i.id, 'flags', v_flags));
  if i.paid_payment_id is null then
    update qris_intents set paid_payment_id = (v_response->>'paymentId')::uuid where region_id = v_region and id = i.id;
  end if;
  return jsonb_build_object('replayed', false, 'response', v_response);
end $$;`;

// p: { regionId, terminalId, paymentId, voidReference, reason }. Same business day, by the
// terminal that took the payment; a second void returns the first answer.
const VOID_PAYMENT = String.raw`
create function ledger_void_payment(p jsonb) returns jsonb language plpgsql volatile as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  q record; prior record; v_today date; v_entry uuid := gen_random_uuid(); v_credit numeric(18,2); v_response jsonb;
begin
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
  await knex.raw(`
    drop function if exists ledger_void_payment(jsonb), ledger_post_qris_payment(jsonb), ledger_post_card_payment(jsonb), ledger_record_payment(jsonb);
    drop table if exists payment_voids, payment_flags, qris_notification_outcomes, qris_notifications cascade;
    alter table payments drop column if exists intent_id, drop column if exists notification_id, drop column if exists issuer;
    drop table if exists qris_intents cascade;
    alter table acquirers drop column if exists qris_global_id, drop column if exists qris_merchant_pan,
      drop column if exists mcc, drop column if exists postal_code;
  `);
}
