import type { Knex } from 'knex';
import { RECORD_PAYMENT as RECORD_PAYMENT_BEFORE } from './20261123110000_create_qris_and_voids';

// Reconciliation on the banks' real card files (issue 12). Real card layouts carry no RRN, no
// STAN and no time of day: a line is known by TID (or MID), transaction date, approval code,
// amount and masked card, and by the bank's own row key. So:
// - a settlement line keeps the bank's row key, its card network as the bank writes it, and the
//   group whose fee the bank fixed as one figure (Mandiri's SUMMARY GROUP row);
// - a card payment may carry the EDC's batch and invoice (trace) numbers;
// - an acquirer's MDR is data: how it computes the fee (per line or per group, rounded to the sen
//   or to the rupiah, half up) and its rates by network and card BIN;
// - a match records which key made it, and a day can hold an 'ambiguous-match' exception: two
//   candidates that fit equally are never guessed between.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table settlement_lines
      add column network text,
      add column line_key text,
      add column fee_group text;

    alter table payments
      add column terminal_batch text check (terminal_batch ~ '^[0-9]{1,6}$'),
      add column invoice text check (invoice ~ '^[0-9]{1,6}$');

    alter table acquirers
      add column mdr_basis text not null default 'per-line' check (mdr_basis in ('per-line','per-group')),
      add column mdr_rounding text not null default 'sen' check (mdr_rounding in ('sen','rupiah'));

    -- The acquirer's MDR rates, as its merchant agreement states them: the most specific row
    -- that fits a line wins (its MID, then the longest BIN prefix of the card, then the network
    -- as the bank writes it, then a row with none of these); without any row the acquirer's
    -- mdr_rate applies. Banks price on-us cards (their own BINs) and each merchant apart.
    create table acquirer_mdr_rates (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      acquirer_id uuid not null,
      mid text check (mid <> ''),
      network text check (network <> ''),
      bin_prefix text check (bin_prefix ~ '^[0-9]{1,8}$'),
      rate numeric not null check (rate >= 0 and rate < 1),
      primary key (region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id)
    );
    create unique index acquirer_mdr_rates_key on acquirer_mdr_rates (region_id, acquirer_id, coalesce(mid, ''), coalesce(network, ''), coalesce(bin_prefix, ''));

    alter table settlement_matches drop constraint settlement_matches_method_check;
    alter table settlement_matches add constraint settlement_matches_method_check check (method in (
      'rrn','reference','card','card-code-as-written','card-amount-differs','tid-stan','amount-time','manual'));

    alter table reconciliation_exceptions drop constraint reconciliation_exceptions_kind_check;
    alter table reconciliation_exceptions add constraint reconciliation_exceptions_kind_check check (kind in (
      'in-ledger-not-settled','settled-not-in-ledger','amount-mismatch','duplicate-settlement-line',
      'batch-statement-mismatch','settled-late','fee-mismatch','ambiguous-match'));
  `);
  await knex.raw(RECORD_PAYMENT.replace('create function', 'create or replace function'));
}

// ledger_record_payment as before, also storing the card's EDC batch and invoice number.
const RECORD_PAYMENT = String.raw`
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
    intent_id, notification_id, issuer, terminal_batch, invoice)
  values (v_region, v_payment, (p->>'marketId')::uuid, v_stall, v_trader, p->>'terminalId',
    (p->>'acquirerId')::uuid, v_channel, v_amount, (p->>'paidAt')::timestamptz, v_recorded, v_date,
    p->>'clientTxnId', p->>'requestHash', p->>'tid', p->>'mid', p->>'stan', p->>'rrn', p->>'approvalCode',
    p->>'maskedPan', v_allocated, v_remaining, v_entry, v_response,
    (p->>'intentId')::uuid, (p->>'notificationId')::bigint, p->>'issuer', p->>'terminalBatch', p->>'invoice');

  insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
  select v_region, x.id, v_payment, v_entry, x.amount from unnest(v_ids, v_amounts) as x(id, amount);

  insert into receipts (region_id, payment_id, terminal_id, serial, code, issued_at)
  values (v_region, v_payment, p->>'terminalId', v_serial, p->>'receiptCode', v_recorded);

  insert into payment_flags (region_id, payment_id, kind, details)
  select v_region, v_payment, f->>'kind', coalesce(f->'details', '{}') from jsonb_array_elements(v_flags) f;

  return v_response;
end $$;`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table reconciliation_exceptions drop constraint reconciliation_exceptions_kind_check;
    alter table reconciliation_exceptions add constraint reconciliation_exceptions_kind_check check (kind in (
      'in-ledger-not-settled','settled-not-in-ledger','amount-mismatch','duplicate-settlement-line',
      'batch-statement-mismatch','settled-late','fee-mismatch'));
    alter table settlement_matches drop constraint settlement_matches_method_check;
    alter table settlement_matches add constraint settlement_matches_method_check check (method in (
      'rrn','reference','tid-stan','amount-time','manual'));
    drop table if exists acquirer_mdr_rates;
    alter table acquirers drop column if exists mdr_basis, drop column if exists mdr_rounding;
    alter table settlement_lines drop column if exists network, drop column if exists line_key, drop column if exists fee_group;
  `);
  await knex.raw(RECORD_PAYMENT_BEFORE.replace('create function', 'create or replace function'));
  await knex.raw('alter table payments drop column if exists terminal_batch, drop column if exists invoice');
}
