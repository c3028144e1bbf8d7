import type { Knex } from 'knex';

// The command center's feed.
//
// A 'feed' account reads aggregates and the stream of payments of its region, or of every region
// when it has none (like an auditor), never a market alone.
//
// Payments reach the API instances that stream them through LISTEN/NOTIFY, but the NOTIFY is not
// sent by the payment's own transaction: Postgres serialises the commits of every transaction
// that notifies (a database-wide lock held across the commit's WAL flush), so a pg_notify in a
// payments trigger took 32 connections from ~5,900 to ~300 commits/s on the bench machine, with
// or without anyone listening. Instead the trigger leaves an announcement in an unlogged table
// (no WAL, no lock: ~2% of a payment's database time), and only while some feed is watching
// (its lease in feed_watch is current). Each instance that has viewers relays announcements
// every ~100 ms: it deletes them (SKIP LOCKED, so each is taken once across instances) and
// NOTIFYs them in its own transaction with synchronous_commit off, so every instance hears every
// payment, whichever instance, job or officer recorded it. An announcement is written by the
// payment's own transaction, so it is seen (and heard) only once the payment is committed.
// Unlogged: a crash loses at most the last moments of a live feed, never a payment.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check
      check (role in ('admin','officer','manager','collector','auditor','feed'));
    -- The scope a role needs: as before, and a feed like an auditor (a region or none).
    alter table users drop constraint users_check;
    alter table users add constraint users_check check (
      (role = 'admin' and region_id is null and market_id is null) or
      (role = 'officer' and region_id is not null and market_id is null) or
      (role in ('manager','collector') and region_id is not null and market_id is not null) or
      (role in ('auditor','feed') and market_id is null)
    );

    -- While some instance streams payments it keeps this lease a few seconds ahead; when the last
    -- viewer leaves it runs out, and payments stop being announced (nothing piles up unread).
    create unlogged table feed_watch (
      id boolean primary key default true check (id),
      until timestamptz not null
    );

    create unlogged table payment_announcements (
      seq bigint generated always as identity primary key,
      region_id uuid not null,
      payment_id uuid not null,
      announced_at timestamptz not null default now()
    );

    create function feed_announce_payment() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from feed_watch where until > now()) then
        insert into payment_announcements (region_id, payment_id) values (new.region_id, new.id);
      end if;
      return null;
    end $$;
    create trigger payments_announce after insert on payments
      for each row execute function feed_announce_payment();
  `);
}

export async function down(knex: Knex): Promise<void> {
  // Fails while a feed account exists: remove those first, the old constraint cannot hold them.
  await knex.raw(`
    drop trigger if exists payments_announce on payments;
    drop function if exists feed_announce_payment();
    drop table if exists payment_announcements, feed_watch;
    alter table users drop constraint users_check;
    alter table users add constraint users_check check (
      (role = 'admin' and region_id is null and market_id is null) or
      (role = 'officer' and region_id is not null and market_id is null) or
      (role in ('manager','collector') and region_id is not null and market_id is not null) or
      (role = 'auditor' and market_id is null)
    );
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check check (role in ('admin','officer','manager','collector','auditor'));
  `);
}
