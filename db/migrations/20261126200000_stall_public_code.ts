import type { Knex } from 'knex';

// The code printed in a stall's QR sticker: the public stall page (/los/<code>) shows what is owed
// there to whoever scans it. Random rather than the stall's id or code, so the stickers of a
// market cannot be walked by guessing the next one: 16 hex digits, 64 bits taken from a v4 UUID
// (gen_random_uuid is built into Postgres 13+, no pgcrypto). A volatile default in ADD COLUMN is
// evaluated per row, so every existing stall gets its own code; new stalls get theirs on insert.
// A code is never reused for another stall (unique), and changes only if a sticker is reprinted
// on purpose by updating it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table stalls add column public_code text not null
      default substr(md5(gen_random_uuid()::text), 1, 16)
      check (public_code ~ '^[0-9a-f]{16}$');
    create unique index stalls_public_code on stalls (public_code);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index if exists stalls_public_code; alter table stalls drop column if exists public_code;`);
}
