import type { Knex } from 'knex';

// Master data. Every regional table is keyed (region_id, id) and references others by
// (region_id, x_id): a region's rows can be co-located when the database is distributed by
// region (Citus), and a stall can never point at another region's market.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create extension if not exists btree_gist;

    create table regions (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9-]{2,16}$'),
      name text not null check (length(name) between 1 and 120),
      time_zone text not null,
      treasury_bank text not null,
      treasury_account text not null,
      -- Only some regions still accept cash at all; it is reported separately.
      allow_cash boolean not null default false,
      created_at timestamptz not null default now()
    );

    create table markets (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      code text not null check (code ~ '^[A-Z0-9-]{2,16}$'),
      name text not null,
      class text not null check (class in ('I','II','III','A','B','C','D')),
      -- ISO weekdays the market is open, 1 = Monday .. 7 = Sunday.
      open_days smallint[] not null default '{1,2,3,4,5,6,7}' check (open_days <@ '{1,2,3,4,5,6,7}' and cardinality(open_days) > 0),
      annual_target numeric(18,2) not null default 0 check (annual_target >= 0),
      address text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, code)
    );
    create index markets_id on markets (id);

    -- Holidays and closures: no assessment is made for a market on a day it is closed.
    create table market_closures (
      region_id uuid not null,
      market_id uuid not null,
      closed_on date not null,
      reason text not null,
      primary key (region_id, market_id, closed_on),
      foreign key (region_id, market_id) references markets(region_id, id)
    );

    create table stalls (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      market_id uuid not null,
      code text not null check (length(code) between 1 and 32),
      kind text not null check (kind in ('kios','los','pelataran')),
      area_m2 numeric(10,2) not null check (area_m2 > 0),
      block text,
      zone text,
      status text not null default 'active' check (status in ('active','vacant','damaged','closed')),
      -- An exempt stall (e.g. a mosque kiosk by Perda) is never assessed.
      exempt boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      unique (region_id, market_id, code),
      foreign key (region_id, market_id) references markets(region_id, id)
    );
    create index stalls_id on stalls (id);

    create table traders (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      -- NIK: the 16-digit national identity number, optional (not every trader gave one).
      nik text check (nik ~ '^[0-9]{16}$'),
      name text not null check (length(name) between 1 and 120),
      phone text,
      address text,
      created_at timestamptz not null default now(),
      primary key (region_id, id)
    );
    create unique index traders_nik on traders (region_id, nik) where nik is not null;
    create index traders_id on traders (id);

    -- Who occupies a stall when. effective_to is the last day (inclusive); null = open-ended.
    create table tenancies (
      region_id uuid not null,
      id uuid not null default gen_random_uuid(),
      stall_id uuid not null,
      trader_id uuid not null,
      effective_from date not null,
      effective_to date,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, stall_id) references stalls(region_id, id),
      foreign key (region_id, trader_id) references traders(region_id, id),
      check (effective_to is null or effective_to >= effective_from),
      -- One occupant at a time: the database refuses overlapping tenancies of a stall.
      constraint tenancies_one_occupant exclude using gist (
        region_id with =, stall_id with =, daterange(effective_from, effective_to, '[]') with &&
      )
    );
    create index tenancies_trader on tenancies (region_id, trader_id);

    -- Tariffs change with each Perda revision, so they are effective-dated and never overlap.
    create table tariffs (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      stall_kind text not null check (stall_kind in ('kios','los','pelataran')),
      market_class text not null check (market_class in ('I','II','III','A','B','C','D')),
      zone text,
      basis text not null check (basis in ('per_m2_day','flat_day')),
      rate numeric(18,2) not null check (rate > 0),
      effective_from date not null,
      effective_to date,
      legal_basis text,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      check (effective_to is null or effective_to >= effective_from),
      constraint tariffs_no_overlap exclude using gist (
        region_id with =, stall_kind with =, market_class with =, (coalesce(zone, '')) with =,
        daterange(effective_from, effective_to, '[]') with &&
      )
    );

    -- An acquirer is a bank (or PJSP) contract of a region for one channel.
    create table acquirers (
      region_id uuid not null references regions(id),
      id uuid not null default gen_random_uuid(),
      -- Banks call /banks/:acquirer/..., so the code is unique across the deployment.
      code text not null unique check (code ~ '^[a-z0-9-]{2,40}$'),
      name text not null,
      channel text not null check (channel in ('card','qris')),
      -- MDR as a fraction of gross (0.0015 = 0.15%); QRIS to government is 0 by BI rule.
      mdr_rate numeric(7,6) not null default 0 check (mdr_rate >= 0 and mdr_rate < 0.1),
      -- Shared secret for signed notifications (HMAC needs the secret itself, not a hash).
      notification_secret text,
      merchant_name text,
      merchant_city text,
      nmid text,
      created_at timestamptz not null default now(),
      primary key (region_id, id)
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username ~ '^[a-z0-9._-]{3,40}$'),
      password_hash text not null,
      role text not null check (role in ('admin','officer','manager','collector','auditor')),
      region_id uuid references regions(id),
      market_id uuid,
      display_name text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      foreign key (region_id, market_id) references markets(region_id, id),
      -- The scope a role needs: officers a region, managers and collectors a market,
      -- admins none; auditors may be limited to a region.
      check (
        (role = 'admin' and region_id is null and market_id is null) or
        (role = 'officer' and region_id is not null and market_id is null) or
        (role in ('manager','collector') and region_id is not null and market_id is not null) or
        (role = 'auditor' and market_id is null)
      )
    );

    create table terminals (
      region_id uuid not null,
      -- Terminal ids are issued across the deployment: a terminal logs in with its id alone.
      id text not null unique check (id ~ '^[A-Za-z0-9-]{3,32}$'),
      market_id uuid not null,
      acquirer_id uuid not null,
      secret_hash text not null,
      tid text not null check (tid ~ '^[0-9A-Za-z]{1,16}$'),
      mid text not null check (mid ~ '^[0-9A-Za-z]{1,24}$'),
      -- Receipt serials: per terminal, without gaps (incremented in the payment's transaction).
      last_receipt_serial bigint not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      primary key (region_id, id),
      foreign key (region_id, market_id) references markets(region_id, id),
      foreign key (region_id, acquirer_id) references acquirers(region_id, id),
      unique (region_id, acquirer_id, tid)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists terminals, users, acquirers, tariffs, tenancies, traders, stalls, market_closures, markets, regions cascade`);
}
