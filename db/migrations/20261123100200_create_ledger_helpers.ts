import type { Knex } from 'knex';

// Helpers of the ledger's SQL functions: failing with a machine code, ISO instants, and finding
// an account by purpose. The posting functions (card, QRIS, void) are in
// 20261123110000_create_qris_and_voids.ts.
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
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function if exists ledger_account(uuid, text, uuid, uuid);
    drop function if exists ledger_iso(timestamptz);
    drop function if exists ledger_fail(text, jsonb);
  `);
}
