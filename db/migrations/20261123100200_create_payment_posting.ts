import type { Knex } from 'knex';

// ledger_post_payment: records one terminal payment in one round trip. It is the allocation
// rule of the ledger (oldest open assessment of the stall's occupant first, the rest becomes
// that trader's credit on that stall) and it runs under a lock on the stall row, so concurrent
// payments for one stall serialise on that stall alone and never on a market-wide row.
//
// Errors are raised with hint 'e-retribusi:<code>' (knex rewrites the message, not the hint); the API maps
// them to HTTP statuses (api/errors.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(String.raw`
    create function ledger_fail(p_code text, p_detail jsonb default '{}') returns void language plpgsql as $$
    begin
      raise exception using message = p_code, detail = p_detail::text, hint = 'e-retribusi:' || p_code;
    end $$;

    create function ledger_iso(ts timestamptz) returns text language sql immutable as $$
      select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    $$;

    create function ledger_account(p_region uuid, p_purpose text, p_market uuid default null, p_acquirer uuid default null)
    returns uuid language plpgsql stable as $$
    declare v uuid;
    begin
      select id into v from accounts
       where region_id = p_region and purpose = p_purpose
         and market_id is not distinct from p_market and acquirer_id is not distinct from p_acquirer;
      if v is null then
        perform ledger_fail('ledger-account-missing', jsonb_build_object('purpose', p_purpose));
      end if;
      return v;
    end $$;

    -- p: { regionId, terminalId, clientTxnId, requestHash, stallId, amount, paidAt, tid, mid,
    --      stan, rrn, approvalCode, maskedPan, receiptCode, verifyBaseUrl }
    -- returns { replayed: bool, response: {...} }
    create function ledger_post_card_payment(p jsonb) returns jsonb language plpgsql volatile as $$
    declare
      v_region uuid := (p->>'regionId')::uuid;
      v_amount numeric(18,2) := (p->>'amount')::numeric;
      v_paid_at timestamptz := (p->>'paidAt')::timestamptz;
      t record; s record; ten record; prior record; a record;
      v_tz text; v_date date; v_payment uuid := gen_random_uuid(); v_entry uuid := gen_random_uuid();
      v_remaining numeric(18,2); v_take numeric(18,2); v_allocated numeric(18,2) := 0;
      v_allocs jsonb := '[]'; v_alloc_ids uuid[] := '{}'; v_alloc_amounts numeric[] := '{}'; v_serial bigint; v_credit_balance numeric(18,2); v_response jsonb;
      v_recorded timestamptz := clock_timestamp();
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
      if not found or not t.active then
        perform ledger_fail('terminal-inactive', jsonb_build_object('terminalId', p->>'terminalId'));
      end if;
      if t.tid <> p->>'tid' then
        perform ledger_fail('tid-mismatch', jsonb_build_object('field', 'card.tid', 'expected', t.tid));
      end if;
      if t.mid <> p->>'mid' then
        perform ledger_fail('mid-mismatch', jsonb_build_object('field', 'card.mid', 'expected', t.mid));
      end if;
      v_tz := t.time_zone;
      v_date := (v_paid_at at time zone v_tz)::date;

      -- The stall's lock serialises payments (and credit application) for this stall only.
      select market_id into s from stalls where region_id = v_region and id = (p->>'stallId')::uuid
        for no key update;
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
       where region_id = v_region and stall_id = (p->>'stallId')::uuid
         and daterange(effective_from, effective_to, '[]') @> v_date;
      if not found then
        perform ledger_fail('stall-not-occupied', jsonb_build_object('field', 'stallId', 'businessDate', v_date));
      end if;

      insert into journal_entries (region_id, id, kind, business_date, memo)
      values (v_region, v_entry, 'payment', v_date, 'card payment ' || (p->>'rrn'));

      -- Oldest open assessments of this occupant on this stall first.
      v_remaining := v_amount;
      for a in select id, business_date, open_amount from assessments
                where region_id = v_region and stall_id = (p->>'stallId')::uuid and trader_id = ten.trader_id
                  and open_amount > 0
                order by business_date, id loop
        exit when v_remaining <= 0;
        v_take := least(v_remaining, a.open_amount);
        update assessments set open_amount = open_amount - v_take where region_id = v_region and id = a.id;
        v_alloc_ids := v_alloc_ids || a.id;
        v_alloc_amounts := v_alloc_amounts || v_take;
        v_allocs := v_allocs || jsonb_build_object('assessmentId', a.id, 'businessDate', a.business_date, 'amount', v_take::text);
        v_allocated := v_allocated + v_take;
        v_remaining := v_remaining - v_take;
      end loop;

      insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
      select v_region, v_entry, x.account, x.debit, x.credit, ten.trader_id, (p->>'stallId')::uuid
        from (values
          (ledger_account(v_region, 'acquirer_clearing', null, t.acquirer_id), v_amount, 0::numeric),
          (ledger_account(v_region, 'stall_receivable', t.market_id), 0, v_allocated),
          (ledger_account(v_region, 'trader_credit'), 0, v_remaining)
        ) as x(account, debit, credit)
       where x.debit > 0 or x.credit > 0;

      update terminals set last_receipt_serial = last_receipt_serial + 1
       where region_id = v_region and id = p->>'terminalId'
      returning last_receipt_serial into v_serial;

      select coalesce(sum(credit - debit), 0) into v_credit_balance from journal_lines
       where region_id = v_region and stall_id = (p->>'stallId')::uuid and trader_id = ten.trader_id
         and account_id = ledger_account(v_region, 'trader_credit');

      v_response := jsonb_build_object(
        'paymentId', v_payment,
        'stallId', p->>'stallId',
        'traderId', ten.trader_id,
        'channel', 'card',
        'amount', v_amount::text,
        'paidAt', ledger_iso(v_paid_at),
        'recordedAt', ledger_iso(v_recorded),
        'businessDate', v_date,
        'receipt', jsonb_build_object(
          'serial', v_serial,
          'code', p->>'receiptCode',
          'verifyUrl', (p->>'verifyBaseUrl') || '/receipts/' || (p->>'receiptCode')),
        'allocations', v_allocs,
        'credit', v_remaining::text,
        'creditBalance', v_credit_balance::text);

      insert into payments (region_id, id, market_id, stall_id, trader_id, terminal_id, acquirer_id, channel,
        amount, paid_at, recorded_at, business_date, client_txn_id, request_hash, tid, mid, stan, rrn,
        approval_code, masked_pan, allocated_amount, credit_amount, journal_entry_id, response)
      values (v_region, v_payment, t.market_id, (p->>'stallId')::uuid, ten.trader_id, p->>'terminalId',
        t.acquirer_id, 'card', v_amount, v_paid_at, v_recorded, v_date, p->>'clientTxnId', p->>'requestHash',
        p->>'tid', p->>'mid', p->>'stan', p->>'rrn', p->>'approvalCode', p->>'maskedPan',
        v_allocated, v_remaining, v_entry, v_response);

      -- After the payment row: allocations reference it.
      insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
      select v_region, x.id, v_payment, v_entry, x.amount from unnest(v_alloc_ids, v_alloc_amounts) as x(id, amount);

      insert into receipts (region_id, payment_id, terminal_id, serial, code, issued_at)
      values (v_region, v_payment, p->>'terminalId', v_serial, p->>'receiptCode', v_recorded);

      return jsonb_build_object('replayed', false, 'response', v_response);
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function if exists ledger_post_card_payment(jsonb);
    drop function if exists ledger_account(uuid, text, uuid, uuid);
    drop function if exists ledger_iso(timestamptz);
    drop function if exists ledger_fail(text, jsonb);
  `);
}
