import type { Knex } from 'knex';

// Card payments posted in groups (issue 18). The API gathers the card payments that reach one
// process within a few milliseconds (api/payments/card-group.ts) and an offline upload's items,
// and posts them with ledger_post_card_payments: one transaction, one round trip, and one
// set-based statement per step instead of one function call, a dozen statements and a commit
// per payment. Each item keeps what ledger_post_card_payment gives it alone:
//   - its own answer: a replay of a recorded key answers the stored response; a refused item
//     answers its own error (the same code and details as ledger_fail raises for it alone) and is
//     left out; the others are posted;
//   - the same checks in the same order: the idempotency key first, then the terminal (active,
//     TID, MID), the stall (found, in the terminal's market), the RRN for the acquirer and day,
//     the occupant on the business date;
//   - the stall's row lock: the group's stalls are locked in id order before anything is read,
//     and everything after reads under those locks (a new statement, a new snapshot);
//   - the same allocation: along ledger_open_items of each (stall, occupant), several payments of
//     one stall in one group in their order in the group, each settling what the ones before it
//     left open, exactly as if posted one after another (the running sums below, as
//     api/ledger/allocation.sql.ts applies credit);
//   - consecutive receipt serials per terminal in the group's order, and its journal entry,
//     allocations, penalty allocations, receipt and flags, written by one insert per table.
// With waitForLocks false (concurrent requests) a stall another transaction holds is skipped:
// its items answer {deferred: true} and the API posts them alone, so one busy stall never makes
// the rest of the group wait. Items with the same key or RRN are never given in one call (the
// API splits them); if they were, the unique indexes refuse the statement, and the API posts
// that group's items one by one with ledger_post_card_payment, as it does on any failure here.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(POST_CARD_PAYMENTS);
}

export const POST_CARD_PAYMENTS = String.raw`
create or replace function ledger_post_card_payments(p jsonb) returns jsonb language plpgsql as $$
declare
  v_region uuid := (p->>'regionId')::uuid;
  v_tz text;
  v_locked uuid[];
  v_recorded timestamptz := clock_timestamp();
  v_recorded_iso text := ledger_iso(v_recorded);
  v_credit_account uuid;
  v_out jsonb;
begin
  select time_zone into v_tz from regions where id = v_region;
  v_credit_account := ledger_account(v_region, 'trader_credit');

  -- The group's stalls, locked in id order (as credit application locks them; a payment alone
  -- locks one). Concurrent requests skip a stall that another transaction holds.
  if coalesce((p->>'waitForLocks')::boolean, true) then
    select coalesce(array_agg(l.id), '{}') into v_locked from (
      select s.id from stalls s
       where s.region_id = v_region
         and s.id in (select (x->>'stallId')::uuid from jsonb_array_elements(p->'items') x)
       order by s.id for no key update) l;
  else
    select coalesce(array_agg(l.id), '{}') into v_locked from (
      select s.id from stalls s
       where s.region_id = v_region
         and s.id in (select (x->>'stallId')::uuid from jsonb_array_elements(p->'items') x)
       order by s.id for no key update skip locked) l;
  end if;

  -- Under the locks: every check, the allocation, the writes and the answers, in one statement.
  with item as materialized (
    select x.i::int as i, x.v as p, x.v->>'terminalId' as terminal_id, x.v->>'clientTxnId' as client_txn_id,
           x.v->>'requestHash' as request_hash, (x.v->>'stallId')::uuid as stall_id,
           (x.v->>'amount')::numeric(18,2) as amount, (x.v->>'paidAt')::timestamptz as paid_at,
           ((x.v->>'paidAt')::timestamptz at time zone v_tz)::date as business_date,
           x.v->>'rrn' as rrn, x.v->>'tid' as tid, x.v->>'mid' as mid
      from jsonb_array_elements(p->'items') with ordinality as x(v, i)
  ), checked as materialized (
    -- Each lookup is one index probe per item (lateral, limit 1), whatever the tables hold.
    select it.*, pr.request_hash as prior_hash, pr.response as prior_response,
           tm.market_id, tm.acquirer_id, tm.tid as terminal_tid, tm.mid as terminal_mid, ten.trader_id,
           case
             when pr.id is not null and pr.request_hash <> it.request_hash then 'idempotency-conflict'
             when pr.id is not null then 'replay'
             when tm.id is null or not tm.active then 'terminal-inactive'
             when tm.tid <> it.tid then 'tid-mismatch'
             when tm.mid <> it.mid then 'mid-mismatch'
             when s.id is null then 'stall-not-found'
             when not (it.stall_id = any(v_locked)) then 'deferred'
             when s.market_id <> tm.market_id then 'stall-outside-scope'
             when rrn.taken then 'duplicate-payment'
             when ten.trader_id is null then 'stall-not-occupied'
           end as outcome
      from item it
      left join lateral (
        select q.id, q.request_hash, q.response from payments q
         where q.region_id = v_region and q.terminal_id = it.terminal_id and q.client_txn_id = it.client_txn_id
         limit 1) pr on true
      left join lateral (
        select t.id, t.market_id, t.acquirer_id, t.tid, t.mid, t.active from terminals t
         where t.region_id = v_region and t.id = it.terminal_id limit 1) tm on true
      left join lateral (
        select st.id, st.market_id from stalls st where st.region_id = v_region and st.id = it.stall_id limit 1) s on true
      left join lateral (
        select true as taken from payments q
         where q.region_id = v_region and q.acquirer_id = tm.acquirer_id and q.business_date = it.business_date
           and q.rrn = it.rrn
         limit 1) rrn on true
      left join lateral (
        select te.trader_id from tenancies te
         where te.region_id = v_region and te.stall_id = it.stall_id
           and daterange(te.effective_from, te.effective_to, '[]') @> it.business_date
         limit 1) ten on true
  ), ok as materialized (
    -- What the group's earlier payments of the same stall and occupant take first.
    select c.*, gen_random_uuid() as payment_id, gen_random_uuid() as entry_id,
           sum(c.amount) over (partition by c.stall_id, c.trader_id order by c.i) - c.amount as before
      from checked c where c.outcome is null
  ), pairs as materialized (
    select distinct stall_id, trader_id from ok
  ), open as (
    select pr.stall_id, pr.trader_id, o.seq, o.kind, o.assessment_id, o.penalty_charge_id, o.business_date,
           o.month_no, o.open_amount,
           sum(o.open_amount) over (partition by pr.stall_id, pr.trader_id order by o.seq) as upto
      from pairs pr cross join lateral ledger_open_items(v_region, pr.stall_id, pr.trader_id) o
  ), take as materialized (
    -- Payment k covers [before, before + amount) of what is owed, item j [upto - open, upto).
    select k.i, k.payment_id, k.entry_id, o.seq, o.kind, o.assessment_id, o.penalty_charge_id,
           o.business_date, o.month_no,
           (least(o.upto, k.before + k.amount) - greatest(o.upto - o.open_amount, k.before))::numeric(18,2) as amount
      from ok k join open o on o.stall_id = k.stall_id and o.trader_id = k.trader_id
     where o.upto > k.before and o.upto - o.open_amount < k.before + k.amount
  ), sums as materialized (
    select k.i,
           coalesce(sum(t.amount) filter (where t.kind = 'principal'), 0)::numeric(18,2) as principal,
           coalesce(sum(t.amount) filter (where t.kind = 'penalty'), 0)::numeric(18,2) as penalty,
           coalesce(jsonb_agg(case t.kind
               when 'principal' then jsonb_build_object('kind', 'principal', 'assessmentId', t.assessment_id,
                 'businessDate', t.business_date, 'amount', t.amount::text)
               else jsonb_build_object('kind', 'penalty', 'assessmentId', t.assessment_id,
                 'businessDate', t.business_date, 'monthNo', t.month_no, 'amount', t.amount::text) end
             order by t.seq) filter (where t.i is not null), '[]') as allocs
      from ok k left join take t on t.i = k.i
     group by k.i
  ), balance as materialized (
    select pr.stall_id, pr.trader_id, coalesce(c.bal, 0) as bal
      from pairs pr
      left join lateral (
        select sum(jl.credit - jl.debit) as bal from journal_lines jl
         where jl.region_id = v_region and jl.stall_id = pr.stall_id and jl.trader_id = pr.trader_id
           and jl.account_id = v_credit_account) c on true
  ), post as materialized (
    select k.*, s.principal, s.penalty, s.allocs, (k.amount - s.principal - s.penalty)::numeric(18,2) as credit,
           (b.bal + sum(k.amount - s.principal - s.penalty) over (partition by k.stall_id, k.trader_id order by k.i))
             ::numeric(18,2) as credit_balance,
           row_number() over (partition by k.terminal_id order by k.i) as terminal_rank,
           count(*) over (partition by k.terminal_id) as terminal_count,
           -- Cross-channel double pay: credit while another channel paid this stall the same day.
           (k.amount > s.principal + s.penalty and other.paid is not null) as double_paid
      from ok k join sums s on s.i = k.i join balance b on b.stall_id = k.stall_id and b.trader_id = k.trader_id
      left join lateral (
        select true as paid from payments q
         where q.region_id = v_region and q.stall_id = k.stall_id and q.trader_id = k.trader_id
           and q.business_date = k.business_date and q.channel <> 'card'
           and not exists (select 1 from payment_voids pv where pv.region_id = q.region_id and pv.payment_id = q.id)
         limit 1) other on true
  ), serial as (
    update terminals tm set last_receipt_serial = tm.last_receipt_serial + n.n
      from (select terminal_id, count(*) as n from ok group by terminal_id) n
     where tm.region_id = v_region and tm.id = n.terminal_id
    returning tm.id, tm.last_receipt_serial
  ), accounts_of as materialized (
    select g.market_id, g.acquirer_id,
           ledger_account(v_region, 'acquirer_clearing', null, g.acquirer_id) as clearing,
           ledger_account(v_region, 'stall_receivable', g.market_id) as receivable
      from (select distinct market_id, acquirer_id from ok) g
  ), answer as materialized (
    select po.*, sr.last_receipt_serial - po.terminal_count + po.terminal_rank as serial,
           ac.clearing, ac.receivable,
           case when po.penalty > 0 then ledger_account(v_region, 'penalty_receivable', po.market_id) end as penalty_account
      from post po
      join serial sr on sr.id = po.terminal_id
      join accounts_of ac on ac.market_id = po.market_id and ac.acquirer_id = po.acquirer_id
  ), response as materialized (
    select a.i, a.payment_id, jsonb_build_object(
             'paymentId', a.payment_id, 'stallId', a.stall_id, 'traderId', a.trader_id, 'channel', 'card',
             -- ledger_iso, written out: a call per row would not be inlined (to_char is only stable).
             'amount', a.amount::text, 'paidAt', to_char(a.paid_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'recordedAt', v_recorded_iso,
             'businessDate', a.business_date,
             'receipt', jsonb_build_object('serial', a.serial, 'code', a.p->>'receiptCode',
                                           'verifyUrl', (a.p->>'verifyBaseUrl') || '/receipts/' || (a.p->>'receiptCode')),
             'allocations', a.allocs, 'principal', a.principal::text, 'penalty', a.penalty::text,
             'credit', a.credit::text, 'creditBalance', a.credit_balance::text,
             'flags', case when a.double_paid then '["double-payment"]'::jsonb else '[]'::jsonb end) as body
      from answer a
  ), entries as (
    insert into journal_entries (region_id, id, kind, business_date, memo)
    select v_region, a.entry_id, 'payment', a.business_date, 'card payment ' || coalesce(a.rrn, '')
      from answer a
  ), lines as (
    insert into journal_lines (region_id, entry_id, account_id, debit, credit, trader_id, stall_id)
    select v_region, a.entry_id, x.account, x.debit, x.credit, a.trader_id, a.stall_id
      from answer a
     cross join lateral (values
       (a.clearing, a.amount, 0::numeric),
       (a.receivable, 0, a.principal),
       (a.penalty_account, 0, a.penalty),
       (v_credit_account, 0, a.credit)) as x(account, debit, credit)
     where x.debit > 0 or x.credit > 0
  ), paid as (
    insert into payments (region_id, id, market_id, stall_id, trader_id, terminal_id, acquirer_id, channel,
      amount, paid_at, recorded_at, business_date, client_txn_id, request_hash, tid, mid, stan, rrn,
      approval_code, masked_pan, allocated_amount, penalty_amount, credit_amount, journal_entry_id, response,
      terminal_batch, invoice)
    select v_region, a.payment_id, a.market_id, a.stall_id, a.trader_id, a.terminal_id, a.acquirer_id, 'card',
      a.amount, a.paid_at, v_recorded, a.business_date, a.client_txn_id, a.request_hash, a.tid, a.mid,
      a.p->>'stan', a.rrn, a.p->>'approvalCode', a.p->>'maskedPan', a.principal + a.penalty, a.penalty, a.credit,
      a.entry_id, r.body, a.p->>'terminalBatch', a.p->>'invoice'
      from answer a join response r on r.i = a.i
     order by a.i
  ), allocated as (
    insert into allocations (region_id, assessment_id, payment_id, journal_entry_id, amount)
    select v_region, t.assessment_id, t.payment_id, t.entry_id, t.amount from take t
     where t.kind = 'principal' order by t.i, t.seq
  ), penalty_allocated as (
    insert into penalty_allocations (region_id, penalty_charge_id, assessment_id, payment_id, journal_entry_id, amount)
    select v_region, t.penalty_charge_id, t.assessment_id, t.payment_id, t.entry_id, t.amount from take t
     where t.kind = 'penalty' order by t.i, t.seq
  ), settled as (
    update assessments x set open_amount = x.open_amount - t.amount
      from (select assessment_id, sum(amount) as amount from take where kind = 'principal' group by assessment_id) t
     where x.region_id = v_region and x.id = t.assessment_id
  ), penalty_settled as (
    update penalty_charges x set open_amount = x.open_amount - t.amount
      from (select penalty_charge_id, sum(amount) as amount from take where kind = 'penalty'
             group by penalty_charge_id) t
     where x.region_id = v_region and x.id = t.penalty_charge_id
  ), receipted as (
    insert into receipts (region_id, payment_id, terminal_id, serial, code, issued_at)
    select v_region, a.payment_id, a.terminal_id, a.serial, a.p->>'receiptCode', v_recorded from answer a
     order by a.i
  ), flagged as (
    insert into payment_flags (region_id, payment_id, kind, details)
    select v_region, a.payment_id, 'double-payment', jsonb_build_object('credit', a.credit::text)
      from answer a where a.double_paid
  )
  select jsonb_agg(case
           when c.outcome is null then jsonb_build_object('replayed', false, 'response', r.body)
           when c.outcome = 'replay' then jsonb_build_object('replayed', true, 'response', c.prior_response)
           when c.outcome = 'deferred' then jsonb_build_object('deferred', true)
           else jsonb_build_object('error', c.outcome, 'detail', case c.outcome
             when 'idempotency-conflict' then jsonb_build_object('clientTxnId', c.client_txn_id)
             when 'terminal-inactive' then jsonb_build_object('terminalId', c.terminal_id)
             when 'tid-mismatch' then jsonb_build_object('field', 'card.tid', 'expected', c.terminal_tid)
             when 'mid-mismatch' then jsonb_build_object('field', 'card.mid', 'expected', c.terminal_mid)
             when 'duplicate-payment' then jsonb_build_object('field', 'card.rrn', 'rrn', c.rrn,
                                                              'businessDate', c.business_date)
             when 'stall-not-occupied' then jsonb_build_object('field', 'stallId', 'businessDate', c.business_date)
             else jsonb_build_object('field', 'stallId') end)
         end order by c.i)
    into v_out
    from checked c left join response r on r.i = c.i;
  return coalesce(v_out, '[]');
end $$`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists ledger_post_card_payments(jsonb)');
}
